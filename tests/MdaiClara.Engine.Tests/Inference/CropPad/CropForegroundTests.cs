using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Transforms;
using TorchSharp;
using Xunit;

namespace MdaiClara.Engine.Tests.Inference;

/// <summary>CropForeground's box rules beyond the goldens: selection, empty images, versions' clamping, refusals.</summary>
[Collection(TorchCollection.Name)]
public class CropForegroundTests
{
    private static readonly long[] One = { 1 };
    private static readonly long[] Zero = { 0 };

    public CropForegroundTests() => TorchRuntime.EnsureLoaded();

    /// <summary>The 5×5 example of MONAI's CropForeground docstring (select x &gt; 1).</summary>
    [Fact]
    public void ASelectFunctionPicksTheForeground()
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.tensor(new float[]
        {
            0, 0, 0, 0, 0,
            0, 1, 2, 1, 0,
            0, 1, 3, 2, 0,
            0, 1, 2, 1, 0,
            0, 0, 0, 0, 0,
        }).reshape(1, 5, 5);

        var box = CropForegroundTransform.ComputeBox(image, x => x.gt(1), null, Zero, One, true, MonaiSemantics.Monai08);
        var cropped = CropForegroundTransform.Crop(image, box);

        Assert.Equal(new long[] { 1, 2 }, box.Start);
        Assert.Equal(new long[] { 4, 4 }, box.End);
        Assert.Equal(new float[] { 2, 1, 3, 2, 2, 1 }, cropped.data<float>().ToArray());
    }

    [Fact]
    public void ANumericMaskCountsWhereItIsNotZero()
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.zeros(1, 6, 6);
        image[0, 2, 3] = torch.tensor(-4f);

        var box = CropForegroundTransform.ComputeBox(image, x => x.abs(), null, Zero, One, true, MonaiSemantics.Monai1x);

        Assert.Equal(new long[] { 2, 3 }, box.Start);
        Assert.Equal(new long[] { 3, 4 }, box.End);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public void ChannelIndicesRestrictWhereForegroundIsLookedFor(long channel)
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.zeros(2, 8, 8, 8);
        image[0, 1, 1, 1] = torch.tensor(1f);
        image[1, 4, 5, 6] = torch.tensor(1f);

        var selected = CropForegroundTransform.ComputeBox(image, null, new[] { channel }, Zero, One, true, MonaiSemantics.Monai1x);
        var all = CropForegroundTransform.ComputeBox(image, null, null, Zero, One, true, MonaiSemantics.Monai1x);

        Assert.Equal(new long[] { 4, 5, 6 }, selected.Start);
        Assert.Equal(new long[] { 5, 6, 7 }, selected.End);
        Assert.Equal(new long[] { 1, 1, 1 }, all.Start);
        Assert.Equal(new long[] { 5, 6, 7 }, all.End);
        Assert.Equal(new long[] { 2, 1, 1, 1 }, CropForegroundTransform.Crop(image, selected).shape);
    }

    [Theory]
    [InlineData(MonaiSemantics.Monai05)]
    [InlineData(MonaiSemantics.Monai08)]
    [InlineData(MonaiSemantics.Monai1x)]
    public void NoForegroundGivesAnEmptyBoxAndAZeroSizeCrop(MonaiSemantics semantics)
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.zeros(3, 7, 6, 5);

        var box = CropForegroundTransform.ComputeBox(image, null, null, new long[] { 2 }, new long[] { 4 }, true, semantics);
        var cropped = CropForegroundTransform.Crop(image, box);

        Assert.True(box.IsEmpty);
        Assert.Equal(new long[] { 0, 0, 0 }, box.Start);
        Assert.Equal(new long[] { 0, 0, 0 }, box.End);
        Assert.Equal(new long[] { 3, 0, 0, 0 }, cropped.shape);
    }

    [Fact]
    public void EachVersionHandlesAMarginPastTheBorderItsOwnWay()
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.zeros(1, 10);
        image[0, 1] = torch.tensor(1f);
        image[0, 8] = torch.tensor(1f);
        var margin = new long[] { 3 };

        // Foreground 1..8, margin 3: the margin box is [-2, 12) on an axis of 10.
        var v05 = CropForegroundTransform.ComputeBox(image.unsqueeze(2), null, null, margin, One, true, MonaiSemantics.Monai05);
        var v08 = CropForegroundTransform.ComputeBox(image.unsqueeze(2), null, null, margin, One, true, MonaiSemantics.Monai08);
        var v1x = CropForegroundTransform.ComputeBox(image.unsqueeze(2), null, null, margin, One, true, MonaiSemantics.Monai1x);
        var v1xLarger = CropForegroundTransform.ComputeBox(image.unsqueeze(2), null, null, margin, One, false, MonaiSemantics.Monai1x);

        AssertBox(v05, new long[] { 0, 0 }, new long[] { 10, 1 });
        AssertBox(v08, new long[] { 0, 0 }, new long[] { 12, 4 });
        AssertBox(v1x, new long[] { 0, 0 }, new long[] { 10, 1 });
        AssertBox(v1xLarger, new long[] { -2, -3 }, new long[] { 12, 4 });

        // allow_smaller=False pads on both sides.
        var cropped = CropForegroundTransform.Crop(image.unsqueeze(2), v1xLarger);
        Assert.Equal(new long[] { 1, 14, 7 }, cropped.shape);
        Assert.Equal(1f, cropped[0, 3, 3].item<float>());
        Assert.Equal(1f, cropped[0, 10, 3].item<float>());
        Assert.Equal(2f, cropped.sum().item<float>());
    }

    [Fact]
    public void MonaiPointFiveClampsBothEndsLikeOnePointX()
    {
        using var scope = torch.NewDisposeScope();
        var golden = CropPadGolden.Monai132OfNew081("crop_foreground", "margin_cross_end");
        var input = CropPadGolden.Read(golden.InputPath);

        var box = CropForegroundTransform.ComputeBox(input, null, null, CropPadGolden.IntOrList(golden.Args, "margin", 0), One, true, MonaiSemantics.Monai05);

        Assert.Equal(golden.BoxStart, box.Start);
        Assert.Equal(golden.BoxEnd, box.End);
        CropPadGolden.AssertClose(CropPadGolden.Read(golden.OutputPath), CropForegroundTransform.Crop(input, box), exact: true, "0.5 margin_cross_end");
    }

    [Fact]
    public void KDivisibleGrowsAboutTheCentreWithTheOddVoxelAtTheEnd()
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.zeros(1, 20, 20);
        image[0, 5, 6] = torch.tensor(1f);
        image[0, 7, 6] = torch.tensor(1f);

        // Sizes 3 and 1 grow to 8 (5 more: 2 before, 3 after) and 4 (3 more: 1 before, 2 after); k ≤ 0 means 1.
        var box = CropForegroundTransform.ComputeBox(image, null, null, Zero, new long[] { 8, 4 }, true, MonaiSemantics.Monai08);
        var unchanged = CropForegroundTransform.ComputeBox(image, null, null, Zero, new long[] { 0, -2 }, true, MonaiSemantics.Monai08);

        AssertBox(box, new long[] { 3, 5 }, new long[] { 11, 9 });
        AssertBox(unchanged, new long[] { 5, 6 }, new long[] { 8, 7 });
    }

    [Fact]
    public void RefusesBadArguments()
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.ones(2, 4, 4);

        Assert.Contains("margin", Assert.Throws<MdaiClaraException>(() => CropForegroundTransform.ComputeBox(image, null, null, new long[] { -1 }, One, true, MonaiSemantics.Monai08)).Message);
        Assert.Contains("margin", Assert.Throws<MdaiClaraException>(() => CropForegroundTransform.ComputeBox(image, null, null, new long[] { 1, 2, 3 }, One, true, MonaiSemantics.Monai08)).Message);
        Assert.Contains("k_divisible", Assert.Throws<MdaiClaraException>(() => CropForegroundTransform.ComputeBox(image, null, null, Zero, new long[] { 1, 2, 3 }, true, MonaiSemantics.Monai08)).Message);
        Assert.Contains("channel_indices", Assert.Throws<MdaiClaraException>(() => CropForegroundTransform.ComputeBox(image, null, new long[] { 2 }, Zero, One, true, MonaiSemantics.Monai08)).Message);
        Assert.Contains("select_fn", Assert.Throws<MdaiClaraException>(() => CropForegroundTransform.ComputeBox(image, x => x.sum(), null, Zero, One, true, MonaiSemantics.Monai08)).Message);
        Assert.Equal(ErrorIds.TransformInputInvalid, Assert.Throws<MdaiClaraException>(() => CropForegroundTransform.ComputeBox(torch.ones(4), null, null, Zero, One, true, MonaiSemantics.Monai08)).ErrorId);
        Assert.Contains("box", Assert.Throws<MdaiClaraException>(() => CropForegroundTransform.Crop(image, new CropBox(new long[] { 0 }, new long[] { 1 }))).Message);
    }

    private static void AssertBox(CropBox box, long[] start, long[] end)
    {
        Assert.Equal(start, box.Start);
        Assert.Equal(end, box.End);
    }
}
