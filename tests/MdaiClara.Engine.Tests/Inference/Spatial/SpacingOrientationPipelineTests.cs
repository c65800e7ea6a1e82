using System;
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
/// The segmentation pipelines' Spacingd(pixdim 1.5/1.5/2.0, bilinear[, align_corners]) → Orientationd(RAS) on the CT
/// phantoms, and their Invertd of the label map, against the MONAI 1.3.2 and 0.8.1 references.
/// </summary>
[Collection(TorchCollection.Name)]
public class SpacingOrientationPipelineTests
{
    private static readonly double[] Pixdim = { 1.5, 1.5, 2.0 };

    /// <summary>Case → (input, Spacingd align_corners).</summary>
    private static readonly Dictionary<string, (string Input, bool AlignCorners)> Cases = new()
    {
        ["seg_lps_spacing_orient"] = ("inputs/nifti/ct_lps_aniso.nii.gz", false),
        ["seg_dicom_s16"] = ("inputs/dicom_ref/dcm_ct_s16/dcm2niix/dcm_ct_s16.nii.gz", true),
        ["seg_ras_noresample"] = ("inputs/nifti/ct_ras_iso.nii.gz", false),
    };

    private readonly ITestOutputHelper _output;

    public SpacingOrientationPipelineTests(ITestOutputHelper output)
    {
        _output = output;
        TorchRuntime.EnsureLoaded();
    }

    public static IEnumerable<object[]> ForwardCases => Cases.Keys.SelectMany(name => new[] { new object[] { name, MonaiSemantics.Monai08 }, new object[] { name, MonaiSemantics.Monai1x } });

    public static IEnumerable<object[]> InverseCases => new[] { "seg_lps_spacing_orient", "seg_dicom_s16" }.SelectMany(name => new[] { new object[] { name, MonaiSemantics.Monai08 }, new object[] { name, MonaiSemantics.Monai1x } });

    [Theory]
    [MemberData(nameof(ForwardCases))]
    public void SpacingThenOrientationMatchTheRecordedSteps(string name, MonaiSemantics semantics)
    {
        using var scope = torch.NewDisposeScope();
        var (inputPath, alignCorners) = Cases[name];
        var volume = NiftiReader.Read(TestPaths.Golden(inputPath));
        var image = ChannelFirst(volume);
        var recorded = PreTransforms(name, semantics);

        var spacing = SpacingTransform.Plan(volume.Affine, volume.Shape.ToArray(), Pixdim, false, semantics);
        var spaced = SpacingTransform.Apply(image, volume.Affine, spacing, Interpolation.Bilinear, GridPaddingMode.Border, alignCorners, semantics);
        var orientation = OrientationTransform.Plan(spacing.OutputAffine, spacing.OutputShape, "RAS", false, semantics);
        var oriented = OrientationTransform.Apply(spaced, orientation);

        Assert.Equal(name == "seg_ras_noresample", spacing.IsIdentity);
        foreach (var (step, index, actual, affine) in new[] { ("Spacingd", 2, spaced, spacing.OutputAffine), ("Orientationd", 3, oriented, orientation.OutputAffine) })
        {
            Assert.Equal(step, recorded[index].GetProperty("transform").GetString());
            Assert.Equal(recorded[index].GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()), actual.shape);
            var affineDiff = affine.MaxAbsDifference(SpatialGoldenCase.ReadAffine(recorded[index].GetProperty("affine")));
            Assert.True(affineDiff <= 1e-3, $"{step} affine differs by {affineDiff}");

            // Statistics separate the versions where they differ (align_corners=True: means 7 HU apart).
            var stats = recorded[index].GetProperty("stats");
            var (min, max, mean) = (actual.min().item<float>(), actual.max().item<float>(), actual.to_type(torch.ScalarType.Float64).mean().item<double>());
            var tolerance = 1e-4 + (1e-5 * Math.Max(Math.Abs(stats.GetProperty("min").GetDouble()), Math.Abs(stats.GetProperty("max").GetDouble())));
            Assert.Equal(stats.GetProperty("min").GetDouble(), min, tolerance);
            Assert.Equal(stats.GetProperty("max").GetDouble(), max, tolerance);
            Assert.Equal(stats.GetProperty("mean").GetDouble(), mean, 1e-5);
            _output.WriteLine($"{semantics} {name} {step}: affine diff {affineDiff:G3}, min {min} max {max} mean {mean:R} (recorded {stats.GetProperty("min").GetDouble()} {stats.GetProperty("max").GetDouble()} {stats.GetProperty("mean").GetDouble():R})");

            var intermediate = $"pipelines/{name}/intermediates/0{index}_{step}.npy";
            if (File.Exists(TestPaths.Golden(intermediate)))
            {
                // Stored once, from 1.3.2; 0.8.1 differs from it by float noise (≤ 3e-5 on these values).
                var reference = Npy.Read(TestPaths.Golden(intermediate));
                var diff = SpatialGoldenCase.AssertClose(reference, actual, SpatialGoldenCase.Tolerance(reference, exact: false), intermediate);
                _output.WriteLine($"{semantics} {intermediate}: max abs diff {diff:G3} (tolerance {SpatialGoldenCase.Tolerance(reference, false):G3})");
            }
        }
    }

    [Theory]
    [MemberData(nameof(InverseCases))]
    public void InvertdBringsTheLabelMapBackOntoTheInputGrid(string name, MonaiSemantics semantics)
    {
        using var scope = torch.NewDisposeScope();
        var volume = NiftiReader.Read(TestPaths.Golden(Cases[name].Input));
        var spacing = SpacingTransform.Plan(volume.Affine, volume.Shape.ToArray(), Pixdim, false, semantics);
        var orientation = OrientationTransform.Plan(spacing.OutputAffine, spacing.OutputShape, "RAS", false, semantics);
        var folder = (semantics == MonaiSemantics.Monai08 ? "monai-0.8.1/" : string.Empty) + "pipelines/" + name;

        // 0.8.1's component filter removed nothing in these cases, so its reference keeps only the AsDiscreted map.
        var labels = Npy.ReadTensor(TestPaths.Golden(folder + (semantics == MonaiSemantics.Monai08 ? "/post_01_AsDiscreted.npy" : "/post_02_KeepLargestConnectedComponentd.npy")));

        // Invertd replays the stack backwards: Orientation, then Spacing. nearest_interp=true turns the mode into
        // nearest and align_corners back to False (convert_inverse_interp_mode / convert_applied_interp_mode), so
        // seg_dicom_s16's align_corners=True does not reach the inverse.
        var unoriented = OrientationTransform.Invert(labels, orientation);
        var restored = SpacingTransform.Invert(unoriented, spacing.OutputAffine, volume.Affine, volume.Shape.ToArray(), Interpolation.Nearest, GridPaddingMode.Border, false, semantics);
        var grid = SpacingTransform.PlanInverse(spacing.OutputAffine, spacing.OutputShape, volume.Affine, volume.Shape.ToArray(), semantics);

        var reference = NiftiReader.Read(TestPaths.Golden(folder + "/label.nii.gz"));
        Assert.Equal(reference.Shape, restored.shape.Skip(1));
        Assert.Equal(reference.Shape, grid.OutputShape);
        Assert.True(grid.OutputAffine.MaxAbsDifference(reference.Affine) <= 1e-3, $"{grid.OutputAffine} vs {reference.Affine}");
        var expected = ChannelFirst(reference);
        var differing = restored.ne(expected).sum().item<long>();
        _output.WriteLine($"{semantics} {name}: {differing} of {expected.numel()} label voxels differ from the reference");
        Assert.Equal(0, differing);
    }

    /// <summary>A volume as MONAI's channel-first float32 [1, X, Y, Z] (the buffer is i-fastest, so reverse the axes).</summary>
    private static torch.Tensor ChannelFirst(Volume volume)
    {
        var shape = volume.Shape.ToArray();
        var values = Npy.ToDoubles(volume.GetVoxels());
        return torch.tensor(values, new[] { shape[2], shape[1], shape[0] }, torch.ScalarType.Float64).permute(2, 1, 0).contiguous().to_type(torch.ScalarType.Float32).unsqueeze(0);
    }

    private static JsonElement[] PreTransforms(string name, MonaiSemantics semantics)
    {
        var path = TestPaths.Golden((semantics == MonaiSemantics.Monai08 ? "monai-0.8.1/" : string.Empty) + "pipelines/" + name + "/case.json");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("pre_transforms").EnumerateArray().Select(e => e.Clone()).ToArray();
    }
}
