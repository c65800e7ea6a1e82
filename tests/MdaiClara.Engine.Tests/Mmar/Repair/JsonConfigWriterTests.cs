using System.Text.Json.Nodes;
using MdaiClara.Engine.Mmar.Repair;
using Xunit;

namespace MdaiClara.Engine.Tests.Mmar.Repair;

/// <summary>Migrated configs are written in the layout Clara's own configs use.</summary>
public class JsonConfigWriterTests
{
    [Fact]
    public void AConfigInClarasLayoutIsWrittenBackByteForByte()
    {
        var text = RepairFixtures.Clara40SpleenInference;

        var written = JsonConfigWriter.Write(JsonNode.Parse(text), JsonConfigWriter.DetectIndent(text), JsonConfigWriter.DetectNewline(text));

        Assert.Equal(text, written);
    }

    [Fact]
    public void LambdasKeepTheirQuotesAndNumbersTheirSpelling()
    {
        var node = JsonNode.Parse("""{"t": "lambda x: x['pred'] < 1 & \"q\"", "n": [1.0, 2e3, -0.50]}""");

        var written = JsonConfigWriter.Write(node, "    ", "\n");

        Assert.Equal("{\n    \"t\": \"lambda x: x['pred'] < 1 & \\\"q\\\"\",\n    \"n\": [1.0, 2e3, -0.50]\n}\n", written);
    }

    [Fact]
    public void TheIndentIsTheFilesOwnAndFourSpacesWhenItHasNone()
    {
        Assert.Equal("  ", JsonConfigWriter.DetectIndent("{\n  \"a\": 1\n}"));
        Assert.Equal("\t", JsonConfigWriter.DetectIndent("{\n\t\"a\": 1\n}"));
        Assert.Equal("    ", JsonConfigWriter.DetectIndent("{\"a\": 1}"));
    }
}
