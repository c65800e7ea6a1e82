using System.Linq;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Inferers;
using TorchSharp;
using Xunit;

namespace MdaiClara.Engine.Tests.Inference.Inferers;

/// <summary>The blending weights of both MONAI generations, and their cache.</summary>
[Collection(TorchCollection.Name)]
public sealed class ImportanceMapTests
{
    public ImportanceMapTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void Monai08PeaksAtHalfTheRoiSoEvenRoisAreOffCentre()
    {
        using var scope = torch.NewDisposeScope();

        var map = ImportanceMap.Create(new long[] { 8 }, BlendMode.Gaussian, new[] { 0.125 }, MonaiSemantics.Monai08, torch.CPU).data<float>().ToArray();

        Assert.Equal(4, System.Array.IndexOf(map, map.Max()));
        Assert.Equal(1f, map[4]);
        Assert.Equal(map[3], map[5]);
        // Index 0 is one voxel further from the peak than index 7.
        Assert.True(map[7] > map[0]);
    }

    [Fact]
    public void Monai1xIsSymmetricAndFlooredAtOneThousandth()
    {
        using var scope = torch.NewDisposeScope();

        // sigma 1 over 8 voxels: the edges, 3.5 sigma out, would weigh exp(-6.125) ≈ 2.2e-3; 0.05 sigma floors them.
        var wide = ImportanceMap.Create(new long[] { 8 }, BlendMode.Gaussian, new[] { 0.125 }, MonaiSemantics.Monai1x, torch.CPU).data<float>().ToArray();
        var narrow = ImportanceMap.Create(new long[] { 8 }, BlendMode.Gaussian, new[] { 0.05 }, MonaiSemantics.Monai1x, torch.CPU).data<float>().ToArray();

        Assert.Equal(wide, wide.Reverse());
        Assert.Equal(wide[3], wide[4]);
        Assert.InRange(wide[0], 2.1e-3f, 2.3e-3f);
        Assert.Equal(1e-3f, narrow[0]);
        Assert.Equal(narrow, narrow.Reverse());
    }

    [Fact]
    public void Monai08FloorsAtTheSmallestNonZeroWeight()
    {
        using var scope = torch.NewDisposeScope();

        // sigma 0.5 → tail 2: the kernel covers roi // 2 ± 2 = 3..7 of 0..9; the rest would be 0 and takes the edge weight.
        var map = ImportanceMap.Create(new long[] { 10 }, BlendMode.Gaussian, new[] { 0.05 }, MonaiSemantics.Monai08, torch.CPU).data<float>().ToArray();

        Assert.Equal(map[3], map[7]);
        Assert.All(new[] { 0, 1, 2, 8, 9 }, i => Assert.Equal(map[3], map[i]));
        Assert.True(map[3] > 0 && map[3] < map[4]);
    }

    [Fact]
    public void ConstantIsOnes()
    {
        using var scope = torch.NewDisposeScope();

        var map = ImportanceMap.Create(new long[] { 3, 4, 5 }, BlendMode.Constant, new[] { 0.125 }, MonaiSemantics.Monai08, torch.CPU);

        Assert.Equal(new long[] { 3, 4, 5 }, map.shape);
        Assert.Equal(torch.ScalarType.Float32, map.dtype);
        Assert.Equal(60, map.sum().item<float>());
    }

    [Fact]
    public void TheMapIsComputedOncePerRoiAndDevice()
    {
        using var inferer = new SlidingWindowInferer(new SlidingWindowOptions(new long[] { 8, 8 }, Mode: BlendMode.Gaussian), MonaiSemantics.Monai08);
        using var scope = torch.NewDisposeScope();
        inferer.Infer(torch.ones(1, 1, 20, 20), data => data);
        inferer.Infer(torch.ones(2, 1, 30, 9), data => data);

        var first = inferer.ImportanceMapFor(new long[] { 8, 8 }, torch.CPU);

        Assert.Same(first, inferer.ImportanceMapFor(new long[] { 8, 8 }, torch.CPU));
        Assert.NotSame(first, inferer.ImportanceMapFor(new long[] { 8, 6 }, torch.CPU));
        Assert.False(first.IsInvalid);
    }
}
