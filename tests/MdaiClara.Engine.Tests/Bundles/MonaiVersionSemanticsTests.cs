using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Bundles;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Models;
using MdaiClara.Engine.Tests.TestSupport;
using MdaiClara.Engine.Validation.Bundles;
using Xunit;

namespace MdaiClara.Engine.Tests.Bundles;

/// <summary>
/// A bundle's monai_version picks the semantics by MONAI's release history (0.9.0 still numpy, 0.9.1/1.0.0 transition,
/// 1.0.1–1.4 unchanged for what MdaiClara runs, 1.5's new CropForeground default), and Get-MonaiBundle says which and why.
/// </summary>
public sealed class MonaiVersionSemanticsTests
{
    [Theory]
    [InlineData("0.5.3", MonaiSemantics.Monai05, "0.5")]
    [InlineData("0.8.0", MonaiSemantics.Monai08, "0.8")]
    [InlineData("0.9.0", MonaiSemantics.Monai08, "API preview")]
    [InlineData("0.9.1", MonaiSemantics.Monai08, "transition")]
    [InlineData("1.0.0", MonaiSemantics.Monai08, "gaussian")]
    [InlineData("1.0.1", MonaiSemantics.Monai1x, "no change between MONAI 1.0.1 and 1.4")]
    [InlineData("1.2.0", MonaiSemantics.Monai1x, "no change between MONAI 1.0.1 and 1.4")]
    [InlineData("1.3.2", MonaiSemantics.Monai1x, "no change between MONAI 1.0.1 and 1.4")]
    [InlineData("1.4.0", MonaiSemantics.Monai1x, "no change between MONAI 1.0.1 and 1.4")]
    [InlineData("1.5.0", MonaiSemantics.Monai1x, "allow_smaller=False")]
    [InlineData("1.6", MonaiSemantics.Monai1x, "newer than")]
    public void EachReleaseGetsTheSemanticsItsHistorySays(string version, MonaiSemantics semantics, string because)
    {
        var choice = MonaiSemanticsChoices.Choose(version);
        Assert.Equal(semantics, choice.Semantics);
        Assert.Equal(MonaiSemanticsVersions.Parse(version), choice.Semantics);
        Assert.Contains(because, choice.Reason, System.StringComparison.Ordinal);
    }

    private static ComponentSpec Crop(params (string Key, object? Value)[] args) => new(
        "CropForegroundd", "CropForegroundd", false,
        new ConfigObject(new[] { new System.Collections.Generic.KeyValuePair<string, object?>("keys", "image") }.Concat(args.Select(a => new System.Collections.Generic.KeyValuePair<string, object?>(a.Key, a.Value)))),
        false, "configs/inference.json", "/preprocessing/transforms/2", new SourceLocation(3, 5));

    [Fact]
    public void Monai15sCropForegroundDefaultIsWrittenIntoTheSpecOnlyFrom15AndOnlyWhenLeftOut()
    {
        Assert.False(MonaiReleaseDefaults.Apply(Crop(), "1.4.0").Args.ContainsKey("allow_smaller"));
        Assert.False(MonaiReleaseDefaults.Apply(Crop(), "1.3.2").Args.ContainsKey("allow_smaller"));
        Assert.Equal(false, MonaiReleaseDefaults.Apply(Crop(), "1.5.0").Args["allow_smaller"]);
        Assert.Equal(false, MonaiReleaseDefaults.Apply(Crop(), "1.6.1").Args["allow_smaller"]);
        Assert.Equal(true, MonaiReleaseDefaults.Apply(Crop(("allow_smaller", true)), "1.5.0").Args["allow_smaller"]);
        var scale = new ComponentSpec("ScaleIntensityd", "ScaleIntensityd", false, ConfigObject.Empty, false, "f", "/p", null);
        Assert.Same(scale, MonaiReleaseDefaults.Apply(scale, "1.5.0"));
    }

    private static string GoldenCopy(TempDirectory temp, string monaiVersion)
    {
        var golden = Path.Combine(TestPaths.Fixtures, "bundles", "golden-ct-seg");
        var root = temp.Combine("b" + monaiVersion);
        foreach (var file in Directory.EnumerateFiles(golden, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(root, Path.GetRelativePath(golden, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        JsonEdit.Set(Path.Combine(root, "configs", "metadata.json"), "monai_version", monaiVersion);
        JsonEdit.Edit(Path.Combine(root, "configs", "inference.json"), doc => doc["preprocessing"]!["transforms"]!.AsArray()
            .Insert(2, new JsonObject { ["_target_"] = "CropForegroundd", ["keys"] = "image", ["source_key"] = "image", ["margin"] = 4 }));
        return root;
    }

    [Theory]
    [InlineData("1.4.0", false)]
    [InlineData("1.5.0", true)]
    public void ABundleNaming15RunsCropForegroundWith15sDefault(string version, bool injected)
    {
        using var temp = new TempDirectory();
        using var analysis = BundleAnalyzer.Analyze(GoldenCopy(temp, version));
        var model = RunnableModels.FromBundle(analysis);
        var crop = model.Inference!.PreTransforms.Single(t => t.CanonicalName == "CropForegroundd");
        using var bound = MdaiClara.Engine.Inference.Pipeline.PipelineBinder.Bind(model.Inference, MonaiSemanticsVersions.Parse(model.MonaiVersion), null, null);
        Assert.Empty(bound.Problems);
        Assert.Equal(injected, crop.Args.ContainsKey("allow_smaller"));
        if (injected)
        {
            Assert.Equal(false, crop.Args["allow_smaller"]);
        }
    }

    [Theory]
    [InlineData("1.3.2", "MONAI 1.x (as 1.3.2)", "no change between MONAI 1.0.1 and 1.4")]
    [InlineData("0.9.0", "MONAI 0.8.1 (Clara Train 4.1)", "API preview")]
    [InlineData("2.x.y", null, "is not a MONAI version")]
    public void GetMonaiBundleSaysWhichSemanticsAndWhy(string version, string? described, string because)
    {
        using var temp = new TempDirectory();
        var info = BundleDescription.Describe(GoldenCopy(temp, version));
        var derived = info.Derived.Single(d => d.Name == BundleDescription.SemanticsValue);
        Assert.Equal(described, derived.Value);
        Assert.StartsWith("monai_version in configs/metadata.json (configs/metadata.json:", derived.Source, System.StringComparison.Ordinal);
        Assert.Contains(because, derived.Source, System.StringComparison.Ordinal);
    }
}
