using System;
using System.Threading;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Inferers;

/// <summary>How overlapping windows are weighted when they are blended.</summary>
public enum BlendMode
{
    Constant,
    Gaussian,
}

/// <summary>
/// MONAI <c>SlidingWindowInferer</c> arguments. <see cref="Overlap"/> and <see cref="SigmaScale"/> hold one value or one
/// per spatial axis; roi entries ≤ 0 take the image extent; <see cref="PaddingMode"/> is F.pad's ("constant",
/// "reflect", "replicate", "circular").
/// </summary>
public sealed record SlidingWindowOptions(
    long[] RoiSize,
    int SwBatchSize = 1,
    double[]? Overlap = null,
    BlendMode Mode = BlendMode.Constant,
    double[]? SigmaScale = null,
    string PaddingMode = "constant",
    double Cval = 0);

/// <summary>
/// MONAI <c>sliding_window_inference</c>: pads to the ROI, tiles windows in MONAI's order, feeds them to the network
/// sw_batch_size at a time on the input's device, and blends with the importance map of <see cref="MonaiSemantics"/>
/// (≤ 1.0.0: GaussianFilter of a delta, off-centre for even ROI; ≥ 1.0.1: sampled symmetric gaussian).
/// </summary>
public sealed class SlidingWindowInferer : IInferer
{
    public SlidingWindowInferer(SlidingWindowOptions options, MonaiSemantics semantics)
    {
        Options = options;
        Semantics = semantics;
    }

    public SlidingWindowOptions Options { get; }

    public MonaiSemantics Semantics { get; }

    /// <summary>How many windows an image of this spatial shape takes (per batch item).</summary>
    public int CountWindows(long[] spatialShape) => throw new NotImplementedException();

    public Tensor Infer(Tensor inputs, Func<Tensor, Tensor> network, IProgress<InferenceProgress>? progress = null, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}
