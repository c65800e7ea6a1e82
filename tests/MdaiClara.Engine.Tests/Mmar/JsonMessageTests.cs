using System;
using System.Linq;
using System.Text;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Mmar;
using Xunit;

namespace MdaiClara.Engine.Tests.Mmar;

/// <summary>
/// Issue 8: JSON errors leaked System.Text.Json's advice to its programmer ("Change the reader options", "maximum
/// configured depth") and a too-deep MD.ai output was located by a path of 256 indexes. They now say what is wrong
/// with the file, at its line and column.
/// </summary>
public class JsonMessageTests
{
    [Theory]
    [InlineData("{\"a\": [1, 2,]}", "the list ends with a comma after its last item", 1, 13)]
    [InlineData("{\"a\": 1,\n \"b\": 2,\n}", "the object ends with a comma after its last entry", 3, 1)]
    public void ATrailingCommaIsSaidInJsonTermsNotTheReadersOptions(string json, string expected, int line, int column)
    {
        var parsed = JsonConfigParser.Parse("config/environment.json", Encoding.UTF8.GetBytes(json));

        var error = Assert.IsType<JsonSyntaxError>(parsed.SyntaxError);
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("reader options", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("mode", error.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (error.Line, error.Column));
    }

    [Fact]
    public void ATooDeepConfigSaysHowDeepAndWhere()
    {
        var json = new string('[', 1000) + new string(']', 1000);

        var error = JsonConfigParser.Parse("config/config_inference.json", Encoding.UTF8.GetBytes(json)).SyntaxError!;

        Assert.Equal($"the JSON is nested more than {JsonConfigParser.DefaultMaxDepth} levels deep (lists or objects inside each other)", error.Message);
        Assert.Equal((1, JsonConfigParser.DefaultMaxDepth + 1), (error.Line, error.Column));
    }

    [Fact]
    public void ATooDeepModelOutputFileIsASyntaxErrorAtItsLineAndColumn()
    {
        var json = "[\n" + new string('[', 300) + new string(']', 300) + "\n]";

        var ex = Assert.Throws<MdaiClaraException>(() => MdaiOutputJson.Parse(json, "outputs.json"));

        Assert.Equal(ErrorIds.MdaiOutputJsonInvalid, ex.ErrorId);
        Assert.Contains($"outputs.json is not valid JSON at line 2, column {MdaiOutputJson.MaxDepth}: the JSON is nested more than {MdaiOutputJson.MaxDepth} levels deep", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("[0][0][0][0][0]", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("configured", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATooDeepValueNamesWhereItStartsNotEveryIndex()
    {
        object? value = 1;
        for (var i = 0; i < 300; i++)
        {
            value = new object?[] { value };
        }

        var ex = Assert.Throws<MdaiClaraException>(() => MdaiOutputJson.FromObject(value));

        Assert.Equal(ErrorIds.MdaiOutputValueUnsupported, ex.ErrorId);
        Assert.StartsWith($"The value is nested more than {MdaiOutputJson.MaxDepth} levels deep (lists or dictionaries inside each other, from [0][0][0][0] down)", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Message.Length < 300, ex.Message);
    }
}
