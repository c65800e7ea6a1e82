using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Mmar.Repair;
using Xunit;

namespace MdaiClara.Engine.Tests.Mmar.Repair;

/// <summary>environment.json edited as text: the keys change, every other byte stays.</summary>
public class EnvironmentPatcherTests
{
    private const string Clara40Environment = "{\n    \"DATA_ROOT\": \"/claraDevDay/Data/sampleData/\",\n    \"DATASET_JSON\": \"/claraDevDay/Data/sampleData/dataset.json\",\n    \"MMAR_TORCHSCRIPT\": \"models/model.ts\"\n}\n";

    private static KeyValuePair<string, string> Set(string key, string literal) => new(key, literal);

    [Fact]
    public void AddedKeysFollowTheLastOneWithTheFilesIndent()
    {
        var patched = EnvironmentPatcher.Patch(Clara40Environment, new[] { Set("OUTPUT_CHANNELS", "2"), Set("INFER_DATALIST_KEY", "\"test\"") });

        Assert.Equal(
            "{\n    \"DATA_ROOT\": \"/claraDevDay/Data/sampleData/\",\n    \"DATASET_JSON\": \"/claraDevDay/Data/sampleData/dataset.json\",\n    \"MMAR_TORCHSCRIPT\": \"models/model.ts\",\n    \"OUTPUT_CHANNELS\": 2,\n    \"INFER_DATALIST_KEY\": \"test\"\n}\n",
            patched);
    }

    [Fact]
    public void AnExistingValueIsReplacedWhereItStands()
    {
        var patched = EnvironmentPatcher.Patch(Clara40Environment, new[] { Set("DATASET_JSON", "\"config/dataset_0.json\"") });

        Assert.Equal(Clara40Environment.Replace("/claraDevDay/Data/sampleData/dataset.json", "config/dataset_0.json"), patched);
    }

    [Fact]
    public void TabsAndWindowsLineEndsAreKept()
    {
        var text = "{\r\n\t\"A\": 1,\r\n\t\"B\": {\"nested\": [1, 2]}\r\n}";

        var patched = EnvironmentPatcher.Patch(text, new[] { Set("C", "\"c\"") });

        Assert.Equal("{\r\n\t\"A\": 1,\r\n\t\"B\": {\"nested\": [1, 2]},\r\n\t\"C\": \"c\"\r\n}", patched);
        Assert.Equal("c", JsonNode.Parse(patched)!["C"]!.GetValue<string>());
    }

    [Fact]
    public void AnEmptyObjectGetsItsFirstKey()
    {
        var patched = EnvironmentPatcher.Patch("{}", new[] { Set("OUTPUT_CHANNELS", "3") });

        Assert.Equal("{\n    \"OUTPUT_CHANNELS\": 3\n}", patched);
    }

    [Fact]
    public void ARepeatedKeyHasItsLastValueReplacedAsClaraReadsTheLast()
    {
        var patched = EnvironmentPatcher.Patch("{\"K\": 1, \"K\": 2}", new[] { Set("K", "5") });

        Assert.Equal("{\"K\": 1, \"K\": 5}", patched);
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("{\"a\": 1")]
    public void TextThatIsNotAnObjectIsRefused(string text)
    {
        Assert.ThrowsAny<JsonException>(() => EnvironmentPatcher.Patch(text, new[] { Set("K", "1") }));
    }
}
