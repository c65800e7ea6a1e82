using System;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Spatial;
using TorchSharp;
using Xunit;

namespace MdaiClara.Engine.Tests.Inference.Spatial;

/// <summary>Every operation leaves exactly one new tensor, its result, in the caller's dispose scope.</summary>
[Collection(TorchCollection.Name)]
public class SpatialTensorLifetimeTests
{
    public SpatialTensorLifetimeTests() => TorchRuntime.EnsureLoaded();

    private static long Live => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    [Theory]
    [InlineData(Interpolation.Bilinear)]
    [InlineData(Interpolation.Nearest)]
    public void SpacingLeavesOnlyItsResult(Interpolation mode)
    {
        using var input = torch.rand(1, 6, 5, 4);
        var source = Affine.Diagonal(1, 1, 2);
        var target = Affine.Diagonal(0.5, 0.7, 1.5);
        var before = Live;
        using (var scope = torch.NewDisposeScope())
        {
            AssertOneMore(() => SpacingTransform.Resample(input, source, target, new long[] { 11, 7, 6 }, mode, GridPaddingMode.Zeros, false, MonaiSemantics.Monai08));
            AssertOneMore(() => SpacingTransform.Invert(input, source, target, new long[] { 3, 4, 5 }, mode, GridPaddingMode.Border, true, MonaiSemantics.Monai1x));
            AssertOneMore(() => SpacingTransform.Invert(input, source, source, new long[] { 6, 5, 4 }, mode, GridPaddingMode.Border, false, MonaiSemantics.Monai08));
        }

        Assert.Equal(before, Live);
    }

    [Fact]
    public void OrientationLeavesOnlyItsResult()
    {
        using var input = torch.rand(2, 6, 5, 4);
        var lps = Affine.Diagonal(-1, -1, 2);
        var before = Live;
        using (var scope = torch.NewDisposeScope())
        {
            var plan = OrientationTransform.Plan(lps, new long[] { 6, 5, 4 }, "SRA", false, MonaiSemantics.Monai1x);
            var reoriented = AssertOneMore(() => OrientationTransform.Apply(input, plan));
            AssertOneMore(() => OrientationTransform.Invert(reoriented, plan));
            var identity = OrientationTransform.Plan(Affine.Identity, new long[] { 6, 5, 4 }, "RAS", false, MonaiSemantics.Monai1x);
            AssertOneMore(() => OrientationTransform.Apply(input, identity));
            AssertOneMore(() => OrientationTransform.Invert(input, identity));
        }

        Assert.Equal(before, Live);
    }

    private static torch.Tensor AssertOneMore(Func<torch.Tensor> operation)
    {
        var before = Live;
        var result = operation();
        Assert.Equal(before + 1, Live);
        Assert.False(result.IsInvalid);
        return result;
    }
}
