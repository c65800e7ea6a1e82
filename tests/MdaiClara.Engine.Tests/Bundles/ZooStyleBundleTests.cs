using System.IO;
using System.Linq;
using MdaiClara.Engine.Bundles;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Bundles;

/// <summary>
/// Two config-only bundles of our own in the Model Zoo's idiom (tests/fixtures/bundles/zoo-style, made by its script) are read
/// right. The real Zoo configs stay outside the repository; tools/Read-RealBundles.ps1 reads those.
/// </summary>
public class ZooStyleBundleTests
{
    private static BundleAnalysis Open(string name) => BundleAnalyzer.Analyze(Path.Combine(TestPaths.Fixtures, "bundles", "zoo-style", name));

    private static string[] Targets(System.Collections.Generic.IEnumerable<PipelineComponent> components) => components.Select(c => c.ShortName).ToArray();

    [Theory]
    [InlineData("liver_ct_segmentation", "Zoo-style liver CT segmentation", "0.2.1", "1.3.2", "2.1.0", BundleTask.Segmentation, 1, 3, "background,liver,tumour",
        "LoadImaged,EnsureChannelFirstd,Orientationd,Spacingd,ScaleIntensityRanged,EnsureTyped", "SlidingWindowInferer", "Activationsd,Invertd,AsDiscreted,SaveImaged")]
    [InlineData("brain_mri_lambda", "Zoo-style brain MRI segmentation", "0.3.0", "1.3.2", "2.1.0", BundleTask.Segmentation, 4, 3, "core,whole,enhancing",
        "LoadImaged,NormalizeIntensityd", "SlidingWindowInferer", "Activationsd,Invertd,AsDiscreted,Lambdad,SaveImaged")]
    [InlineData("spleen_ct_composed", "Zoo-style spleen CT segmentation, nested Composes", "0.2.1", "1.3.2", "2.1.0", BundleTask.Segmentation, 1, 3, "background,spleen,vessels",
        "LoadImaged,EnsureChannelFirstd,Orientationd,Spacingd,RandFlipd,ScaleIntensityRanged,EnsureTyped", "SlidingWindowInferer", "Activationsd,Invertd,AsDiscreted,SaveImaged")]
    public void DerivesNameVersionsTaskChannelsLabelsAndTransforms(string folder, string name, string version, string monai, string pytorch, BundleTask task,
        int inChannels, int outChannels, string labels, string pre, string inferer, string post)
    {
        using var analysis = Open(folder);
        var info = analysis.Info;
        Assert.Equal(name, info.Name);
        Assert.Equal(version, info.Version);
        Assert.Equal(monai, info.MonaiVersion);
        Assert.Equal(pytorch, info.PytorchVersion);
        Assert.Equal(task, info.Task);
        Assert.Equal(inChannels, info.InputChannels);
        Assert.Equal(outChannels, info.OutputChannels);
        Assert.Equal(labels.Split(','), info.Labels);
        var pipeline = info.Pipeline!;
        Assert.Equal(pre.Split(','), Targets(pipeline.PreTransforms));
        Assert.Equal(inferer, pipeline.Inferer?.Component?.ShortName);
        Assert.Equal(post.Split(','), Targets(pipeline.PostTransforms));
        Assert.All(info.Derived, d => Assert.False(string.IsNullOrEmpty(d.Source)));
        Assert.Contains(info.Derived, d => d.Name == "InputChannels" && d.Source.StartsWith("configs/metadata.json:", System.StringComparison.Ordinal));
    }

    [Fact]
    public void ALambdaPostTransformIsRefusedWithItsPositionAndTheOthersStillResolve()
    {
        using var analysis = Open("brain_mri_lambda");
        var pipeline = analysis.Info.Pipeline!;
        var lambda = pipeline.PostTransforms.Single(c => c.ShortName == "Lambdad");
        Assert.Null(lambda.Component);
        var problem = Assert.Single(pipeline.Problems);
        Assert.Equal(ConfigProblemKind.ExpressionRefused, problem.Kind);
        Assert.Equal("configs/inference.json", problem.Position.File);
        var line = File.ReadAllLines(Path.Combine(TestPaths.Fixtures, "bundles", "zoo-style", "brain_mri_lambda", "configs", "inference.json"))[problem.Position.Line - 1];
        Assert.Equal("\"$lambda x:", line.Substring(problem.Position.Column - 1, 11));
        Assert.Contains("lambda", problem.Message);
        Assert.False(pipeline.Resolved);
        Assert.All(pipeline.All.Where(c => c != lambda), c => Assert.NotNull(c.Component));
    }

    [Fact]
    public void ArgumentsAreResolvedFromReferencesAndExpressions()
    {
        using var analysis = Open("liver_ct_segmentation");
        var pipeline = analysis.Info.Pipeline!;
        Assert.True(pipeline.Resolved);
        var load = pipeline.PreTransforms[0].Component!;
        Assert.Equal("image", load.Arg("keys"));
        var spacing = pipeline.PreTransforms[3].Component!;
        Assert.Equal(new object?[] { 1.0, 1.0, 2.5 }, (object?[])spacing.Arg("pixdim")!);
        var save = pipeline.PostTransforms[3].Component!;
        Assert.Equal("./eval", save.Arg("output_dir"));
        Assert.Equal(new DTypeValue("uint8", "numpy.uint8"), save.Arg("output_dtype"));
        var invert = pipeline.PostTransforms[1].Component!;
        Assert.Equal("preprocessing", Assert.IsType<ComponentValue>(invert.Arg("transform")).Id);
        Assert.Equal(new long[] { 64, 64, 32 }, ((object?[])pipeline.Inferer!.Component!.Arg("roi_size")!).Cast<long>());
        var datalist = Assert.IsType<DerivedValue>(pipeline.Datalist);
        Assert.Contains("glob.glob('/data/tests/images/*.nii.gz')", BundleValues.Display(datalist.Value));
    }

    [Fact]
    public void NestedComposesAndRequiresInTheZoosIdiomResolveAndBind()
    {
        using var analysis = Open("spleen_ct_composed");
        var pipeline = analysis.Info.Pipeline!;
        Assert.True(pipeline.Resolved, string.Join("; ", pipeline.Problems));
        Assert.Equal(new[] { false, false, false, false, true, false, false }, pipeline.PreTransforms.Select(c => c.Disabled));
        Assert.Equal(new[] { "@device", "$@bundle_root + '/models'" }, pipeline.Inferer!.Component!.Requires);
        Assert.Equal("geometry::2", pipeline.PreTransforms[4].Id);
        var model = MdaiClara.Engine.Models.RunnableModels.FromBundle(analysis);
        using var bound = MdaiClara.Engine.Inference.Pipeline.PipelineBinder.Bind(model.Inference!, MdaiClara.Engine.Inference.MonaiSemantics.Monai1x, null, null);
        Assert.Empty(bound.Problems);
    }
}
