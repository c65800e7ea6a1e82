using System.Linq;
using System.Text;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Mmar;
using Xunit;

namespace MdaiClara.Engine.Tests.Mmar;

public class JsonConfigParserTests
{
    private static ParsedJsonFile Parse(string text) => JsonConfigParser.Parse("config/x.json", Encoding.UTF8.GetBytes(text));

    [Fact]
    public void ParsesObjectsKeepingOrderAndPythonNumberKinds()
    {
        var file = Parse("{\"b\": 1, \"a\": 2.0, \"c\": [true, null, \"s\"], \"d\": {\"e\": -3e2}}");

        Assert.True(file.IsValid);
        var root = Assert.IsType<ConfigObject>(file.Root);
        Assert.Equal(new[] { "b", "a", "c", "d" }, root.Keys);
        Assert.IsType<long>(root["b"]);
        Assert.IsType<double>(root["a"]);
        Assert.Equal(new object?[] { true, null, "s" }, (object?[])root["c"]!);
        Assert.Equal(-300.0, ((ConfigObject)root["d"]!)["e"]);
    }

    [Fact]
    public void MissingCommaIsReportedAtTheLineAndColumnPythonNames()
    {
        // The environment.json with a missing comma shown in published Clara docs.
        var text = "{\n    \"DATA_ROOT\": \"/workspace/data\"\n    \"DATASET_JSON\": \"config/dataset_0.json\",\n    \"PROCESSING_TASK\": \"segmentation\"\n}\n";

        var file = Parse(text);

        Assert.False(file.IsValid);
        Assert.Null(file.Root);
        Assert.Equal(3, file.SyntaxError!.Line);
        Assert.Equal(5, file.SyntaxError.Column);
        Assert.DoesNotContain("LineNumber", file.SyntaxError.Message);
    }

    [Fact]
    public void ColumnsCountCharactersNotBytes()
    {
        var file = Parse("{\"é\": 1 \"x\": 2}");

        Assert.Equal(1, file.SyntaxError!.Line);
        Assert.Equal(9, file.SyntaxError.Column);
    }

    [Theory]
    [InlineData("{\"a\": 1,}", 1)]
    [InlineData("{\"a\": 1} // comment", 1)]
    [InlineData("{\"a\": 1}\n{\"b\": 2}", 2)]
    [InlineData("{\n\"a\": tru}", 2)]
    public void RejectsWhatPythonsJsonRejects(string text, int line)
    {
        var file = Parse(text);

        Assert.False(file.IsValid);
        Assert.Equal(line, file.SyntaxError!.Line);
    }

    [Fact]
    public void ByteOrderMarkIsAnErrorBecauseClaraRejectsIt()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("{}")).ToArray();

        var file = JsonConfigParser.Parse("config/environment.json", bytes);

        Assert.False(file.IsValid);
        Assert.Contains("byte-order mark", file.SyntaxError!.Message);
        Assert.Equal((1, 1), (file.SyntaxError.Line, file.SyntaxError.Column));
    }

    [Fact]
    public void EmptyFileIsAnError()
    {
        Assert.Contains("empty", Parse("  \n").SyntaxError!.Message);
    }

    [Fact]
    public void DuplicateKeysKeepTheLastValueAndAreListed()
    {
        var file = Parse("{\"a\": 1, \"a\": 2}");

        Assert.Equal(2L, file.RootObject!["a"]);
        Assert.Equal(new[] { "/a" }, file.DuplicateKeys);
    }

    [Fact]
    public void LocatesValuesByJsonPointer()
    {
        var file = Parse("{\n  \"pre\": [\n    {\"name\": \"X\", \"args\": {\"k\": 5}}\n  ]\n}");

        Assert.Equal(new SourceLocation(3, 5), file.Locate("/pre/0"));
        Assert.Equal(new SourceLocation(3, 33), file.Locate("/pre/0/args/k"));
        // A missing pointer falls back to its nearest ancestor.
        Assert.Equal(new SourceLocation(3, 27), file.Locate("/pre/0/args/missing"));
    }
}
