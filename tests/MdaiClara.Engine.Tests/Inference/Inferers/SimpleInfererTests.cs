using System;
using System.Threading;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Inferers;
using MdaiClara.Engine.Tests.TestSupport;
using TorchSharp;
using Xunit;

namespace MdaiClara.Engine.Tests.Inference.Inferers;

/// <summary>MONAI SimpleInferer: the network on the whole batch.</summary>
[Collection(TorchCollection.Name)]
public sealed class SimpleInfererTests
{
    public SimpleInfererTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void ReturnsTheNetworkOnTheWholeBatch()
    {
        using var model = TorchScriptModel.Load(TestPaths.Golden("models/fixedconv2d/model.ts"), DeviceSpec.Cpu);
        using var scope = torch.NewDisposeScope();
        var inputs = Npy.ReadTensor(TestPaths.Golden("unit/sliding_window/gaussian_2d_ov05/input.npy"));
        var progress = new RecordingProgress();
        var calls = 0;

        var result = new SimpleInferer().Infer(inputs, data =>
        {
            calls++;
            return model.Forward(data);
        }, progress);

        Assert.Equal(1, calls);
        Assert.Equal(new long[] { 1, 2, 50, 43 }, result.shape);
        Assert.Equal(0f, (result - model.Forward(inputs)).abs().max().item<float>());
        Assert.False(result.requires_grad);
        Assert.Equal(new[] { new InferenceProgress(1, 1) }, progress.Reports);
    }

    [Fact]
    public void ACancelledTokenRunsNothing()
    {
        using var scope = torch.NewDisposeScope();
        var calls = 0;

        Assert.ThrowsAny<OperationCanceledException>(() => new SimpleInferer().Infer(torch.ones(1, 1, 4, 4), data =>
        {
            calls++;
            return data;
        }, cancellationToken: new CancellationToken(canceled: true)));

        Assert.Equal(0, calls);
    }
}
