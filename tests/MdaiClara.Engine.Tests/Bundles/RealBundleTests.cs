using System.IO;
using System.Linq;
using MdaiClara.Engine.Bundles;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Bundles;

/// <summary>Every real Model Zoo bundle config under tests/fixtures/bundles/real is read right (see its README).</summary>
public class RealBundleTests
{
    private static BundleAnalysis Open(string name) => BundleAnalyzer.Analyze(Path.Combine(TestPaths.Fixtures, "bundles", "real", name));

    private static string[] Targets(System.Collections.Generic.IEnumerable<PipelineComponent> components) => components.Select(c => c.ShortName).ToArray();

    [Theory]
    [InlineData("spleen_ct_segmentation", "Spleen CT segmentation", "0.5.9", "1.4.0", "2.4.0", BundleTask.Segmentation, 1, 2, "background,spleen",
        "LoadImaged,EnsureChannelFirstd,Orientationd,Spacingd,ScaleIntensityRanged,EnsureTyped", "SlidingWindowInferer", "Activationsd,Invertd,AsDiscreted,SaveImaged")]
    [InlineData("spleen_ct_segmentation_v0.1.0_2022-05", "spleen_ct_segmentation_v0.1.0_2022-05", "0.1.0", "0.9.0", "1.10.0", BundleTask.Segmentation, 1, 2, "background,spleen",
        "LoadImaged,EnsureChannelFirstd,Orientationd,Spacingd,ScaleIntensityRanged,EnsureTyped", "SlidingWindowInferer", "Activationsd,Invertd,AsDiscreted,SaveImaged")]
    [InlineData("brats_mri_segmentation", "BraTS MRI segmentation", "0.5.2", "1.4.0", "2.4.0", BundleTask.Segmentation, 4, 3, "Tumor core,Whole tumor,Enhancing tumor",
        "LoadImaged,NormalizeIntensityd", "SlidingWindowInferer", "Activationsd,Invertd,AsDiscreted,Lambdad,SaveImaged")]
    [InlineData("swin_unetr_btcv_segmentation", "Swin UNETR BTCV segmentation", "0.5.6", "1.4.0", "2.4.0", BundleTask.Segmentation, 1, 14,
        "background,spleen,Right Kidney,Left Kideny,Gallbladder,Esophagus,Liver,Stomach,Aorta,IVC,Portal and Splenic Veins,Pancreas,Right adrenal gland,Left adrenal gland",
        "LoadImaged,EnsureChannelFirstd,Orientationd,Spacingd,ScaleIntensityRanged,EnsureTyped", "SlidingWindowInferer", "Activationsd,Invertd,AsDiscreted,SaveImaged")]
    [InlineData("breast_density_classification", "Breast density classification", "0.1.6", "1.3.0", "1.13.1", BundleTask.Classification, 3, 4, "A,B,C,D",
        "LoadImaged,EnsureChannelFirstd,ScaleIntensityd,Resized", "SimpleInferer", "Activationsd")]
    [InlineData("endoscopic_inbody_classification", "Endoscopic inbody classification", "0.4.9", "1.4.0", "2.4.0", BundleTask.Classification, 3, 2, "in body,out body",
        "LoadImaged,EnsureChannelFirstd,Resized,CastToTyped,NormalizeIntensityd,EnsureTyped", "SimpleInferer", "AsDiscreted,SaveClassificationd")]
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
    public void BratsLambdaPostTransformIsRefusedWithItsPositionAndTheOthersStillResolve()
    {
        using var analysis = Open("brats_mri_segmentation");
        var pipeline = analysis.Info.Pipeline!;
        var lambda = pipeline.PostTransforms.Single(c => c.ShortName == "Lambdad");
        Assert.Null(lambda.Component);
        var problem = Assert.Single(pipeline.Problems);
        Assert.Equal(ConfigProblemKind.ExpressionRefused, problem.Kind);
        Assert.Equal("configs/inference.json", problem.Position.File);
        var line = File.ReadAllLines(Path.Combine(TestPaths.Fixtures, "bundles", "real", "brats_mri_segmentation", "configs", "inference.json"))[problem.Position.Line - 1];
        Assert.Equal("\"$lambda x:", line.Substring(problem.Position.Column - 1, 11));
        Assert.Contains("lambda", problem.Message);
        Assert.False(pipeline.Resolved);
        Assert.All(pipeline.All.Where(c => c != lambda), c => Assert.NotNull(c.Component));
    }

    [Fact]
    public void SpleenArgumentsAreResolvedFromReferencesAndExpressions()
    {
        using var analysis = Open("spleen_ct_segmentation");
        var pipeline = analysis.Info.Pipeline!;
        Assert.True(pipeline.Resolved);
        var load = pipeline.PreTransforms[0].Component!;
        Assert.Equal("image", load.Arg("keys"));
        var spacing = pipeline.PreTransforms[3].Component!;
        Assert.Equal(new object?[] { 1.5, 1.5, 2.0 }, (object?[])spacing.Arg("pixdim")!);
        var save = pipeline.PostTransforms[3].Component!;
        Assert.Equal("./eval", save.Arg("output_dir"));
        Assert.Equal(new DTypeValue("float32", "numpy.float32"), save.Arg("output_dtype"));
        var invert = pipeline.PostTransforms[1].Component!;
        Assert.Equal("preprocessing", Assert.IsType<ComponentValue>(invert.Arg("transform")).Id);
        Assert.Equal(new long[] { 96, 96, 96 }, ((object?[])pipeline.Inferer!.Component!.Arg("roi_size")!).Cast<long>());
        var datalist = Assert.IsType<DerivedValue>(pipeline.Datalist);
        Assert.Contains("glob.glob('/workspace/data/Task09_Spleen/imagesTs/*.nii.gz')", BundleValues.Display(datalist.Value));
    }
}
