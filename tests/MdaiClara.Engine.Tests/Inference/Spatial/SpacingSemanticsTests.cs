using System;
using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Spatial;
using TorchSharp;
using Xunit;

namespace MdaiClara.Engine.Tests.Inference.Spatial;

/// <summary>Where MONAI releases differ in Spacing, checked on analytic inputs (ramps whose values are their index).</summary>
[Collection(TorchCollection.Name)]
public class SpacingSemanticsTests
{
    public SpacingSemanticsTests() => TorchRuntime.EnsureLoaded();

    [Theory]
    [InlineData(MonaiSemantics.Monai1x, new[] { 1.5, 1.5, 1.5 })]
    [InlineData(MonaiSemantics.Monai08, new[] { 1.5, 1.0, 1.0 })]
    [InlineData(MonaiSemantics.Monai05, new[] { 1.5, 0.9, 2.5 })]
    public void AShortPixdimIsPaddedPerVersion(MonaiSemantics semantics, double[] expectedSpacing)
    {
        var input = Affine.Diagonal(0.8, 0.9, 2.5);

        var plan = SpacingTransform.Plan(input, new long[] { 24, 20, 12 }, new[] { 1.5 }, false, semantics);

        Assert.Equal(expectedSpacing, plan.OutputAffine.Spacing.Select(v => Math.Round(v, 12)));
    }

    [Theory]
    [InlineData(MonaiSemantics.Monai08)]
    [InlineData(MonaiSemantics.Monai1x)]
    public void NonPositiveEntriesKeepTheOriginalSpacing(MonaiSemantics semantics)
    {
        var input = Affine.Diagonal(0.8, 0.9, 2.5);

        var plan = SpacingTransform.Plan(input, new long[] { 24, 20, 12 }, new[] { 0, 2.0, -1 }, false, semantics);

        Assert.Equal(new[] { 0.8, 2.0, 2.5 }, plan.OutputAffine.Spacing.Select(v => Math.Round(v, 12)));
    }

    [Fact]
    public void Monai05RefusesNonPositiveEntries()
    {
        var ex = Assert.Throws<MdaiClaraException>(() => SpacingTransform.Plan(Affine.Identity, new long[] { 4, 4, 4 }, new[] { 1.0, 0, 1 }, false, MonaiSemantics.Monai05));

        Assert.Equal(ErrorIds.TransformArgumentInvalid, ex.ErrorId);
        Assert.Contains("positive", ex.Message);
    }

    [Theory]
    [InlineData(MonaiSemantics.Monai08)]
    [InlineData(MonaiSemantics.Monai1x)]
    public void AnAlmostUnchangedGridIsNotResampled(MonaiSemantics semantics)
    {
        // 1.5004 mm asked to become 1.5 mm: the index transform is within 1e-3 of the identity.
        var input = new Affine(new double[] { 1.5004, 0, 0, 7, 0, 1.5, 0, -3, 0, 0, 2, 1, 0, 0, 0, 1 });

        var plan = SpacingTransform.Plan(input, new long[] { 4, 5, 6 }, new[] { 1.5, 1.5, 2.0 }, false, semantics);

        Assert.True(plan.IsIdentity);
        Assert.Equal(new long[] { 4, 5, 6 }, plan.OutputShape);

        // 0.8.1 records the target affine it computed; 1.x leaves the image's affine as it was.
        var expected = semantics == MonaiSemantics.Monai08 ? 1.5 : 1.5004;
        Assert.Equal(expected, plan.OutputAffine[0, 0], 12);
        Assert.Equal(7, plan.OutputAffine[0, 3], 12);
    }

    [Theory]
    [InlineData(MonaiSemantics.Monai08, false)]
    [InlineData(MonaiSemantics.Monai08, true)]
    [InlineData(MonaiSemantics.Monai1x, false)]
    [InlineData(MonaiSemantics.Monai1x, true)]
    public void AlignCornersSamplesTheGridEachVersionUses(MonaiSemantics semantics, bool alignCorners)
    {
        using var scope = torch.NewDisposeScope();
        const int inSize = 7;
        var ramp = torch.arange(inSize, dtype: torch.ScalarType.Float32).reshape(1, inSize, 1, 1).expand(1, inSize, 2, 2).contiguous();
        var input = Affine.Identity;
        var plan = SpacingTransform.Plan(input, new long[] { inSize, 2, 2 }, new[] { 0.75, 1, 1 }, false, semantics);
        Assert.Equal(9, plan.OutputShape[0]);

        var output = SpacingTransform.Resample(ramp, input, plan.OutputAffine, plan.OutputShape, Interpolation.Bilinear, GridPaddingMode.Border, alignCorners, semantics);

        var values = output[0, torch.TensorIndex.Colon, 0, 0].data<float>().ToArray();
        for (var j = 0; j < values.Length; j++)
        {
            // 0.8.1 (either flag) and 1.x without align_corners sample index T·j; 1.x with it samples a stretched grid.
            var index = semantics == MonaiSemantics.Monai1x && alignCorners
                ? (inSize - 1.0) / inSize * ((0.75 * ((j * 9.0 / 8.0) - 0.5)) + 0.5)
                : 0.75 * j;
            Assert.Equal(Math.Clamp(index, 0, inSize - 1), values[j], 5);
        }
    }

    [Theory]
    [InlineData(GridPaddingMode.Border, 10, 10)]
    [InlineData(GridPaddingMode.Zeros, 0, 0)]
    [InlineData(GridPaddingMode.Reflection, 11, 10)]
    public void PaddingModesFillOutsideTheInputAsGridSampleDoes(GridPaddingMode padding, float atMinus2, float atMinus1)
    {
        using var scope = torch.NewDisposeScope();
        var ramp = (torch.arange(6, dtype: torch.ScalarType.Float32) + 10).reshape(1, 6, 1, 1).expand(1, 6, 3, 3).contiguous();
        var source = Affine.Identity;
        var shifted = Affine.FromColumns(new[] { 1.0, 0, 0 }, new[] { 0.0, 1, 0 }, new[] { 0.0, 0, 1 }, new[] { -2.0, 0, 0 });

        foreach (var mode in new[] { Interpolation.Bilinear, Interpolation.Nearest })
        {
            var output = SpacingTransform.Resample(ramp, source, shifted, new long[] { 6, 3, 3 }, mode, padding, false, MonaiSemantics.Monai1x);

            // Index −1 under zeros padding weights voxel 0 by float noise (≈1e-16), as grid_sample does.
            var values = output[0, torch.TensorIndex.Colon, 1, 1].data<float>().ToArray();
            Assert.Equal(new[] { atMinus2, atMinus1, 10, 11, 12, 13 }, values, (x, y) => Math.Abs(x - y) < 1e-6);
        }
    }

    [Fact]
    public void Monai1xCentresTheGridOfAFloat32ObliqueAffineWhere081KeepsVoxelZero()
    {
        // Rotations stored as float32 have columns orthogonal only to ~1e-8. 1.x keeps voxel 0 only if an input corner
        // is the lowest in its output grid to within 1e-8 (np.allclose, rtol on 0); for about half of the angles the
        // shear left by rounding breaks that and 1.x centre-aligns the grid. 0.8.1 always keeps voxel 0.
        var shape = new long[] { 40, 30, 12 };
        var centred = 0;
        for (var degrees = 1; degrees < 90; degrees++)
        {
            var (c, s) = (Math.Cos(degrees * Math.PI / 180), Math.Sin(degrees * Math.PI / 180));
            var values = new[] { 0.8 * c, -0.9 * s, 0, 12.3, 0.8 * s, 0.9 * c, 0, -4.1, 0, 0, 2.5, 7.7, 0, 0, 0, 1 };
            var input = new Affine(values.Select(v => (double)(float)v).ToArray());

            var plan081 = SpacingTransform.Plan(input, shape, new[] { 1.5, 1.5, 2.0 }, false, MonaiSemantics.Monai08);
            var plan1x = SpacingTransform.Plan(input, shape, new[] { 1.5, 1.5, 2.0 }, false, MonaiSemantics.Monai1x);

            Assert.Equal(plan081.OutputShape, plan1x.OutputShape);
            Assert.Equal(input.Translation, plan081.OutputAffine.Translation);
            if (plan1x.OutputAffine.Translation.SequenceEqual(input.Translation))
            {
                continue;
            }

            centred++;
            var expected = Enumerable.Range(0, 3).Select(r => input[r, 3] + Enumerable.Range(0, 3).Sum(k => (input[r, k] * shape[k] / 2.0) - (plan1x.OutputAffine[r, k] * plan1x.OutputShape[k] / 2.0))).ToArray();
            Assert.All(Enumerable.Range(0, 3), r => Assert.Equal(expected[r], plan1x.OutputAffine[r, 3], 9));
        }

        Assert.InRange(centred, 10, 80);
    }

    [Fact]
    public void A2dImageKeepsTheThirdAxisOfItsAffine()
    {
        using var scope = torch.NewDisposeScope();
        var (c, s) = (Math.Cos(0.3), Math.Sin(0.3));
        var input = new Affine(new double[] { 0.7 * c, -0.7 * s, 0, 5, 0.7 * s, 0.7 * c, 0, -2, 0, 0, 1, 0, 0, 0, 0, 1 });
        var ramp = torch.arange(10, dtype: torch.ScalarType.Float32).reshape(1, 1, 10).expand(1, 8, 10).contiguous();

        var plan = SpacingTransform.Plan(input, new long[] { 8, 10 }, new[] { 1.4, 0.35 }, false, MonaiSemantics.Monai08);
        var output = SpacingTransform.Resample(ramp, input, plan.OutputAffine, plan.OutputShape, Interpolation.Bilinear, GridPaddingMode.Border, false, MonaiSemantics.Monai08);

        Assert.Equal(new long[] { 4, 19 }, plan.OutputShape);
        Assert.Equal(new[] { 0.0, 0, 1, 0 }, new[] { plan.OutputAffine[2, 0], plan.OutputAffine[2, 1], plan.OutputAffine[2, 2], plan.OutputAffine[2, 3] });
        Assert.Equal(new[] { 1.4, 0.35 }, plan.OutputAffine.Spacing.Take(2).Select(v => Math.Round(v, 12)));
        var row = output[0, 1].data<float>().ToArray();
        Assert.All(Enumerable.Range(0, 19), j => Assert.Equal(j * 0.5, row[j], 5));
    }

    [Theory]
    [InlineData(MonaiSemantics.Monai08)]
    [InlineData(MonaiSemantics.Monai1x)]
    public void ApplySkipsOrResamplesAsThePlanSays(MonaiSemantics semantics)
    {
        using var scope = torch.NewDisposeScope();
        var labels = torch.randint(0, 3, new long[] { 1, 4, 5, 6 }, dtype: torch.ScalarType.Int16);
        var input = Affine.Diagonal(1.5, 1.5, 2);

        var same = SpacingTransform.Plan(input, new long[] { 4, 5, 6 }, new[] { 1.5, 1.5, 2 }, false, semantics);
        var finer = SpacingTransform.Plan(input, new long[] { 4, 5, 6 }, new[] { 0.75, 1.5, 2 }, false, semantics);
        var kept = SpacingTransform.Apply(labels, input, same, Interpolation.Nearest, GridPaddingMode.Border, false, semantics);
        var resampled = SpacingTransform.Apply(labels, input, finer, Interpolation.Nearest, GridPaddingMode.Border, false, semantics);

        Assert.Equal(torch.ScalarType.Float32, kept.dtype);
        Assert.True(kept.eq(labels.to_type(torch.ScalarType.Float32)).all().item<bool>());
        var expected = SpacingTransform.Resample(labels, input, finer.OutputAffine, finer.OutputShape, Interpolation.Nearest, GridPaddingMode.Border, false, semantics);
        Assert.Equal(new long[] { 1, 7, 5, 6 }, resampled.shape);
        Assert.True(resampled.eq(expected).all().item<bool>());
    }

    [Fact]
    public void ResampleKeepsTheInputAndReturnsFloat32()
    {
        using var scope = torch.NewDisposeScope();
        var labels = torch.ones(new long[] { 1, 4, 4, 4 }, torch.ScalarType.Byte);

        var output = SpacingTransform.Resample(labels, Affine.Identity, Affine.Diagonal(2, 2, 2), new long[] { 2, 2, 2 }, Interpolation.Nearest, GridPaddingMode.Border, false, MonaiSemantics.Monai08);

        Assert.Equal(torch.ScalarType.Float32, output.dtype);
        Assert.Equal(torch.ScalarType.Byte, labels.dtype);
        Assert.Equal(8, output.sum().item<float>());
    }

    [Theory]
    [InlineData(Interpolation.Trilinear, "bilinear")]
    [InlineData(Interpolation.Bicubic, "bilinear")]
    [InlineData(Interpolation.Area, "nearest")]
    public void RefusesModesSpacingDoesNotHave(Interpolation mode, string hint)
    {
        using var scope = torch.NewDisposeScope();
        var ex = Assert.Throws<MdaiClaraException>(() => SpacingTransform.Resample(torch.zeros(1, 2, 2, 2), Affine.Identity, Affine.Identity, new long[] { 2, 2, 2 }, mode, GridPaddingMode.Border, false, MonaiSemantics.Monai1x));

        Assert.Equal(ErrorIds.TransformArgumentInvalid, ex.ErrorId);
        Assert.Contains(hint, ex.Message);
    }

    [Fact]
    public void RefusesBadPixdimsAndImages()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Equal(ErrorIds.TransformArgumentInvalid, Assert.Throws<MdaiClaraException>(() => SpacingTransform.Plan(Affine.Identity, new long[] { 2, 2, 2 }, Array.Empty<double>(), false, MonaiSemantics.Monai08)).ErrorId);
        Assert.Equal(ErrorIds.TransformArgumentInvalid, Assert.Throws<MdaiClaraException>(() => SpacingTransform.Plan(Affine.Identity, new long[] { 2, 2, 2 }, new[] { double.NaN }, false, MonaiSemantics.Monai08)).ErrorId);
        Assert.Equal(ErrorIds.TransformInputInvalid, Assert.Throws<MdaiClaraException>(() => SpacingTransform.Plan(Affine.Identity, new long[] { 5 }, new[] { 1.0 }, false, MonaiSemantics.Monai08)).ErrorId);
        Assert.Equal(ErrorIds.TransformInputInvalid, Assert.Throws<MdaiClaraException>(() => SpacingTransform.Resample(torch.zeros(2, 2), Affine.Identity, Affine.Identity, new long[] { 2 }, Interpolation.Nearest, GridPaddingMode.Border, false, MonaiSemantics.Monai08)).ErrorId);
        var singular = Affine.FromColumns(new[] { 1.0, 0, 0 }, new[] { 2.0, 0, 0 }, new[] { 0.0, 0, 1 }, new[] { 0.0, 0, 0 });
        Assert.Equal(ErrorIds.TransformInputInvalid, Assert.Throws<MdaiClaraException>(() => SpacingTransform.Plan(singular, new long[] { 2, 2, 2 }, new[] { 1.0 }, false, MonaiSemantics.Monai1x)).ErrorId);
    }

    [Fact]
    public void DiagonalDropsTheRotation()
    {
        var (c, s) = (Math.Cos(0.4), Math.Sin(0.4));
        var oblique = Affine.FromColumns(new[] { c, s, 0 }, new[] { -s, c, 0 }, new[] { 0.0, 0, 2 }, new[] { 1.0, 2, 3 });

        var plan = SpacingTransform.Plan(oblique, new long[] { 10, 10, 5 }, new[] { 1.0, 1, 2 }, true, MonaiSemantics.Monai08);

        Assert.Equal(0, plan.OutputAffine[0, 1]);
        Assert.Equal(0, plan.OutputAffine[1, 0]);
        // Different axis codes than the input? No (both RAS), so 0.8.1 keeps voxel 0's position.
        Assert.Equal(new[] { 1.0, 2, 3 }, plan.OutputAffine.Translation);
    }
}
