using System.IO;
using System.Linq;
using MdaiClara.Engine.Bundles;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Models;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Bundles;

public class FromBundleTests
{
    private static string Bundle(string name) => Path.Combine(TestPaths.Fixtures, "bundles", name);

    [Theory]
    [InlineData("golden-ct-seg")]
    [InlineData("golden-rgb-cls")]
    [InlineData("golden-mri-multichannel")]
    public void GoldenBundlesBecomeRunnableModelsWhosePipelineBinds(string name)
    {
        using var analysis = BundleAnalyzer.Analyze(Bundle(name));
        var model = RunnableModels.FromBundle(analysis);
        Assert.Null(model.NotRunnable);
        Assert.Equal("MONAI bundle", model.Format);
        Assert.NotNull(model.ModelFile);
        Assert.Equal("models/model.ts", model.ModelFile!.RelativePath);
        Assert.Equal(64, model.ModelFile.Sha256.Length);
        Assert.Equal(new FileInfo(Path.Combine(Bundle(name), "models", "model.ts")).Length, model.ModelFile.Bytes);
        var config = model.Inference!;
        Assert.All(config.PreTransforms.Concat(config.PostTransforms).Append(config.Inferer!), c =>
        {
            Assert.Equal("configs/inference.json", c.File);
            Assert.NotNull(c.Location);
            Assert.StartsWith("/", c.JsonPointer);
        });
        using var bound = PipelineBinder.Bind(config, MonaiSemanticsVersions.Parse(model.MonaiVersion), null, null);
        Assert.Empty(bound.Problems);
    }

    [Fact]
    public void SpecsKeepPositionsPointersAndPlainArguments()
    {
        using var analysis = BundleAnalyzer.Analyze(Bundle("zoo-style/liver_ct_segmentation"));
        var model = RunnableModels.FromBundle(analysis);
        Assert.Null(model.ModelFile);
        Assert.Equal("models/model.ts", model.ModelFileExpected);
        var spacing = model.Inference!.PreTransforms[3];
        Assert.Equal("Spacingd", spacing.CanonicalName);
        Assert.Equal("/preprocessing/transforms/3", spacing.JsonPointer);
        var line = File.ReadAllLines(Path.Combine(Bundle("zoo-style/liver_ct_segmentation"), "configs", "inference.json"))[spacing.Location!.Line - 1];
        Assert.Equal('{', line[spacing.Location.Column - 1]);
        var invert = model.Inference.PostTransforms[1];
        Assert.Equal("@preprocessing", invert.Args["transform"]);
        Assert.Equal("uint8", model.Inference.PostTransforms[3].Args["output_dtype"]);
        Assert.Equal(ModelTask.Segmentation, model.Task);
        Assert.Equal(new[] { "background", "liver", "tumour" }, model.ClassNames);
        Assert.StartsWith("configs/metadata.json:", model.InputChannelsSource);
        Assert.Equal("1.3.2", model.MonaiVersion);
        Assert.True(model.Inference.Amp);
    }

    [Fact]
    public void RefusedPipelineIsNotRunnableWithWhere()
    {
        using var analysis = BundleAnalyzer.Analyze(Bundle("zoo-style/brain_mri_lambda"));
        var model = RunnableModels.FromBundle(analysis);
        Assert.Null(model.Inference);
        Assert.Contains("configs/inference.json:", model.NotRunnable);
        Assert.Contains("lambda", model.NotRunnable);
    }

    /// <summary>
    /// metadata.json's type "image" with format "labels" is a label map (prostate_mri_anatomy) or class labels
    /// (breast_density_classification): a SaveImaged in the postprocessing makes it a segmentation, for every cmdlet.
    /// </summary>
    [Theory]
    [InlineData(true, BundleTask.Segmentation)]
    [InlineData(false, BundleTask.Classification)]
    public void ImageLabelsOutputIsASegmentationWhenThePostprocessingSavesAnImage(bool saves, BundleTask expected)
    {
        using var temp = new TempDirectory();
        var root = temp.Combine("bundle");
        TempDirectory.CopyDirectory(Bundle("golden-ct-seg"), root);
        var metadata = Path.Combine(root, "configs", "metadata.json");
        var text = File.ReadAllText(metadata);
        Assert.Contains("\"format\": \"segmentation\"", text);
        File.WriteAllText(metadata, text.Replace("\"format\": \"segmentation\"", "\"format\": \"labels\""));
        if (!saves)
        {
            var inference = Path.Combine(root, "configs", "inference.json");
            var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(inference))!.AsObject();
            var transforms = config["postprocessing"]!["transforms"]!.AsArray();
            var saver = transforms.Single(t => t!["_target_"]!.GetValue<string>() == "SaveImaged");
            transforms.Remove(saver);
            File.WriteAllText(inference, config.ToJsonString());
        }

        using var analysis = BundleAnalyzer.Analyze(root);
        Assert.Equal(expected, analysis.Info.Task);
        var task = analysis.Info.Derived.Single(d => d.Name == "Task");
        Assert.Contains("network_data_format.outputs.pred.format = labels", task.Source);
        Assert.Equal(saves, task.Source.Contains("SaveImaged", System.StringComparison.Ordinal));
        Assert.Equal(saves ? ModelTask.Segmentation : ModelTask.Classification, RunnableModels.FromBundle(analysis).Task);
    }
}
