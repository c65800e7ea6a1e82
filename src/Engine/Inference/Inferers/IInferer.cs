using System;
using System.Threading;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Inferers;

/// <summary>Windows done of windows total, for Write-Progress.</summary>
public readonly record struct InferenceProgress(int WindowsDone, int WindowsTotal);

/// <summary>A MONAI inferer: runs <c>network</c> over a batched input [N, C, *spatial] and returns its output.</summary>
public interface IInferer
{
    Tensor Infer(Tensor inputs, Func<Tensor, Tensor> network, IProgress<InferenceProgress>? progress = null, CancellationToken cancellationToken = default);
}
