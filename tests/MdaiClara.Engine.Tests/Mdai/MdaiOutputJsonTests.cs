using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Mdai;

/// <summary>JSON text and CLR values become trees whose values keep their Python types.</summary>
public sealed class MdaiOutputJsonTests
{
    [Fact]
    public void ParsedNumbersAreIntOrFloatAsInPython()
    {
        var list = (JsonArray)MdaiOutputJson.Parse("[1, -0, 1.0, 1e2, 2E-3, true, false, null, \"s\", NaN, -Infinity, 123456789012345678]")!;
        Assert.Equal(
            new[] { PythonType.Int, PythonType.Int, PythonType.Float, PythonType.Float, PythonType.Float, PythonType.Bool, PythonType.Bool, PythonType.None, PythonType.Str, PythonType.Float, PythonType.Float, PythonType.Int },
            list.Select(PythonValues.TypeOf));
        Assert.True(double.IsNaN(PythonValues.GetFloat(list[9]!)));
        Assert.Equal("-inf", PythonRepr.Repr(list[10]));
        Assert.Equal("123456789012345678", PythonRepr.Repr(list[11]));
    }

    [Fact]
    public void NodesMadeWithJsonNodeParseAreTypedTheSameWay()
    {
        var list = (JsonArray)JsonNode.Parse("[1, 1.0, 1e2, true, \"s\"]")!;
        Assert.Equal(new[] { PythonType.Int, PythonType.Float, PythonType.Float, PythonType.Bool, PythonType.Str }, list.Select(PythonValues.TypeOf));
    }

    [Fact]
    public void TheLastOfDuplicateKeysWinsAtTheFirstKeysPlace()
    {
        var obj = (JsonObject)MdaiOutputJson.Parse("{\"a\": 1, \"b\": 2, \"a\": 3}")!;
        Assert.Equal(new[] { "a", "b" }, obj.Select(p => p.Key));
        Assert.Equal("3", PythonRepr.Repr(obj["a"]));
    }

    [Fact]
    public void AByteOrderMarkIsIgnored()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mdai-output-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, "[]", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
            Assert.Empty((JsonArray)MdaiOutputJson.Load(path)!);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TextThatIsNotJsonNamesTheLineAndColumn()
    {
        var ex = Assert.Throws<MdaiClaraException>(() => MdaiOutputJson.Parse("[\n  {\"type\": \"NONE\"\n   \"study_uid\": \"1\"}\n]", "out.json"));
        Assert.Equal(ErrorIds.MdaiOutputJsonInvalid, ex.ErrorId);
        Assert.Equal(ErrorKind.InvalidData, ex.Kind);
        Assert.StartsWith("out.json is not valid JSON at line 3, column 4:", ex.Message);
    }

    [Theory]
    [InlineData("", "line 1, column 1")]
    [InlineData("[1, 2,]", "line 1, column 7")]
    [InlineData("[{'type': 'NONE'}]", "line 1, column 3")]
    public void OtherSyntaxErrors(string text, string where)
    {
        var ex = Assert.Throws<MdaiClaraException>(() => MdaiOutputJson.Parse(text));
        Assert.Equal(ErrorIds.MdaiOutputJsonInvalid, ex.ErrorId);
        Assert.Contains(where, ex.Message);
        Assert.StartsWith("The JSON text", ex.Message);
    }

    [Fact]
    public void BytesThatAreNotUtf8AreRefusedWithTheirPlace()
    {
        // Found by the MdaiOutput fuzz target (tests/fixtures/fuzz/MdaiOutput/crash_invalid_utf8_in_string.json): a
        // string holding a byte that starts no UTF-8 character parsed, then broke the validator with an
        // InvalidOperationException from System.Text.Json when the check read the string.
        using var temp = new TempDirectory();
        var path = temp.Combine("out.json");
        var text = Encoding.UTF8.GetBytes("[{\"type\": \"NONE\",\n \"study_uid\": \"1.2\", \"note\": \"ab").Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes("\"}]")).ToArray();
        File.WriteAllBytes(path, text);

        var ex = Assert.Throws<MdaiClaraException>(() => MdaiOutputJson.Load(path));

        Assert.Equal(ErrorIds.MdaiOutputJsonInvalid, ex.ErrorId);
        Assert.Equal(ErrorKind.InvalidData, ex.Kind);
        Assert.StartsWith($"{path} is not valid UTF-8 at line 2, column 33 (byte offset 50, byte 0xC3).", ex.Message);
    }

    [Fact]
    public void AMissingFileIsNotFound()
    {
        var ex = Assert.Throws<MdaiClaraException>(() => MdaiOutputJson.Load(Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid(), "out.json")));
        Assert.Equal(ErrorIds.MdaiOutputNotFound, ex.ErrorId);
        Assert.Equal(ErrorKind.ObjectNotFound, ex.Kind);
    }

    [Fact]
    public void TheCommittedFixtureLoads() =>
        Assert.NotNull(MdaiOutputJson.Load(Path.Combine(TestPaths.Fixtures, "mdai-output", "validator_cases.json")));

    public static IEnumerable<object?[]> ClrScalars() => new[]
    {
        new object?[] { null, "NoneType" },
        new object?[] { DBNull.Value, "NoneType" },
        new object?[] { "s", "str" },
        new object?[] { 'c', "str" },
        new object?[] { true, "bool" },
        new object?[] { (byte)1, "int" },
        new object?[] { (short)1, "int" },
        new object?[] { 1, "int" },
        new object?[] { 1u, "int" },
        new object?[] { 1L, "int" },
        new object?[] { ulong.MaxValue, "int" },
        new object?[] { BigInteger.Pow(10, 30), "int" },
        new object?[] { 12345678901234567890m, "int" },
        new object?[] { 1.0m, "float" },
        new object?[] { 1.0, "float" },
        new object?[] { 1.0f, "float" },
        new object?[] { (Half)1, "float" },
        new object?[] { double.NaN, "float" },
        new object?[] { new byte[] { 1, 2 }, "bytes" },
        new object?[] { new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc), "str" },
        new object?[] { new object[] { 1 }, "list" },
        new object?[] { new List<int> { 1 }, "list" },
        new object?[] { new Hashtable { ["a"] = 1 }, "dict" },
    };

    [Theory]
    [MemberData(nameof(ClrScalars))]
    public void ClrValuesBecomeTheirPythonType(object? value, string pythonType) =>
        Assert.Equal(pythonType, PythonRepr.TypeName(PythonValues.TypeOf(MdaiOutputJson.FromObject(value))));

    [Fact]
    public void ClrValuesKeepTheirValues()
    {
        Assert.Equal("1.0", PythonRepr.Repr(MdaiOutputJson.FromObject(1.0)));
        Assert.Equal("1", PythonRepr.Repr(MdaiOutputJson.FromObject(1)));
        Assert.Equal("True", PythonRepr.Repr(MdaiOutputJson.FromObject(true)));
        Assert.Equal("b'\\x01\\x02'", PythonRepr.Repr(MdaiOutputJson.FromObject(new byte[] { 1, 2 })));
        Assert.Equal("'2024-01-02T03:04:05.0000000Z'", PythonRepr.Repr(MdaiOutputJson.FromObject(new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc))));
        Assert.Equal("12345678901234567890", PythonRepr.Repr(MdaiOutputJson.FromObject(12345678901234567890m)));
    }

    [Fact]
    public void DictionariesKeepTheirOrderAndGetStringKeys()
    {
        var ordered = new OrderedDictionary { ["type"] = "NONE", ["study_uid"] = "1" };
        ordered.Add(7, 1.5);
        var obj = (JsonObject)MdaiOutputJson.FromObject(ordered)!;
        Assert.Equal(new[] { "type", "study_uid", "7" }, obj.Select(p => p.Key));
        Assert.Equal(PythonType.Float, PythonValues.TypeOf(obj["7"]));
    }

    [Fact]
    public void StringKeyedGenericDictionariesAreDicts()
    {
        IEnumerable<KeyValuePair<string, object?>> pairs = new[] { new KeyValuePair<string, object?>("a", 1) };
        Assert.Equal(PythonType.Dict, PythonValues.TypeOf(MdaiOutputJson.FromObject(pairs)));
    }

    [Fact]
    public void AJsonNodeIsCopied()
    {
        var node = new JsonObject { ["a"] = 1 };
        var outer = (JsonArray)MdaiOutputJson.FromObject(new object[] { node })!;
        Assert.Null(node.Parent);
        Assert.Equal("{'a': 1}", PythonRepr.Repr(outer[0]));
    }

    [Fact]
    public void AValueWithNoPythonCounterpartIsRefusedWithItsLocation()
    {
        var value = new object[] { new Hashtable { ["data"] = new Hashtable { ["x"] = Guid.Empty } } };
        var ex = Assert.Throws<MdaiClaraException>(() => MdaiOutputJson.FromObject(value));
        Assert.Equal(ErrorIds.MdaiOutputValueUnsupported, ex.ErrorId);
        Assert.Contains("[0].data.x", ex.Message);
        Assert.Contains("System.Guid", ex.Message);
    }

    [Fact]
    public void ASelfReferenceIsRefused()
    {
        var list = new ArrayList();
        list.Add(list);
        var ex = Assert.Throws<MdaiClaraException>(() => MdaiOutputJson.FromObject(list));
        Assert.Equal(ErrorIds.MdaiOutputValueUnsupported, ex.ErrorId);
        Assert.Contains("refers to itself", ex.Message);
    }

    [Fact]
    public void ClrOutputsValidateWithPythonTyping()
    {
        var outputs = new List<object>
        {
            new Dictionary<string, object?> { ["type"] = "ANNOTATION", ["study_uid"] = "1", ["class_index"] = 0, ["data"] = new Dictionary<string, object> { ["mask"] = new[] { new[] { 0, 1 }, new[] { 1, 0 } } } },
            new Dictionary<string, object?> { ["type"] = "ANNOTATION", ["study_uid"] = "1", ["class_index"] = 1.0, ["probability"] = 1 },
        };
        var findings = MdaiOutputValidator.Validate(MdaiOutputJson.FromObject(outputs));
        Assert.Equal(new[] { "[1].class_index", "[1].probability" }, findings.Select(f => f.Location));
    }
}
