using System.Text.Json.Nodes;
using MdaiClara.Engine.Mdai;
using Xunit;

namespace MdaiClara.Engine.Tests.Mdai;

/// <summary>Python's repr of floats, strings and bytes (the expected texts are what CPython 3.11 prints).</summary>
public sealed class PythonReprTests
{
    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1e-4, "0.0001")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(123456789.123, "123456789.123")]
    [InlineData(-2.5e-10, "-2.5e-10")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(double.NaN, "nan")]
    [InlineData(double.NegativeInfinity, "-inf")]
    [InlineData(100.0, "100.0")]
    [InlineData(1234567890123456.0, "1234567890123456.0")]
    [InlineData(12345678901234567.0, "1.2345678901234568e+16")]
    public void Float(double value, string expected) => Assert.Equal(expected, PythonRepr.Float(value));

    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("it's", "\"it's\"")]
    [InlineData("say \"hi\"", "'say \"hi\"'")]
    [InlineData("both ' and \"", "'both \\' and \"'")]
    [InlineData("tab\tnl\nback\\", "'tab\\tnl\\nback\\\\'")]
    [InlineData("\u0000\u001f\u007f\u0080\u00a0\u00ad", "'\\x00\\x1f\\x7f\\x80\\xa0\\xad'")]
    [InlineData("é€😀", "'é€😀'")]
    [InlineData("\u200b\u2028\u3000 ", "'\\u200b\\u2028\\u3000 '")]
    [InlineData("\ue000", "'\\ue000'")]
    public void String(string value, string expected) => Assert.Equal(expected, PythonRepr.String(value));

    [Fact]
    public void Bytes() => Assert.Equal("b\"a'b\\x00\\xff\\\\\"", PythonRepr.Bytes(new byte[] { (byte)'a', (byte)'\'', (byte)'b', 0, 0xff, (byte)'\\' }));

    [Fact]
    public void StrOfAStringIsTheStringAndReprOfContainersNestsReprs()
    {
        var node = MdaiOutputJson.Parse("{\"a\": [1, 2.5, null, true, \"x\"], \"b\": {}}");
        Assert.Equal("{'a': [1, 2.5, None, True, 'x'], 'b': {}}", PythonRepr.Str(node));
        Assert.Equal("x", PythonRepr.Str(JsonValue.Create("x")));
    }

    [Fact]
    public void PreviewCutsLongValues()
    {
        var preview = PythonRepr.Preview(MdaiOutputJson.Parse("[" + string.Join(", ", System.Linq.Enumerable.Range(0, 100)) + "]"), 20);
        Assert.Equal("[0, 1, 2, 3, 4, 5, 6…", preview);
    }
}
