using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Spatial;
using TorchSharp;
using Xunit;

namespace MdaiClara.Engine.Tests.Inference.Spatial;

/// <summary>Spacing's inverse as Invertd runs it, in both MONAI versions.</summary>
[Collection(TorchCollection.Name)]
public class SpacingInverseTests
{
    public SpacingInverseTests() => TorchRuntime.EnsureLoaded();

    public static IEnumerable<object[]> BothVersions => new[] { new object[] { MonaiSemantics.Monai08 }, new object[] { MonaiSemantics.Monai1x } };

    /// <summary>Golden input grids × versions: the inverse grid must be the original grid.</summary>
    public static IEnumerable<object[]> GoldenGrids =>
        new[] { "bilinear_down", "bilinear_up", "nearest_labels_lps", "bilinear_lps_2ch", "bilinear_oblique", "bilinear_align_corners", "nearest_upsample" }
            .SelectMany(name => new[] { new object[] { name, MonaiSemantics.Monai08 }, new object[] { name, MonaiSemantics.Monai1x } });

    [Theory]
    [MemberData(nameof(BothVersions))]
    public void NearestUpsamplingByAnIntegerFactorInvertsExactly(MonaiSemantics semantics)
    {
        using var scope = torch.NewDisposeScope();
        var lps = new Affine(new double[] { -2, 0, 0, 40, 0, -2, 0, 30, 0, 0, 3, -20, 0, 0, 0, 1 });
        var input = torch.randint(0, 5, new long[] { 2, 6, 5, 4 }, dtype: torch.ScalarType.Float32);

        var plan = SpacingTransform.Plan(lps, new long[] { 6, 5, 4 }, new[] { 1.0, 0.5, 1.0 }, false, semantics);
        var upsampled = SpacingTransform.Resample(input, lps, plan.OutputAffine, plan.OutputShape, Interpolation.Nearest, GridPaddingMode.Border, false, semantics);
        Assert.Equal(new long[] { 11, 17, 10 }, plan.OutputShape);

        var restored = SpacingTransform.Invert(upsampled, plan.OutputAffine, lps, new long[] { 6, 5, 4 }, Interpolation.Nearest, GridPaddingMode.Border, false, semantics);

        Assert.Equal(input.shape, restored.shape);
        Assert.True(Same(input, restored), "nearest up- then down-sampling by integer factors must give the input back");
    }

    [Theory]
    [MemberData(nameof(BothVersions))]
    public void NearestUpsamplingOfA2dImageInvertsExactly(MonaiSemantics semantics)
    {
        using var scope = torch.NewDisposeScope();
        var affine = new Affine(new double[] { 0.6, 0, 0, -3, 0, 0.6, 0, 4, 0, 0, 1, 0, 0, 0, 0, 1 });
        var input = torch.randint(0, 9, new long[] { 1, 9, 7 }, dtype: torch.ScalarType.Float32);

        var plan = SpacingTransform.Plan(affine, new long[] { 9, 7 }, new[] { 0.2, 0.3 }, false, semantics);
        var upsampled = SpacingTransform.Resample(input, affine, plan.OutputAffine, plan.OutputShape, Interpolation.Nearest, GridPaddingMode.Border, false, semantics);
        var restored = SpacingTransform.Invert(upsampled, plan.OutputAffine, affine, new long[] { 9, 7 }, Interpolation.Nearest, GridPaddingMode.Border, false, semantics);

        Assert.Equal(new long[] { 25, 13 }, plan.OutputShape);
        Assert.Equal(1, plan.OutputAffine[2, 2]);
        Assert.True(Same(input, restored));
    }

    [Theory]
    [MemberData(nameof(GoldenGrids))]
    public void TheInverseGridIsTheOriginalGrid(string name, MonaiSemantics semantics)
    {
        var golden = SpatialGoldenCase.Monai132("spacing", name);
        var inputShape = golden.Args.GetProperty("files").GetProperty("input").GetProperty("shape").EnumerateArray().Skip(1).Select(e => e.GetInt64()).ToArray();
        var plan = SpacingTransform.Plan(golden.InputAffine, inputShape, golden.Pixdim, false, semantics);

        var inverse = SpacingTransform.PlanInverse(plan.OutputAffine, plan.OutputShape, golden.InputAffine, inputShape, semantics);

        Assert.False(inverse.IsIdentity);
        Assert.Equal(inputShape, inverse.OutputShape);
        Assert.True(inverse.OutputAffine.MaxAbsDifference(golden.InputAffine) < 1e-9, $"{inverse.OutputAffine} vs {golden.InputAffine}");
    }

    [Theory]
    [MemberData(nameof(BothVersions))]
    public void BilinearRoundTripOfASmoothFieldStaysClose(MonaiSemantics semantics)
    {
        using var scope = torch.NewDisposeScope();
        var golden = SpatialGoldenCase.Monai132("spacing", "bilinear_oblique");
        var input = golden.ReadInput();
        var shape = input.shape.Skip(1).ToArray();
        var plan = SpacingTransform.Plan(golden.InputAffine, shape, new[] { 0.5, 0.5, 1.0 }, false, semantics);
        var fine = SpacingTransform.Resample(input, golden.InputAffine, plan.OutputAffine, plan.OutputShape, Interpolation.Bilinear, GridPaddingMode.Border, false, semantics);

        var restored = SpacingTransform.Invert(fine, plan.OutputAffine, golden.InputAffine, shape, Interpolation.Bilinear, GridPaddingMode.Border, false, semantics);

        Assert.Equal(input.shape, restored.shape);
        var error = (restored - input).abs().max().item<float>();
        var range = (input.max() - input.min()).item<float>();
        Assert.True(error < 0.1 * range, $"round trip error {error} on a range of {range}");
    }

    [Theory]
    [MemberData(nameof(BothVersions))]
    public void AnIdentityForwardGivesAnIdentityInverse(MonaiSemantics semantics)
    {
        using var scope = torch.NewDisposeScope();
        var affine = Affine.Diagonal(1.5, 1.5, 2.0);
        var input = torch.rand(1, 4, 5, 6);
        var plan = SpacingTransform.Plan(affine, new long[] { 4, 5, 6 }, new[] { 1.5, 1.5, 2.0 }, false, semantics);
        Assert.True(plan.IsIdentity);

        var inverse = SpacingTransform.PlanInverse(plan.OutputAffine, plan.OutputShape, affine, new long[] { 4, 5, 6 }, semantics);
        var restored = SpacingTransform.Invert(input, plan.OutputAffine, affine, new long[] { 4, 5, 6 }, Interpolation.Bilinear, GridPaddingMode.Border, false, semantics);

        Assert.True(inverse.IsIdentity);
        Assert.True(Same(input, restored));
    }

    [Fact]
    public void Monai081SkipsAnInverseThatIsTheIdentityEvenWhenTheShapeDiffers()
    {
        // 0.8.1 Spacing returns its input when the index transform is the identity, whatever output shape it was asked for.
        using var scope = torch.NewDisposeScope();
        var affine = Affine.Diagonal(1.5, 1.5, 2.0);
        var input = torch.rand(1, 4, 5, 6);

        var inverse081 = SpacingTransform.PlanInverse(affine, new long[] { 4, 5, 6 }, affine, new long[] { 4, 5, 7 }, MonaiSemantics.Monai08);
        var inverse1x = SpacingTransform.PlanInverse(affine, new long[] { 4, 5, 6 }, affine, new long[] { 4, 5, 7 }, MonaiSemantics.Monai1x);
        var restored081 = SpacingTransform.Invert(input, affine, affine, new long[] { 4, 5, 7 }, Interpolation.Nearest, GridPaddingMode.Border, false, MonaiSemantics.Monai08);
        var restored1x = SpacingTransform.Invert(input, affine, affine, new long[] { 4, 5, 7 }, Interpolation.Nearest, GridPaddingMode.Border, false, MonaiSemantics.Monai1x);

        Assert.True(inverse081.IsIdentity);
        Assert.Equal(new long[] { 4, 5, 6 }, restored081.shape.Skip(1));
        Assert.False(inverse1x.IsIdentity);
        Assert.Equal(new long[] { 4, 5, 7 }, restored1x.shape.Skip(1));
    }

    [Fact]
    public void Monai081RefusesToInvertADiagonalSpacing()
    {
        using var scope = torch.NewDisposeScope();
        var ex = Assert.Throws<MdaiClaraException>(() => SpacingTransform.Invert(torch.zeros(1, 3, 3, 3), Affine.Identity, Affine.Diagonal(2, 2, 2), new long[] { 2, 2, 2 }, Interpolation.Nearest, GridPaddingMode.Border, false, MonaiSemantics.Monai08, diagonal: true));

        Assert.Equal(ErrorIds.TransformArgumentInvalid, ex.ErrorId);
        Assert.Contains("diagonal", ex.Message);
    }

    /// <summary>Same shape, dtype and values.</summary>
    private static bool Same(torch.Tensor a, torch.Tensor b) => a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
