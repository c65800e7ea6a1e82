using System;
using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Spatial;
using MdaiClara.Engine.Inference.Transforms;
using TorchSharp;
using Xunit;

namespace MdaiClara.Engine.Tests.Inference;

/// <summary>Resize beyond the goldens: output shapes, version differences, anti-aliasing (hand-computed), refusals.</summary>
[Collection(TorchCollection.Name)]
public class ResizeTests
{
    public ResizeTests() => TorchRuntime.EnsureLoaded();

    [Theory]
    [InlineData(new long[] { 30, 21 }, new long[] { 40 }, "longest", new long[] { 40, 28 })]
    [InlineData(new long[] { 4, 1, 3 }, new long[] { 10 }, "longest", new long[] { 10, 2, 8 })] // 2.5 → 2, 7.5 → 8: Python's round
    [InlineData(new long[] { 30, 21 }, new long[] { -1, 10 }, "all", new long[] { 30, 10 })]
    [InlineData(new long[] { 30, 21 }, new long[] { 12, 0 }, "all", new long[] { 12, 21 })]
    [InlineData(new long[] { 5, 6 }, new long[] { 5, 6, 2 }, "all", new long[] { 5, 6, 2 })]
    public void OutputShapeFollowsMonai(long[] input, long[] size, string sizeMode, long[] expected) =>
        Assert.Equal(expected, ResizeTransform.OutputShape(input, size, sizeMode));

    [Fact]
    public void OutputShapeRefusesWhatMonaiRefuses()
    {
        Assert.Contains("spatial_size", Assert.Throws<MdaiClaraException>(() => ResizeTransform.OutputShape(new long[] { 5, 6, 7 }, new long[] { 5, 6 }, "all")).Message);
        Assert.Contains("spatial_size", Assert.Throws<MdaiClaraException>(() => ResizeTransform.OutputShape(new long[] { 5, 6 }, new long[] { 5, 6 }, "longest")).Message);
        Assert.Contains("empty axis", Assert.Throws<MdaiClaraException>(() => ResizeTransform.OutputShape(new long[] { 100, 1 }, new long[] { 10 }, "longest")).Message);
        Assert.Contains("size_mode", Assert.Throws<MdaiClaraException>(() => ResizeTransform.OutputShape(new long[] { 5, 6 }, new long[] { 5, 6 }, "shortest")).Message);
    }

    [Fact]
    public void MoreSizesThanAxesAddTrailingAxes()
    {
        using var scope = torch.NewDisposeScope();

        var resized = ResizeTransform.Resize(torch.ones(2, 5, 6), new long[] { 5, 3, 2 }, "all", Interpolation.Area, null, false, null, MonaiSemantics.Monai08);

        Assert.Equal(new long[] { 2, 5, 3, 2 }, resized.shape);
        Assert.Equal(60f, resized.sum().item<float>());
    }

    [Theory]
    [InlineData(Interpolation.Nearest, new float[] { 0, 2 })]
    [InlineData(Interpolation.NearestExact, new float[] { 1, 3 })]
    public void NearestAndNearestExactPickTheirVoxels(Interpolation mode, float[] expected)
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.arange(4, dtype: torch.ScalarType.Float32).reshape(1, 4, 1);

        var resized = ResizeTransform.Resize(image, new long[] { 2, 1 }, "all", mode, null, false, null, MonaiSemantics.Monai1x);

        Assert.Equal(expected, resized.data<float>().ToArray());
    }

    [Fact]
    public void OnePointXResolvesTheLinearFamilyByRank()
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.rand(1, 5, 6, 7);

        var asBilinear = ResizeTransform.Resize(image, new long[] { 9, 4, 8 }, "all", Interpolation.Bilinear, null, false, null, MonaiSemantics.Monai1x);
        var asTrilinear = ResizeTransform.Resize(image, new long[] { 9, 4, 8 }, "all", Interpolation.Trilinear, null, false, null, MonaiSemantics.Monai08);

        Assert.True(asBilinear.eq(asTrilinear).all().item<bool>());
    }

    [Fact]
    public void OnePointXReturnsTheInputAsFloat32WhenTheSizeDoesNotChange()
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.arange(12, dtype: torch.ScalarType.Int32).reshape(1, 3, 4);

        // Bicubic on 3 axes would fail in PyTorch; 1.x never gets there.
        var same = ResizeTransform.Resize(image, new long[] { 3, -1 }, "all", Interpolation.Area, null, false, null, MonaiSemantics.Monai1x);
        var same3d = ResizeTransform.Resize(torch.ones(1, 2, 2, 2), new long[] { 2, 2, 2 }, "all", Interpolation.Bicubic, null, false, null, MonaiSemantics.Monai1x);

        Assert.Equal(torch.ScalarType.Float32, same.dtype);
        Assert.True(same.eq(image.to_type(torch.ScalarType.Float32)).all().item<bool>());
        Assert.Equal(new long[] { 1, 2, 2, 2 }, same3d.shape);
    }

    [Fact]
    public void ZeroPointEightCastsBackToTheInputDtype()
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.tensor(new short[] { 0, 3 }).reshape(1, 2, 1);

        var v08 = ResizeTransform.Resize(image, new long[] { 4, 1 }, "all", Interpolation.Bilinear, null, false, null, MonaiSemantics.Monai08);
        var v1x = ResizeTransform.Resize(image, new long[] { 4, 1 }, "all", Interpolation.Bilinear, null, false, null, MonaiSemantics.Monai1x);

        // Half-pixel bilinear of [0, 3] to 4: [0, 0.75, 2.25, 3]; 0.8.1 truncates to int16.
        Assert.Equal(torch.ScalarType.Int16, v08.dtype);
        Assert.Equal(new short[] { 0, 0, 2, 3 }, v08.data<short>().ToArray());
        Assert.Equal(new float[] { 0, 0.75f, 2.25f, 3 }, v1x.data<float>().ToArray());
    }

    [Fact]
    public void RefusesWhatEachVersionRefuses()
    {
        using var scope = torch.NewDisposeScope();
        var image3d = torch.rand(1, 4, 4, 4);
        var image2d = torch.rand(1, 4, 4);
        MdaiClaraException Refusal(Func<torch.Tensor> resize) => Assert.Throws<MdaiClaraException>(() => resize());

        Assert.Contains("bilinear", Refusal(() => ResizeTransform.Resize(image3d, new long[] { 2, 2, 2 }, "all", Interpolation.Bilinear, null, false, null, MonaiSemantics.Monai08)).Message);
        Assert.Contains("trilinear", Refusal(() => ResizeTransform.Resize(image2d, new long[] { 2, 2 }, "all", Interpolation.Trilinear, null, false, null, MonaiSemantics.Monai08)).Message);
        Assert.Contains("bicubic", Refusal(() => ResizeTransform.Resize(image3d, new long[] { 2, 2, 2 }, "all", Interpolation.Bicubic, null, false, null, MonaiSemantics.Monai1x)).Message);
        Assert.Contains("nearest-exact", Refusal(() => ResizeTransform.Resize(image2d, new long[] { 2, 2 }, "all", Interpolation.NearestExact, null, false, null, MonaiSemantics.Monai08)).Message);
        Assert.Contains("anti_aliasing", Refusal(() => ResizeTransform.Resize(image2d, new long[] { 2, 2 }, "all", Interpolation.Area, null, true, null, MonaiSemantics.Monai08)).Message);
        Assert.Contains("longest", Refusal(() => ResizeTransform.Resize(image2d, new long[] { 2 }, "longest", Interpolation.Area, null, false, null, MonaiSemantics.Monai05)).Message);
        Assert.Contains("align_corners", Refusal(() => ResizeTransform.Resize(image2d, new long[] { 2, 2 }, "all", Interpolation.Area, true, false, null, MonaiSemantics.Monai1x)).Message);
        Assert.Contains("anti_aliasing_sigma", Refusal(() => ResizeTransform.Resize(image2d, new long[] { 2, 2 }, "all", Interpolation.Area, null, true, new[] { -1.0 }, MonaiSemantics.Monai1x)).Message);
        Assert.Equal(ErrorIds.TransformInputInvalid, Refusal(() => ResizeTransform.Resize(torch.rand(4), new long[] { 2 }, "all", Interpolation.Area, null, false, null, MonaiSemantics.Monai1x)).ErrorId);
    }

    /// <summary>
    /// A unit impulse shrunk 8 → 4 with the default σ = (8/4 − 1)/2 = 0.5: erf kernel with tail 2,
    /// k0 = erf(1/√2), k±1 = (erf(3/√2) − erf(1/√2))/2, k±2 = (erf(5/√2) − erf(3/√2))/2, then area averages pairs.
    /// The unchanged axis gets σ = 0, i.e. no smoothing.
    /// </summary>
    [Fact]
    public void AntiAliasingSmoothsTheShrinkingAxesWithMonaisDefaultSigma()
    {
        using var scope = torch.NewDisposeScope();
        const double erf1 = 0.68268949213708585, erf3 = 0.99730020393673979, erf5 = 0.99999942669685624;
        double k0 = erf1, k1 = (erf3 - erf1) / 2, k2 = (erf5 - erf3) / 2;
        var image = torch.zeros(1, 8, 3);
        image[0, 4, 1] = torch.tensor(1f);

        var resized = ResizeTransform.Resize(image, new long[] { 4, 3 }, "all", Interpolation.Area, null, true, null, MonaiSemantics.Monai1x);

        var expectedColumn = new[] { 0, (k2 + k1) / 2, (k0 + k1) / 2, k2 / 2 };
        var actual = resized.data<float>().ToArray();
        for (var row = 0; row < 4; row++)
        {
            Assert.Equal(0f, actual[row * 3]);
            Assert.InRange(Math.Abs(actual[(row * 3) + 1] - expectedColumn[row]), 0, 1e-6);
            Assert.Equal(0f, actual[(row * 3) + 2]);
        }
    }

    [Fact]
    public void AntiAliasingWithAGivenSigmaSmoothsOnlyShrinkingAxesAndNotWhenGrowing()
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.rand(2, 9, 6, 5);

        var smoothed = ResizeTransform.Resize(image, new long[] { 3, 6, 10 }, "all", Interpolation.Area, null, true, new[] { 1.0 }, MonaiSemantics.Monai1x);
        var plain = ResizeTransform.Resize(image, new long[] { 3, 6, 10 }, "all", Interpolation.Area, null, false, null, MonaiSemantics.Monai1x);
        var grown = ResizeTransform.Resize(image, new long[] { 12, 7, 6 }, "all", Interpolation.Trilinear, null, true, null, MonaiSemantics.Monai1x);
        var grownPlain = ResizeTransform.Resize(image, new long[] { 12, 7, 6 }, "all", Interpolation.Trilinear, null, false, null, MonaiSemantics.Monai1x);

        Assert.Equal(plain.shape, smoothed.shape);
        Assert.True((smoothed - plain).abs().max().item<float>() > 1e-3);
        Assert.True(grown.eq(grownPlain).all().item<bool>());
    }
}
