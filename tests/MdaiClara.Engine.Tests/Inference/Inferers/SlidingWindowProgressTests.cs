using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Inferers;
using TorchSharp;
using Xunit;

namespace MdaiClara.Engine.Tests.Inference.Inferers;

/// <summary>Progress reports and cancellation of the sliding window, chunk by chunk.</summary>
[Collection(TorchCollection.Name)]
public sealed class SlidingWindowProgressTests
{
    public SlidingWindowProgressTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void ReportsEveryChunkAndEndsAtTheWindowsOfAllBatchItems()
    {
        // 20×18 with roi 8×8, overlap 0.5: starts {0, 4, 8, 12} × {0, 4, 8, 10} = 16 windows per item.
        using var inferer = new SlidingWindowInferer(new SlidingWindowOptions(new long[] { 8, 8 }, 5, new[] { 0.5 }), MonaiSemantics.Monai08);
        using var scope = torch.NewDisposeScope();
        var progress = new RecordingProgress();
        var calls = 0;

        inferer.Infer(torch.ones(2, 1, 20, 18), data =>
        {
            calls++;
            return data * 2;
        }, progress);

        Assert.Equal(16, inferer.CountWindows(new long[] { 20, 18 }));
        Assert.Equal(7, calls);
        Assert.Equal(new[] { 5, 10, 15, 20, 25, 30, 32 }, progress.Reports.Select(r => r.WindowsDone));
        Assert.All(progress.Reports, r => Assert.Equal(32, r.WindowsTotal));
        Assert.Equal(new InferenceProgress(32, 32), progress.Reports[^1]);
    }

    [Fact]
    public void ATokenCancelledAfterTheFirstChunkStopsBeforeTheSecond()
    {
        // 64³ with roi 16³, overlap 0.5: 7³ = 343 windows, so finishing would take 86 network calls.
        using var inferer = new SlidingWindowInferer(new SlidingWindowOptions(new long[] { 16, 16, 16 }, 4, new[] { 0.5 }, BlendMode.Gaussian), MonaiSemantics.Monai1x);
        using var scope = torch.NewDisposeScope();
        using var cancellation = new CancellationTokenSource();
        var progress = new RecordingProgress(_ => cancellation.Cancel());
        var calls = 0;
        var clock = Stopwatch.StartNew();

        Assert.ThrowsAny<OperationCanceledException>(() => inferer.Infer(torch.ones(new long[] { 1, 1, 64, 64, 64 }), data =>
        {
            calls++;
            return data + 1;
        }, progress, cancellation.Token));

        Assert.Equal(1, calls);
        Assert.Equal(new[] { new InferenceProgress(4, 343) }, progress.Reports);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"cancellation took {clock.Elapsed}");
    }

    [Fact]
    public void AnAlreadyCancelledTokenRunsNothing()
    {
        using var inferer = new SlidingWindowInferer(new SlidingWindowOptions(new long[] { 4, 4 }), MonaiSemantics.Monai08);
        using var scope = torch.NewDisposeScope();
        var calls = 0;

        Assert.ThrowsAny<OperationCanceledException>(() => inferer.Infer(torch.ones(1, 1, 8, 8), data =>
        {
            calls++;
            return data;
        }, cancellationToken: new CancellationToken(canceled: true)));

        Assert.Equal(0, calls);
    }
}
