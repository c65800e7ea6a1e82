using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Imaging.Nifti;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Spatial;
using MdaiClara.Engine.Tests.TestSupport;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace MdaiClara.Engine.Tests.Inference.Spatial;

/// <summary>
/// The seg_lps_spacing_orient pipeline's Spacingd(pixdim 1.5/1.5/2.0, bilinear) → Orientationd(RAS) on the LPS CT
/// phantom, and its Invertd of the label map, against the MONAI 1.3.2 and 0.8.1 references.
/// </summary>
[Collection(TorchCollection.Name)]
public class SpacingOrientationPipelineTests
{
    private const string Case = "pipelines/seg_lps_spacing_orient";
    private static readonly double[] Pixdim = { 1.5, 1.5, 2.0 };
    private readonly ITestOutputHelper _output;

    public SpacingOrientationPipelineTests(ITestOutputHelper output)
    {
        _output = output;
        TorchRuntime.EnsureLoaded();
    }

    public static IEnumerable<object[]> BothVersions => new[] { new object[] { MonaiSemantics.Monai08 }, new object[] { MonaiSemantics.Monai1x } };

    [Theory]
    [MemberData(nameof(BothVersions))]
    public void SpacingThenOrientationMatchTheIntermediates(MonaiSemantics semantics)
    {
        using var scope = torch.NewDisposeScope();
        var volume = NiftiReader.Read(TestPaths.Golden("inputs/nifti/ct_lps_aniso.nii.gz"));
        var image = ChannelFirst(volume);
        var recorded = PreTransforms(semantics);

        var spacing = SpacingTransform.Plan(volume.Affine, volume.Shape.ToArray(), Pixdim, false, semantics);
        Assert.False(spacing.IsIdentity);
        var spaced = SpacingTransform.Resample(image, volume.Affine, spacing.OutputAffine, spacing.OutputShape, Interpolation.Bilinear, GridPaddingMode.Border, false, semantics);
        var orientation = OrientationTransform.Plan(spacing.OutputAffine, spacing.OutputShape, "RAS", false, semantics);
        var oriented = OrientationTransform.Apply(spaced, orientation);

        // 0.8.1's intermediates are not stored (not bit-identical to 1.3.2); its outputs differ from 1.3.2's by ≤ 3e-5.
        foreach (var (name, index, actual, affine) in new[] { ("02_Spacingd", 2, spaced, spacing.OutputAffine), ("03_Orientationd", 3, oriented, orientation.OutputAffine) })
        {
            var reference = Npy.Read(TestPaths.Golden($"{Case}/intermediates/{name}.npy"));
            var diff = SpatialGoldenCase.AssertClose(reference, actual, SpatialGoldenCase.Tolerance(reference, exact: false), name);
            var affineDiff = affine.MaxAbsDifference(SpatialGoldenCase.ReadAffine(recorded[index].GetProperty("affine")));
            Assert.True(affineDiff <= 1e-3, $"{name} affine differs by {affineDiff}");
            Assert.Equal(recorded[index].GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()), actual.shape);
            var sum = actual.to_type(torch.ScalarType.Float64).sum().item<double>();
            _output.WriteLine($"{semantics} {name}: max abs diff {diff:G3} vs 1.3.2 (tolerance {SpatialGoldenCase.Tolerance(reference, false):G3}), affine diff {affineDiff:G3}, sum {sum:R} vs recorded {recorded[index].GetProperty("stats").GetProperty("sum").GetDouble():R}");
        }
    }

    [Theory]
    [MemberData(nameof(BothVersions))]
    public void InvertdBringsTheLabelMapBackOntoTheInputGrid(MonaiSemantics semantics)
    {
        using var scope = torch.NewDisposeScope();
        var volume = NiftiReader.Read(TestPaths.Golden("inputs/nifti/ct_lps_aniso.nii.gz"));
        var spacing = SpacingTransform.Plan(volume.Affine, volume.Shape.ToArray(), Pixdim, false, semantics);
        var orientation = OrientationTransform.Plan(spacing.OutputAffine, spacing.OutputShape, "RAS", false, semantics);
        var folder = semantics == MonaiSemantics.Monai08 ? "monai-0.8.1/" + Case : Case;
        var labels = Npy.ReadTensor(TestPaths.Golden(folder + (semantics == MonaiSemantics.Monai08 ? "/post_01_AsDiscreted.npy" : "/post_02_KeepLargestConnectedComponentd.npy")));

        // Invertd replays the stack backwards: Orientation, then Spacing with nearest_interp=true.
        var unoriented = OrientationTransform.Invert(labels, orientation);
        var restored = SpacingTransform.Invert(unoriented, spacing.OutputAffine, volume.Affine, volume.Shape.ToArray(), Interpolation.Nearest, GridPaddingMode.Border, false, semantics);
        var grid = SpacingTransform.PlanInverse(spacing.OutputAffine, spacing.OutputShape, volume.Affine, volume.Shape.ToArray(), semantics);

        var reference = NiftiReader.Read(TestPaths.Golden(folder + "/label.nii.gz"));
        Assert.Equal(reference.Shape, restored.shape.Skip(1));
        Assert.Equal(reference.Shape, grid.OutputShape);
        Assert.True(grid.OutputAffine.MaxAbsDifference(reference.Affine) <= 1e-3, $"{grid.OutputAffine} vs {reference.Affine}");
        var expected = ChannelFirst(reference);
        var differing = restored.ne(expected).sum().item<long>();
        _output.WriteLine($"{semantics}: {differing} of {expected.numel()} label voxels differ from the reference");
        Assert.Equal(0, differing);
    }

    /// <summary>A volume as MONAI's channel-first float32 [1, X, Y, Z] (the buffer is i-fastest, so reverse the axes).</summary>
    private static torch.Tensor ChannelFirst(Volume volume)
    {
        var shape = volume.Shape.ToArray();
        var values = Npy.ToDoubles(volume.GetVoxels());
        return torch.tensor(values, new[] { shape[2], shape[1], shape[0] }, torch.ScalarType.Float64).permute(2, 1, 0).contiguous().to_type(torch.ScalarType.Float32).unsqueeze(0);
    }

    private static JsonElement[] PreTransforms(MonaiSemantics semantics)
    {
        var path = TestPaths.Golden((semantics == MonaiSemantics.Monai08 ? "monai-0.8.1/" : string.Empty) + Case + "/case.json");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("pre_transforms").EnumerateArray().Select(e => e.Clone()).ToArray();
    }
}
