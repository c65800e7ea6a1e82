using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Bundles;
using MdaiClara.Engine.Imaging.Nifti;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Models;
using MdaiClara.Engine.Tests.Inference;
using MdaiClara.Engine.Tests.TestSupport;
using BV = MdaiClara.Engine.Validation.Bundles;
using Xunit;

namespace MdaiClara.Engine.Tests.Bundles;

/// <summary>
/// A transform list that holds Composes (in place, "@x" to one, "$@a + @b" joined lists), flattened in MONAI's order
/// with each component's own position and <c>_disabled_</c> honoured at every level: the golden CT bundle rewritten
/// that way reads as the same six pre-transforms and gives MONAI's label map unchanged.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class NestedComposeTests
{
    private static readonly string[] GoldenPre = { "LoadImaged", "EnsureChannelFirstd", "Orientationd", "Spacingd", "ScaleIntensityRanged", "EnsureTyped" };

    /// <summary>golden-ct-seg with its preprocessing split into nested Composes, a disabled Compose and a disabled transform among them.</summary>
    private static string NestedCopy(TempDirectory temp)
    {
        var golden = Path.Combine(TestPaths.Fixtures, "bundles", "golden-ct-seg");
        var root = temp.Combine("nested");
        foreach (var file in Directory.EnumerateFiles(golden, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(root, Path.GetRelativePath(golden, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var config = Path.Combine(root, "configs", "inference.json");
        var doc = JsonNode.Parse(File.ReadAllText(config))!.AsObject();
        var t = doc["preprocessing"]!["transforms"]!.AsArray().Select(n => n!.DeepClone()).ToArray();
        doc["flip"] = false;
        doc["loading"] = new JsonObject { ["_target_"] = "Compose", ["transforms"] = new JsonArray(t[0], t[1]) };
        doc["geometry"] = new JsonArray(t[2], t[3]);
        doc["intensity"] = new JsonArray(
            new JsonObject { ["_target_"] = "Spacingd", ["keys"] = "image", ["pixdim"] = new JsonArray(3.0, 3.0, 3.0), ["_disabled_"] = "$not @flip" },
            t[4]);
        doc["preprocessing"] = new JsonObject
        {
            ["_target_"] = "Compose",
            ["transforms"] = new JsonArray(
                "@loading",
                new JsonObject { ["_target_"] = "monai.transforms.Compose", ["_requires_"] = "@output_dir", ["transforms"] = "$@geometry + @intensity" },
                new JsonObject
                {
                    ["_target_"] = "Compose", ["_disabled_"] = true,
                    ["transforms"] = new JsonArray(new JsonObject { ["_target_"] = "ScaleIntensityRanged", ["keys"] = "image", ["a_min"] = 0, ["a_max"] = 1, ["b_min"] = 0, ["b_max"] = 9 }),
                },
                new JsonObject { ["_target_"] = "Compose", ["transforms"] = new JsonArray(new JsonObject { ["_target_"] = "Compose", ["transforms"] = new JsonArray(t[5]) }) }),
        };
        File.WriteAllText(config, doc.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        File.Delete(Path.Combine(root, "SHA256SUMS"));
        return root;
    }

    [Fact]
    public void NestedComposesFlattenInPipelineOrderWithTheirOwnPositions()
    {
        using var temp = new TempDirectory();
        var root = NestedCopy(temp);
        using var analysis = BundleAnalyzer.Analyze(root);
        var pipeline = analysis.Info.Pipeline!;
        Assert.Empty(pipeline.Problems);
        Assert.Equal(GoldenPre.Take(3).Append("Spacingd").Append("Spacingd").Concat(GoldenPre.Skip(4)), pipeline.PreTransforms.Select(c => c.ShortName));
        Assert.Equal(new[] { false, false, false, false, true, false, false }, pipeline.PreTransforms.Select(c => c.Disabled));
        Assert.Equal(new[] { "loading::transforms::0", "loading::transforms::1", "geometry::0", "geometry::1", "intensity::0", "intensity::1", "preprocessing::transforms::3::transforms::0::transforms::0" },
            pipeline.PreTransforms.Select(c => c.Id));
        var lines = File.ReadAllLines(Path.Combine(root, "configs", "inference.json"));
        Assert.All(pipeline.PreTransforms, c =>
        {
            Assert.Equal("configs/inference.json", c.Position.File);
            Assert.Equal('{', lines[c.Position.Line - 1][c.Position.Column - 1]);
        });

        var model = RunnableModels.FromBundle(analysis);
        Assert.Null(model.NotRunnable);
        Assert.Equal("/intensity/0", model.Inference!.PreTransforms[4].JsonPointer);
        using var bound = PipelineBinder.Bind(model.Inference, MonaiSemantics.Monai1x, null, null);
        Assert.Empty(bound.Problems);
    }

    [Fact]
    public void TheFlattenedPipelineGivesMonaisLabelMapUnchanged()
    {
        TorchRuntime.EnsureLoaded();
        using var temp = new TempDirectory();
        var root = NestedCopy(temp);
        using var analysis = BundleAnalyzer.Analyze(root);
        using var cache = new ModelSessionCache();
        var session = ClaraInferenceSession.Create(RunnableModels.FromBundle(analysis), new InferenceSessionOptions(DeviceSpec.Parse("cpu")), cache);
        var input = Path.Combine(root, "sample_data", "ct_pls.nii.gz");
        var result = session.Run(InputSource.FromFile(input, InferenceInputs.Stem(input)), null, false, null, default, null);
        var reference = NiftiReader.Read(Path.Combine(root, "expected", "ct_pls_seg.nii.gz"));
        Assert.Equal(Npy.ToDoubles(reference.GetVoxels()), Npy.ToDoubles(result.Label!.GetVoxels()));
    }

    [Fact]
    public void AnExpressionNamingOneComposeOrTransformIsFlattenedToo()
    {
        using var temp = new TempDirectory();
        var root = NestedCopy(temp);
        JsonEdit.Edit(Path.Combine(root, "configs", "inference.json"), doc => doc["preprocessing"]!["transforms"]![0] = "$@loading");
        using var analysis = BundleAnalyzer.Analyze(root);
        Assert.Empty(analysis.Info.Pipeline!.Problems);
        Assert.Equal(new[] { "loading::transforms::0", "loading::transforms::1" }, analysis.Info.Pipeline.PreTransforms.Take(2).Select(c => c.Id));
    }

    [Fact]
    public void ADisabledOuterComposeTakesItsTransformsWithIt()
    {
        using var temp = new TempDirectory();
        var root = NestedCopy(temp);
        JsonEdit.Edit(Path.Combine(root, "configs", "inference.json"), doc => doc["loading"]!["_disabled_"] = "TRUE");
        using var analysis = BundleAnalyzer.Analyze(root);
        Assert.Equal("Orientationd", analysis.Info.Pipeline!.PreTransforms[0].ShortName);
    }

    [Fact]
    public void AComposeThatContainsItselfIsACircularReference()
    {
        using var temp = new TempDirectory();
        var root = NestedCopy(temp);
        JsonEdit.Edit(Path.Combine(root, "configs", "inference.json"), doc => doc["loading"]!["transforms"]!.AsArray().Add("@preprocessing"));
        using var analysis = BundleAnalyzer.Analyze(root);
        // Invertd's "@preprocessing" meets the same circle when it resolves the whole Compose.
        var problem = analysis.Info.Pipeline!.Problems[0];
        Assert.All(analysis.Info.Pipeline.Problems, p => Assert.Equal(ConfigProblemKind.CircularReference, p.Kind));
        Assert.StartsWith("the transforms of 'preprocessing' contain 'preprocessing' itself (@preprocessing → ", problem.Message);
        Assert.Contains("→ @loading → ", problem.Message);
        Assert.Contains("cannot be read", RunnableModels.FromBundle(analysis).NotRunnable);
    }

    [Fact]
    public void ARefusedRequiresOfANestedComposeIsReportedWithItsPosition()
    {
        using var temp = new TempDirectory();
        var root = NestedCopy(temp);
        JsonEdit.Edit(Path.Combine(root, "configs", "inference.json"), doc =>
        {
            doc["preprocessing"]!["transforms"]![1]!["_requires_"] = "@make_dir";
            doc["make_dir"] = "$os.makedirs(@output_dir, exist_ok=True)";
        });
        using var analysis = BundleAnalyzer.Analyze(root);
        // reported for the flattened preprocessing and again for Invertd's "@preprocessing", as MONAI would fail both
        var problem = analysis.Info.Pipeline!.Problems[0];
        Assert.All(analysis.Info.Pipeline.Problems, p => Assert.Equal(ConfigProblemKind.ExpressionRefused, p.Kind));
        Assert.Contains("os.makedirs", problem.Message);
        Assert.Contains("_requires_ of 'preprocessing::transforms::1'", problem.Message);
        Assert.Equal(3, analysis.Info.Pipeline.PreTransforms.Count(c => c.Component is not null));
        var finding = BV.BundleValidator.Validate(analysis, new BV.BundleValidationOptions()).First(f => f.RuleId == BV.BundleRuleIds.ExpressionRefused);
        var line = File.ReadAllLines(Path.Combine(root, "configs", "inference.json"))[finding.Line!.Value - 1];
        Assert.Contains("os.makedirs", line);
    }
}
