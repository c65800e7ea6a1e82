using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Spatial;
using MdaiClara.Engine.Tests.TestSupport;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace MdaiClara.Engine.Tests.Inference.Spatial;

/// <summary>Spacing against the golden single-transform cases of MONAI 1.3.2 (unit/spacing) and MONAI 0.8.1 (monai-0.8.1/unit).</summary>
[Collection(TorchCollection.Name)]
public class SpacingGoldenTests
{
    private readonly ITestOutputHelper _output;

    public SpacingGoldenTests(ITestOutputHelper output)
    {
        _output = output;
        TorchRuntime.EnsureLoaded();
    }

    public static IEnumerable<object[]> Monai132Cases => new[]
    {
        "bilinear_down", "bilinear_up", "nearest_labels_lps", "bilinear_lps_2ch", "bilinear_oblique", "bilinear_align_corners", "nearest_upsample",
    }.Select(name => new object[] { name });

    /// <summary>Every spacing case of monai-0.8.1/unit/index.json: the seven 1.3.2 cases and the two new ones.</summary>
    public static IEnumerable<object[]> Monai081Cases => Monai132Cases.Select(c => (string)c[0]).Concat(new[] { "short_pixdim", "scalar_pixdim" }).Select(name => new object[] { name });

    [Theory]
    [MemberData(nameof(Monai132Cases))]
    public void MatchesMonai132(string name) => Check(SpatialGoldenCase.Monai132("spacing", name), MonaiSemantics.Monai1x, "1.3.2");

    [Theory]
    [MemberData(nameof(Monai081Cases))]
    public void MatchesMonai081(string name)
    {
        // identical_to_1.3.2 cases point at the 1.3.2 folder; differs/new ones at monai-0.8.1/unit/spacing/<case>.
        var status = SpatialGoldenCase.Monai081Status("spacing", name);
        Assert.Contains(status, new[] { "identical_to_1.3.2", "differs", "new" });
        Check(SpatialGoldenCase.Monai081("spacing", name), MonaiSemantics.Monai08, "0.8.1 " + status);
    }

    /// <summary>What 1.3.2 gives for the new 0.8.1 cases (a short or scalar pixdim padded with its last value).</summary>
    [Theory]
    [InlineData("short_pixdim")]
    [InlineData("scalar_pixdim")]
    public void ShortPixdimAsMonai132(string name)
    {
        var golden = SpatialGoldenCase.Monai081("spacing", name);
        var recorded = golden.Args.GetProperty("monai_1_3_2");
        using var scope = torch.NewDisposeScope();
        var input = golden.ReadInput();

        var plan = SpacingTransform.Plan(golden.InputAffine, input.shape.Skip(1).ToArray(), golden.Pixdim, false, MonaiSemantics.Monai1x);
        var output = SpacingTransform.Resample(input, golden.InputAffine, plan.OutputAffine, plan.OutputShape, golden.Mode, golden.Padding, golden.AlignCorners, MonaiSemantics.Monai1x);

        Assert.Equal(recorded.GetProperty("output_shape_1_3_2").EnumerateArray().Skip(1).Select(e => e.GetInt64()), plan.OutputShape);
        Assert.True(plan.OutputAffine.MaxAbsDifference(SpatialGoldenCase.ReadAffine(recorded.GetProperty("output_affine_1_3_2"))) <= 1e-3);
        var reference = Npy.Read(TestPaths.Golden(golden.Folder + "/output_monai132.npy"));
        var diff = SpatialGoldenCase.AssertClose(reference, output, SpatialGoldenCase.Tolerance(reference, golden.Mode == Interpolation.Nearest), name);
        _output.WriteLine($"{name} (1.3.2 from the 0.8.1 case): max abs diff {diff:G3}");
    }

    private void Check(SpatialGoldenCase golden, MonaiSemantics semantics, string label)
    {
        using var scope = torch.NewDisposeScope();
        var input = golden.ReadInput();
        var spatialShape = input.shape.Skip(1).ToArray();

        var plan = SpacingTransform.Plan(golden.InputAffine, spatialShape, golden.Pixdim, false, semantics);
        Assert.False(plan.IsIdentity);
        var output = SpacingTransform.Resample(input, golden.InputAffine, plan.OutputAffine, plan.OutputShape, golden.Mode, golden.Padding, golden.AlignCorners, semantics);

        Assert.Equal(golden.OutputSpatialShape, plan.OutputShape);
        var affineDiff = plan.OutputAffine.MaxAbsDifference(golden.OutputAffine);
        Assert.True(affineDiff <= 1e-3, $"output affine differs by {affineDiff} mm: {plan.OutputAffine} vs {golden.OutputAffine}");
        var reference = golden.ReadOutput();
        var exact = golden.Mode == Interpolation.Nearest;
        var diff = SpatialGoldenCase.AssertClose(reference, output, SpatialGoldenCase.Tolerance(reference, exact), golden.Folder);
        _output.WriteLine($"{label} {golden.Folder}: max abs diff {diff:G3} (tolerance {SpatialGoldenCase.Tolerance(reference, exact):G3}, max|ref| {reference.Values.Max(System.Math.Abs):G4}), affine diff {affineDiff:G3}");
    }
}
