using System.Linq;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Validation;
using Xunit;
using static MdaiClara.Engine.Tests.Mdai.MdaiOutputTestData;

namespace MdaiClara.Engine.Tests.Mdai;

/// <summary>The element-wise checks MD.ai does not make: Warnings, only with strict, never changing the verdict.</summary>
public sealed class MdaiOutputStrictTests
{
    private static string WithData(string data) => "[" + Annotation("\"data\": " + data) + "]";

    [Theory]
    [InlineData("{\"mask\": [[0, 1], [1, 0]]}")]
    [InlineData("{\"mask\": [[0.5, 1.0], [1, 0]]}")]
    [InlineData("{\"vertices\": [[1, 2], [3.5, 4], [5, 6]]}")]
    public void WellFormedValuesGiveNoWarnings(string data) => Assert.Empty(Validate(WithData(data), strict: true));

    [Theory]
    [InlineData("{\"mask\": [[0, 1], [1]]}", "[0].data.mask[1]", "mask[1] has 1 value, but mask[0] has 2")]
    [InlineData("{\"mask\": [[0, 1], null]}", "[0].data.mask[1]", "mask[1] is None, not a row")]
    [InlineData("{\"mask\": [[0, 1], [1, true]]}", "[0].data.mask[1][1]", "mask[1][1] is a bool (True)")]
    [InlineData("{\"mask\": [[0, \"1\"]]}", "[0].data.mask[0][1]", "mask[0][1] is a str ('1')")]
    [InlineData("{\"mask\": []}", "[0].data.mask", "The mask is empty")]
    [InlineData("{\"mask\": [[]]}", "[0].data.mask[0]", "mask[0] is empty")]
    public void MaskElementsInvalid(string data, string location, string text)
    {
        Assert.Empty(Validate(WithData(data)));
        var f = Single(WithData(data), strict: true);
        Assert.Equal(MdaiOutputRuleIds.MaskElementsInvalid, f.RuleId);
        Assert.Equal(FindingSeverity.Warning, f.Severity);
        Assert.Equal(location, f.Location);
        Assert.Contains(text, f.Message);
        Assert.Null(f.MdaiMessage);
    }

    [Fact]
    public void AMaskWithManyBadValuesGetsTenFindingsAndACount()
    {
        var row = "[" + string.Join(", ", Enumerable.Repeat("null", 30)) + "]";
        var findings = Validate(WithData("{\"mask\": [[0], " + row + "]}"), strict: true);
        Assert.All(findings, f => Assert.Equal(MdaiOutputRuleIds.MaskElementsInvalid, f.RuleId));
        Assert.Equal(StrictOutputChecks.MaxElementFindings + 1, findings.Count);
        Assert.Equal("[0].data.mask", findings[^1].Location);
        Assert.Contains("…and 21 more problems", findings[^1].Message);
    }

    [Fact]
    public void AMaskMdaiRejectsGetsNoElementWarningsOnTop()
    {
        var findings = Validate(WithData("{\"mask\": [1, 2, 3]}"), strict: true);
        Assert.Equal(MdaiOutputRuleIds.MaskInvalid, Assert.Single(findings).RuleId);
    }

    [Theory]
    [InlineData("{\"vertices\": [[1, 2], [3]]}", "[0].data.vertices[1]", "vertices[1] has 1 value")]
    [InlineData("{\"vertices\": [[1, 2], \"3,4\"]}", "[0].data.vertices[1]", "not an [x, y] pair")]
    [InlineData("{\"vertices\": [[1, 2], [3, false]]}", "[0].data.vertices[1][1]", "vertices[1][1] is a bool (False)")]
    [InlineData("{\"vertices\": []}", "[0].data.vertices", "There are no vertices")]
    public void VerticesElementsInvalid(string data, string location, string text)
    {
        Assert.Empty(Validate(WithData(data)));
        var f = Single(WithData(data), strict: true);
        Assert.Equal(MdaiOutputRuleIds.VerticesElementsInvalid, f.RuleId);
        Assert.Equal(FindingSeverity.Warning, f.Severity);
        Assert.Equal(location, f.Location);
        Assert.Contains(text, f.Message);
    }

    [Theory]
    [InlineData("1.5", "[0].probability", "probability is 1.5")]
    [InlineData("NaN", "[0].probability", "probability is nan")]
    [InlineData("[{\"class_index\": 0, \"probability\": -0.25}]", "[0].probability[0].probability", "probability[0].probability is -0.25")]
    [InlineData("[{\"class_index\": 0.0, \"probability\": 0.5}]", "[0].probability[0].class_index", "is a float (0.0)")]
    [InlineData("[{\"probability\": 0.5}]", "[0].probability[0].class_index", "is missing")]
    [InlineData("[{\"class_index\": 1, \"probability\": \"0.5\"}]", "[0].probability[0].probability", "is a str ('0.5')")]
    [InlineData("[0.5]", "[0].probability[0]", "{\"class_index\": int, \"probability\": float}")]
    public void ProbabilityInvalid(string probability, string location, string text)
    {
        var json = "[" + Annotation("\"probability\": " + probability) + "]";
        Assert.Empty(Validate(json));
        var f = Single(json, strict: true);
        Assert.Equal(MdaiOutputRuleIds.ProbabilityInvalid, f.RuleId);
        Assert.Equal(location, f.Location);
        Assert.Contains(text, f.Message);
    }

    [Theory]
    [InlineData("0.0")]
    [InlineData("1.0")]
    [InlineData("[{\"class_index\": 0, \"probability\": 0.25}, {\"class_index\": 1, \"probability\": 1}]")]
    public void GoodProbabilitiesPass(string probability) =>
        Assert.Empty(Validate("[" + Annotation("\"probability\": " + probability) + "]", strict: true));

    [Fact]
    public void ExplanationsInvalid()
    {
        var json = "[" + Annotation("\"explanations\": [{\"name\": \"Grad-CAM\", \"description\": 1, \"content_type\": \"image/png\"}, \"x\"]") + "]";
        Assert.Empty(Validate(json));
        var findings = Validate(json, strict: true);
        Assert.Equal(new[] { "[0].explanations[0].description", "[0].explanations[0].content", "[0].explanations[1]" }, findings.Select(f => f.Location));
        Assert.All(findings, f => Assert.Equal(MdaiOutputRuleIds.ExplanationsInvalid, f.RuleId));
    }

    [Fact]
    public void AnExplanationLikeMdaisExamplePasses()
    {
        var json = "[" + Annotation("\"explanations\": [{\"name\": \"Grad-CAM\", \"description\": \"d\", \"content\": \"iVBORw0KGgo=\", \"content_type\": \"image/png\"}]") + "]";
        Assert.Empty(Validate(json, strict: true));
        var output = new System.Collections.Generic.Dictionary<string, object?>
        {
            ["type"] = "ANNOTATION",
            ["study_uid"] = Study,
            ["class_index"] = 0,
            ["explanations"] = new object[] { new System.Collections.Generic.Dictionary<string, object?> { ["name"] = "n", ["description"] = "d", ["content"] = new byte[] { 0x89, 0x50 }, ["content_type"] = "image/png" } },
        };
        Assert.Empty(MdaiOutputValidator.Validate(MdaiOutputJson.FromObject(new object[] { output }), strict: true));
    }
}
