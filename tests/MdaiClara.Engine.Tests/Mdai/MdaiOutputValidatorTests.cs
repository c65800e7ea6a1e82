using System.Linq;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Validation;
using Xunit;
using static MdaiClara.Engine.Tests.Mdai.MdaiOutputTestData;

namespace MdaiClara.Engine.Tests.Mdai;

/// <summary>Each of MD.ai's rules: what passes, what fails, where, and with which texts.</summary>
public sealed class MdaiOutputValidatorTests
{
    [Theory]
    [InlineData("[]")]
    [InlineData("""[{"type": "NONE", "study_uid": "1.2.3"}]""")]
    [InlineData("""[{"type": "TEXT", "study_uid": "1.2.3", "note": "free text"}]""")]
    [InlineData("""[{"type": "DICOM", "study_uid": "1.2.3", "class_index": 0, "images": []}]""")]
    [InlineData("""[{"type": "IMAGE", "study_uid": "1.2.3", "class_index": 2, "images": null, "image_output_tags": {"PatientID": "p", "StudyInstanceUID": "s", "SeriesInstanceUID": "t"}}]""")]
    public void AcceptsWhatMdaiAccepts(string json) => Assert.Empty(Validate(json));

    [Theory]
    [InlineData("\"frame_number\": 1")]
    [InlineData("\"video_frame_number\": null")]
    [InlineData("\"probability\": 0.5")]
    [InlineData("\"probability\": [{\"class_index\": 0, \"probability\": 0.9}]")]
    [InlineData("\"data\": {\"x\": 35, \"y\": 45}")]
    [InlineData("\"data\": {\"x\": true, \"y\": false}")]
    [InlineData("\"data\": {\"x\": 44, \"y\": 55, \"width\": 20, \"height\": 30}")]
    [InlineData("\"data\": {\"vertices\": [[1, 2], [3, 4]]}")]
    [InlineData("\"data\": {\"vertices\": [[0.1, 0.2], [0.3, 0.4]]}")]
    [InlineData("\"data\": {\"mask\": [[0, 1], [1, 0]]}")]
    [InlineData("\"data\": {\"mask\": [[0.0, 1.0]]}")]
    [InlineData("\"data\": {\"mask\": []}")]
    [InlineData("\"data\": {\"start_frame_number\": 1, \"end_frame_number\": 9}")]
    [InlineData("\"note\": \"test\"")]
    [InlineData("\"note\": {\"input\": \"a\", \"output\": \"b\"}")]
    [InlineData("\"note\": {}")]
    [InlineData("\"explanations\": []")]
    [InlineData("\"image_output_tags\": {}")]
    public void AcceptsEveryAllowedValue(string member) => Assert.Empty(Validate("[" + Annotation(member) + "]"));

    [Theory]
    [InlineData("{}", "dict", "return [output]")]
    [InlineData("null", "NoneType", "Return []")]
    [InlineData("\"text\"", "str", "Return []")]
    public void OutputNotList(string json, string pythonType, string hint)
    {
        var f = Single(json);
        Assert.Equal(MdaiOutputRuleIds.OutputNotList, f.RuleId);
        Assert.Equal(FindingSeverity.Error, f.Severity);
        Assert.Equal(string.Empty, f.Location);
        Assert.Equal($"Expected list, got <class '{pythonType}'>", f.MdaiMessage);
        Assert.Contains(hint, f.Message);
    }

    [Fact]
    public void OutputByOutputGivesTheSameFindingsAtTheSameLocationsAsTheWholeList()
    {
        var json = "[" + Annotation() + ", [1, 2], " + Annotation("\"data\": {\"mask\": [[0, 1], [1, 0.5], [7]]}") + ", {\"type\": \"NONE\", \"study_uid\": 5}]";
        var list = MdaiOutputJson.Parse(json)!.AsArray();
        var seen = 0;

        var each = MdaiOutputValidator.ValidateEach(list.Select(o => o?.DeepClone()), strict: true, seen: _ => seen++);

        var whole = MdaiOutputValidator.Validate(list, strict: true);
        Assert.Equal(4, seen);
        Assert.True(whole.Count >= 3);
        Assert.Equal(whole.Select(f => (f.RuleId, f.Location, f.Message, f.Severity)), each.Select(f => (f.RuleId, f.Location, f.Message, f.Severity)));
    }

    [Fact]
    public void OutputNotDict()
    {
        var f = Single("""[{"type": "NONE", "study_uid": "1"}, [1, 2]]""");
        Assert.Equal(MdaiOutputRuleIds.OutputNotDict, f.RuleId);
        Assert.Equal("[1]", f.Location);
        Assert.Equal("'list' object has no attribute 'get'", f.MdaiMessage);
        Assert.Contains("a list ([1, 2])", f.Message);
    }

    [Fact]
    public void TypeMissing()
    {
        var f = Single("""[{"study_uid": "1"}]""");
        Assert.Equal(MdaiOutputRuleIds.TypeUnknown, f.RuleId);
        Assert.Equal("[0]", f.Location);
        Assert.Equal("Invalid output type. Got None", f.MdaiMessage);
        Assert.Contains("'NONE', 'ANNOTATION', 'IMAGE', 'DICOM' and 'TEXT'", f.Message);
    }

    [Fact]
    public void TypeInLowerCase()
    {
        var f = Single("""[{"type": "annotation", "study_uid": "1", "class_index": 0}]""");
        Assert.Equal(MdaiOutputRuleIds.TypeUnknown, f.RuleId);
        Assert.Equal("[0].type", f.Location);
        Assert.Equal("Invalid output type. Got annotation", f.MdaiMessage);
        Assert.Contains("upper case: 'ANNOTATION'", f.Message);
    }

    [Theory]
    [InlineData("[\"NONE\"]", "unhashable type: 'list'")]
    [InlineData("{\"a\": 1}", "unhashable type: 'dict'")]
    [InlineData("1", "Invalid output type. Got 1")]
    [InlineData("true", "Invalid output type. Got True")]
    public void TypeOfTheWrongPythonTypeIsReportedOnce(string value, string mdai)
    {
        var f = Single($$"""[{"type": {{value}}, "study_uid": "1"}]""");
        Assert.Equal(MdaiOutputRuleIds.TypeUnknown, f.RuleId);
        Assert.Equal(mdai, f.MdaiMessage);
    }

    [Theory]
    [InlineData("""{"type": "ANNOTATION", "study_uid": "1"}""", "class_index", "Key 'class_index' not found in model output")]
    [InlineData("""{"type": "NONE"}""", "study_uid", "Key 'study_uid' not found in model output")]
    [InlineData("""{"type": "IMAGE", "study_uid": "1", "class_index": 0}""", "images", "Key 'images' not found in model output")]
    public void RequiredKeyMissing(string output, string key, string mdai)
    {
        var f = Single("[" + output + "]");
        Assert.Equal(MdaiOutputRuleIds.RequiredKeyMissing, f.RuleId);
        Assert.Equal("[0]." + key, f.Location);
        Assert.Equal(mdai, f.MdaiMessage);
        Assert.Contains($"'{key}'", f.Message);
    }

    [Fact]
    public void EveryMissingRequiredKeyIsReported()
    {
        var findings = Validate("""[{"type": "DICOM"}]""");
        Assert.Equal(new[] { "[0].study_uid", "[0].class_index", "[0].images" }, findings.Select(f => f.Location));
        Assert.All(findings, f => Assert.Equal(MdaiOutputRuleIds.RequiredKeyMissing, f.RuleId));
    }

    [Theory]
    [InlineData("StudyInstanceUID", "[0].StudyInstanceUID", "'study_uid'")]
    [InlineData("Class_Index", "[0].Class_Index", "'class_index'")]
    [InlineData("my key", "[0]['my key']", null)]
    [InlineData("it's", "[0]['it\\'s']", null)]
    public void KeyNotAllowed(string key, string location, string? suggestion)
    {
        var json = $$"""[{"type": "NONE", "study_uid": "1", "{{key}}": 1}]""";
        var f = Single(json);
        Assert.Equal(MdaiOutputRuleIds.KeyNotAllowed, f.RuleId);
        Assert.Equal(location, f.Location);
        Assert.Equal(PythonRepr.String(key), f.MdaiMessage);
        if (suggestion is null)
        {
            Assert.DoesNotContain("Did you mean", f.Message);
        }
        else
        {
            Assert.Contains("Did you mean " + suggestion, f.Message);
        }
    }

    [Theory]
    [InlineData("\"class_index\": true", "class_index", "use 1 or 0", "Incorrect type for key class_index in model output. Expected <class 'int'>, got True")]
    [InlineData("\"class_index\": 5.5", "class_index", "int(...)", "Incorrect type for key class_index in model output. Expected <class 'int'>, got 5.5")]
    [InlineData("\"class_index\": \"5\"", "class_index", "int(...)", "Incorrect type for key class_index in model output. Expected <class 'int'>, got 5")]
    [InlineData("\"probability\": 1", "probability", "(1.0)", "Incorrect type for key probability in model output. Expected [<class 'float'>, <class 'list'>, <class 'NoneType'>], got 1")]
    [InlineData("\"frame_number\": 2.0", "frame_number", "int(...)", "Incorrect type for key frame_number in model output. Expected [<class 'int'>, <class 'NoneType'>], got 2.0")]
    [InlineData("\"series_uid\": 1.5", "series_uid", "str(...)", "Incorrect type for key series_uid in model output. Expected [<class 'str'>, <class 'NoneType'>], got 1.5")]
    [InlineData("\"data\": [[0, 1]]", "data", ".tolist()", "Incorrect type for key data in model output. Expected [<class 'dict'>, <class 'NoneType'>], got [[0, 1]]")]
    [InlineData("\"note\": [\"it's\"]", "note", "str(...)", "Incorrect type for key note in model output. Expected [<class 'str'>, <class 'dict'>, <class 'NoneType'>], got [\"it's\"]")]
    public void ValueTypeInvalid(string member, string key, string hint, string mdai)
    {
        var f = Single("[" + Annotation(member) + "]");
        Assert.Equal(MdaiOutputRuleIds.ValueTypeInvalid, f.RuleId);
        Assert.Equal("[0]." + key, f.Location);
        Assert.Equal(mdai, f.MdaiMessage);
        Assert.Contains(hint, f.Message);
    }

    [Theory]
    [InlineData("{\"x\": 50, \"y\": 50, \"z\": 50}", "the keys {x, y, z}")]
    [InlineData("{}", "no keys")]
    [InlineData("{\"vertex\": [[1, 2]]}", "the keys {vertex}")]
    [InlineData("{\"mask\": [[0]], \"x\": 1}", "the keys {mask, x}")]
    public void DataShapeInvalid(string data, string found)
    {
        var f = Single("[" + Annotation("\"data\": " + data) + "]");
        Assert.Equal(MdaiOutputRuleIds.DataShapeInvalid, f.RuleId);
        Assert.Equal("[0].data", f.Location);
        Assert.Equal("Model output data field does not conform to any known format.", f.MdaiMessage);
        Assert.Contains(found, f.Message);
        Assert.Contains("box {x, y, width, height}", f.Message);
    }

    [Fact]
    public void DataValueTypeInvalidNamesEveryBadValue()
    {
        var findings = Validate("[" + Annotation("\"data\": {\"x\": 0.5, \"y\": 1, \"width\": \"3\", \"height\": null}") + "]");
        Assert.Equal(new[] { "[0].data.x", "[0].data.width", "[0].data.height" }, findings.Select(f => f.Location));
        Assert.All(findings, f => Assert.Equal(MdaiOutputRuleIds.DataValueTypeInvalid, f.RuleId));
        Assert.Equal("Invalid type for key 'x' in data. Expected <class 'int'>, got <class 'float'>", findings[0].MdaiMessage);
        Assert.Contains("int(round(v))", findings[0].Message);
        Assert.Equal("Invalid type for key 'height' in data. Expected <class 'int'>, got <class 'NoneType'>", findings[2].MdaiMessage);
    }

    [Fact]
    public void MaskThatIsNotAListIsADataValueError()
    {
        var f = Single("[" + Annotation("\"data\": {\"mask\": \"[[0]]\"}") + "]");
        Assert.Equal(MdaiOutputRuleIds.DataValueTypeInvalid, f.RuleId);
        Assert.Equal("[0].data.mask", f.Location);
        Assert.Equal("Invalid type for key 'mask' in data. Expected <class 'list'>, got <class 'str'>", f.MdaiMessage);
    }

    [Theory]
    [InlineData("[0, 1, 0]", "[0].data.mask[0]", "Mask needs to be returned as a 2D python list.\nNumpy arrays can be converted to lists using the .tolist() method", ".tolist()")]
    [InlineData("[[true, false]]", "[0].data.mask[0][0]", "Invalid mask data type. Got <class 'bool'> Expected [<class 'int'>, <class 'float'>]", "astype(numpy.uint8)")]
    [InlineData("[[[0, 1]]]", "[0].data.mask[0][0]", "Invalid mask data type. Got <class 'list'> Expected [<class 'int'>, <class 'float'>]", "more than 2 dimensions")]
    [InlineData("[[null]]", "[0].data.mask[0][0]", "Invalid mask data type. Got <class 'NoneType'> Expected [<class 'int'>, <class 'float'>]", ".tolist()")]
    public void MaskInvalid(string mask, string location, string mdai, string hint)
    {
        var f = Single("[" + Annotation("\"data\": {\"mask\": " + mask + "}") + "]");
        Assert.Equal(MdaiOutputRuleIds.MaskInvalid, f.RuleId);
        Assert.Equal(location, f.Location);
        Assert.Equal(mdai, f.MdaiMessage);
        Assert.Contains(hint, f.Message);
    }

    [Theory]
    [InlineData("[[0, 1], [1], null, [true, \"x\"]]")]
    [InlineData("[[], \"x\"]")]
    public void MdaiChecksOnlyTheFirstMaskValue(string mask) =>
        Assert.Empty(Validate("[" + Annotation("\"data\": {\"mask\": " + mask + "}") + "]"));

    [Theory]
    [InlineData("[1, 2, 3, 4]", "Vertices needs to be a 2D array")]
    [InlineData("[[1, 2, 3], [4, 5]]", "Each vertex needs to have only 2 values [x, y] got 3 values.")]
    [InlineData("[[]]", "Each vertex needs to have only 2 values [x, y] got 0 values.")]
    [InlineData("[[true, 1]]", "Invalid vertex data type. Got [<class 'bool'>, <class 'int'>] Expected [<class 'int'>, <class 'float'>]")]
    [InlineData("[[\"1\", null]]", "Invalid vertex data type. Got [<class 'str'>, <class 'NoneType'>] Expected [<class 'int'>, <class 'float'>]")]
    public void VerticesInvalid(string vertices, string mdai)
    {
        var f = Single("[" + Annotation("\"data\": {\"vertices\": " + vertices + "}") + "]");
        Assert.Equal(MdaiOutputRuleIds.VerticesInvalid, f.RuleId);
        Assert.Equal("[0].data.vertices[0]", f.Location);
        Assert.Equal(mdai, f.MdaiMessage);
    }

    [Fact]
    public void MdaiChecksOnlyTheFirstVertex() =>
        Assert.Empty(Validate("[" + Annotation("\"data\": {\"vertices\": [[1, 2], [3], \"x\"]}") + "]"));

    [Theory]
    [InlineData("{\"input\": \"a\", \"extra\": \"b\"}", "[0].note.extra", "Invalid key for output note dict. Got 'extra' Expected ['input', 'output']")]
    [InlineData("{\"output\": 5}", "[0].note.output", "Invalid value type for note dict key 'output'. Got '<class 'int'>' Expected <class 'str'>")]
    [InlineData("{\"input\": null}", "[0].note.input", "Invalid value type for note dict key 'input'. Got '<class 'NoneType'>' Expected <class 'str'>")]
    public void NoteInvalid(string note, string location, string mdai)
    {
        var f = Single("[" + Annotation("\"note\": " + note) + "]");
        Assert.Equal(MdaiOutputRuleIds.NoteInvalid, f.RuleId);
        Assert.Equal(location, f.Location);
        Assert.Equal(mdai, f.MdaiMessage);
    }

    [Theory]
    [InlineData("{\"Modality\": \"CT\"}", "[0].image_output_tags.Modality", "Invalid key for image_output_tags. Got 'Modality', expected values include ['PatientID', 'StudyInstanceUID', 'SeriesInstanceUID']")]
    [InlineData("{\"PatientID\": 7}", "[0].image_output_tags.PatientID", "Invalid type for image_output_tags[PatientID]. Got '<class 'int'>' expected <class 'str'>")]
    public void ImageOutputTagsInvalid(string tags, string location, string mdai)
    {
        var f = Single("[" + Annotation("\"image_output_tags\": " + tags) + "]");
        Assert.Equal(MdaiOutputRuleIds.ImageOutputTagsInvalid, f.RuleId);
        Assert.Equal(location, f.Location);
        Assert.Equal(mdai, f.MdaiMessage);
    }

    [Fact]
    public void ReportsEveryProblemInMdaisOrderAndTheFirstIsMdais()
    {
        var json = """
            [
              {"type": "NONE", "study_uid": "1"},
              {"foo": 1, "type": "NONE", "study_uid": null, "data": {"x": 0.5, "y": 1}, "note": {"a": "b"}, "image_output_tags": {"X": "1"}},
              {"type": "ANNOTATION", "study_uid": "1", "class_index": 0, "data": {"mask": [[true]]}}
            ]
            """;
        var findings = Validate(json);
        Assert.Equal(
            new[]
            {
                ("[1].foo", MdaiOutputRuleIds.KeyNotAllowed),
                ("[1].study_uid", MdaiOutputRuleIds.ValueTypeInvalid),
                ("[1].data.x", MdaiOutputRuleIds.DataValueTypeInvalid),
                ("[1].note.a", MdaiOutputRuleIds.NoteInvalid),
                ("[1].image_output_tags.X", MdaiOutputRuleIds.ImageOutputTagsInvalid),
                ("[2].data.mask[0][0]", MdaiOutputRuleIds.MaskInvalid),
            },
            findings.Select(f => (f.Location, f.RuleId)));
        Assert.All(findings, f => Assert.Equal(FindingSeverity.Error, f.Severity));
        Assert.Equal("'foo'", MdaiOutputValidator.FirstRejection(findings)!.MdaiMessage);
        Assert.False(MdaiOutputValidator.Passes(findings));
    }

    [Fact]
    public void KeyOrderDecidesWhichProblemMdaiReportsFirst()
    {
        var first = MdaiOutputValidator.FirstRejection(Validate("""[{"study_uid": 5, "type": "NONE", "foo": 1}]"""));
        Assert.Equal("Incorrect type for key study_uid in model output. Expected <class 'str'>, got 5", first!.MdaiMessage);
    }

    [Fact]
    public void LocationsNameTheElementInsideNestedLists()
    {
        var json = "[" + string.Join(", ", Enumerable.Repeat(Annotation(), 3)) + ", " + Annotation("\"data\": {\"mask\": [[\"0\"]]}") + "]";
        Assert.Equal("[3].data.mask[0][0]", Single(json).Location);
    }

    [Fact]
    public void JsonNumbersKeepTheirPythonType()
    {
        // 1 is int, 1.0 and 1e0 are float, true is bool: as Python's json module reads them.
        Assert.Empty(Validate("[" + Annotation("\"frame_number\": 1") + "]"));
        Assert.Equal(MdaiOutputRuleIds.ValueTypeInvalid, Single("[" + Annotation("\"frame_number\": 1.0") + "]").RuleId);
        Assert.Equal(MdaiOutputRuleIds.ValueTypeInvalid, Single("[" + Annotation("\"frame_number\": 1e0") + "]").RuleId);
        Assert.Equal(MdaiOutputRuleIds.ValueTypeInvalid, Single("[" + Annotation("\"frame_number\": true") + "]").RuleId);
        Assert.Empty(Validate("[" + Annotation("\"probability\": 1e0") + "]"));
        Assert.Equal(MdaiOutputRuleIds.ValueTypeInvalid, Single("[" + Annotation("\"probability\": 1") + "]").RuleId);
    }

    [Fact]
    public void PassesIgnoresWarnings()
    {
        var findings = Validate("[" + Annotation("\"data\": {\"mask\": []}") + "]", strict: true);
        Assert.NotEmpty(findings);
        Assert.True(MdaiOutputValidator.Passes(findings));
        Assert.Null(MdaiOutputValidator.FirstRejection(findings));
        Assert.All(findings, f => Assert.Null(f.MdaiMessage));
    }

    [Fact]
    public void FindingsPrintWithSeverityRuleAndLocation()
    {
        var f = Single("[" + Annotation("\"class_index\": 1.5") + "]");
        Assert.StartsWith("Error ValueTypeInvalid at [0].class_index: 'class_index' must be an int, but it is a float (1.5).", f.ToString());
        Assert.StartsWith("Error OutputNotList: ", Single("{}").ToString());
    }
}
