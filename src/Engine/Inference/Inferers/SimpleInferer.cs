using System;
using System.Threading;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Inferers;

/// <summary>MONAI <c>SimpleInferer</c>: the network on the whole batch.</summary>
public sealed class SimpleInferer : IInferer
{
    public Tensor Infer(Tensor inputs, Func<Tensor, Tensor> network, IProgress<InferenceProgress>? progress = null, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}
