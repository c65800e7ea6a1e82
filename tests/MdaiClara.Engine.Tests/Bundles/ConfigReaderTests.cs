using System.Text;
using MdaiClara.Engine.Bundles;
using Xunit;

namespace MdaiClara.Engine.Tests.Bundles;

public class ConfigReaderTests
{
    private static ConfigFile Json(string text) => BundleJsonReader.Read("configs/inference.json", Encoding.UTF8.GetBytes(text));

    private static ConfigFile Yaml(string text) => BundleYamlReader.Read("configs/inference.yaml", Encoding.UTF8.GetBytes(text));

    [Fact]
    public void JsonValuesKeepLineColumnAndPythonNumberKinds()
    {
        var file = Json("{\n  \"a\": 1,\n  \"b\": [2.0, \"x\"],\n  \"é\": {\"c\": null}\n}");
        Assert.True(file.IsValid);
        var root = file.Root!;
        Assert.Equal(new ConfigPosition("configs/inference.json", 2, 8), root.Get("a")!.Position);
        Assert.IsType<long>(root.Get("a")!.Scalar);
        Assert.IsType<double>(root.Get("b")!.Items[0].Scalar);
        Assert.Equal(new ConfigPosition("configs/inference.json", 3, 14), root.Get("b")!.Items[1].Position);
        Assert.Equal(14, root.Get("é")!.Get("c")!.Position.Column); // columns count characters, not UTF-8 bytes
    }

    [Theory]
    [InlineData("{\n  \"a\": 1\n  \"b\": 2\n}", 3, 3)]
    [InlineData("{\"a\": [1, 2,]}", 1, 13)]
    [InlineData("{\"a\": 1} // note", 1, 10)]
    public void JsonSyntaxErrorsNameLineAndColumn(string text, int line, int column)
    {
        var file = Json(text);
        Assert.False(file.IsValid);
        Assert.Equal(line, file.SyntaxError!.Line);
        Assert.Equal(column, file.SyntaxError.Column);
    }

    [Fact]
    public void JsonWithByteOrderMarkIsRefusedAsPythonRefusesIt()
    {
        var file = BundleJsonReader.Read("configs/metadata.json", new byte[] { 0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}' });
        Assert.Contains("byte-order mark", file.SyntaxError!.Message);
    }

    [Fact]
    public void JsonDuplicateKeysKeepTheLast()
    {
        Assert.Equal(2L, Json("{\"a\": 1, \"a\": 2}").Root!.Get("a")!.Scalar);
    }

    [Fact]
    public void YamlResolvesPlainScalarsAsPyYamlSafeLoad()
    {
        var root = Yaml("a: 1\nb: 1.5\nc: 1e-4\nd: yes\ne: ~\nf: '1'\ng: off\nh: [1, two]\n").Root!;
        Assert.Equal(1L, root.Get("a")!.Scalar);
        Assert.Equal(1.5, root.Get("b")!.Scalar);
        Assert.Equal("1e-4", root.Get("c")!.Scalar); // PyYAML: no dot, so a string
        Assert.Equal(true, root.Get("d")!.Scalar);
        Assert.Null(root.Get("e")!.Scalar);
        Assert.Equal("1", root.Get("f")!.Scalar);
        Assert.Equal(false, root.Get("g")!.Scalar);
        Assert.Equal(new ConfigPosition("configs/inference.yaml", 8, 8), root.Get("h")!.Items[1].Position);
    }

    [Fact]
    public void YamlAnchorsAndAliasesAreFollowed()
    {
        var root = Yaml("base: &b {keys: image}\nuse: *b\n").Root!;
        Assert.Equal("image", root.Get("use")!.Get("keys")!.Scalar);
    }

    [Fact]
    public void YamlSyntaxErrorNamesLineAndColumn()
    {
        var file = Yaml("a: 1\nb: c: 2\n");
        Assert.False(file.IsValid);
        Assert.Equal(2, file.SyntaxError!.Line);
        Assert.False(Yaml("a: [1, 2\nb: 3\n").IsValid);
    }
}
