using System;
using System.Threading;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Inferers;

/// <summary>MONAI <c>SimpleInferer</c>: the network on the whole batch.</summary>
public sealed class SimpleInferer : IInferer
{
    /// <summary>
    /// Returns <c>network(inputs)</c> unchanged (no padding, tiling or type conversion), computed without gradients;
    /// reports one window of one when done.
    /// </summary>
    public Tensor Infer(Tensor inputs, Func<Tensor, Tensor> network, IProgress<InferenceProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(network);
        cancellationToken.ThrowIfCancellationRequested();
        Tensor output;
        using (no_grad())
        {
            output = network(inputs);
        }

        progress?.Report(new InferenceProgress(1, 1));
        return output;
    }
}
