using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Inferers;
using TorchSharp;
using Xunit;

namespace MdaiClara.Engine.Tests.Inference.Inferers;

/// <summary>The inferers leave nothing but their result in the caller's dispose scope.</summary>
[Collection(TorchCollection.Name)]
public sealed class SlidingWindowScopeTests
{
    public SlidingWindowScopeTests() => TorchRuntime.EnsureLoaded();

    [Theory]
    [InlineData(BlendMode.Constant, 20L)]
    [InlineData(BlendMode.Gaussian, 5L)]
    public void OnlyTheResultJoinsTheCallersScope(BlendMode mode, long depth)
    {
        // depth 5 < roi 8 pads the last axis, so the crop path is covered too.
        using var inferer = new SlidingWindowInferer(new SlidingWindowOptions(new long[] { 8, 8, 8 }, 3, new[] { 0.5 }, mode), MonaiSemantics.Monai1x);
        using var scope = torch.NewDisposeScope();
        var inputs = torch.rand(new long[] { 2, 1, 19, 12, depth });
        var before = scope.DisposablesCount;

        var result = inferer.Infer(inputs, data => torch.cat(new[] { data, -data }, 1));

        Assert.Equal(before + 1, scope.DisposablesCount);
        Assert.Equal(new long[] { 2, 2, 19, 12, depth }, result.shape);
        Assert.True(result.is_contiguous());
    }
}
