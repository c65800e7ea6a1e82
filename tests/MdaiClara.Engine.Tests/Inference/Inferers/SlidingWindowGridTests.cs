using System.Linq;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Inferers;
using Xunit;

namespace MdaiClara.Engine.Tests.Inference.Inferers;

/// <summary>Where the windows go: MONAI's scan interval, dense_patch_slices starts, C order and ROI fall-back.</summary>
public sealed class SlidingWindowGridTests
{
    [Fact]
    public void TheLastWindowIsShiftedBackToTheBorder()
    {
        // mmar-format.md §3.10: roi 160³, overlap 0.5, image 250×250×180 → interval 80, starts {0, 80, 90} and {0, 20}.
        var grid = SlidingWindowGrid.Create(new long[] { 250, 250, 180 }, new long[] { 160 }, new[] { 0.5 });

        Assert.Equal(18, grid.WindowStarts.Count);
        Assert.Equal(new long[] { 0, 80, 90 }, grid.WindowStarts.Select(s => s[0]).Distinct());
        Assert.Equal(new long[] { 0, 20 }, grid.WindowStarts.Select(s => s[2]).Distinct());
        Assert.Equal(18, new SlidingWindowInferer(new SlidingWindowOptions(new long[] { 160, 160, 160 }, Overlap: new[] { 0.5 }), MonaiSemantics.Monai08).CountWindows(new long[] { 250, 250, 180 }));
    }

    [Fact]
    public void WindowsAreInCOrder()
    {
        var grid = SlidingWindowGrid.Create(new long[] { 6, 5 }, new long[] { 4, 4 }, new[] { 0.5 });

        Assert.Equal(
            new[] { "0,0", "0,1", "2,0", "2,1" },
            grid.WindowStarts.Select(s => string.Join(",", s)));
    }

    [Fact]
    public void ARoiLargerThanTheImagePadsHalfBeforeAndTheRestAfter()
    {
        var grid = SlidingWindowGrid.Create(new long[] { 17, 20, 11 }, new long[] { 24, 16, 16 }, new[] { 0.5 });

        Assert.Equal(new long[] { 24, 20, 16 }, grid.PaddedShape);
        Assert.Equal(new long[] { 3, 0, 2 }, grid.PadBefore);
        // F.pad order: last axis first, (before, after) each.
        Assert.Equal(new long[] { 2, 3, 0, 0, 3, 4 }, grid.FunctionalPadding());
        // Axis 1: 20 with roi 16, interval 8 → starts 0 and 4; the padded axes take one window each.
        Assert.Equal(2, grid.WindowStarts.Count);
    }

    [Fact]
    public void NonPositiveRoiEntriesTakeTheImageExtent()
    {
        var grid = SlidingWindowGrid.Create(new long[] { 16, 15, 7 }, new long[] { 4, -1, 0 }, new[] { 0.25 });

        Assert.Equal(new long[] { 4, 15, 7 }, grid.Roi);
        // Interval int(4 · 0.75) = 3: starts 0, 3, 6, 9, 12.
        Assert.Equal(5, grid.WindowStarts.Count);
    }

    [Theory]
    [InlineData(0.0, "0,5")]
    [InlineData(0.5, "0,2,4,5")]
    [InlineData(0.9, "0,1,2,3,4,5")]
    public void TheIntervalIsTruncatedAndAtLeastOne(double overlap, string expectedStarts)
    {
        // Image 10, roi 5: intervals 5, int(2.5) = 2 and int(0.5) = 0 → 1.
        var grid = SlidingWindowGrid.Create(new long[] { 10 }, new long[] { 5 }, new[] { overlap });

        Assert.Equal(expectedStarts, string.Join(",", grid.WindowStarts.Select(s => s[0])));
    }
}
