using System;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Transforms;

/// <summary>MONAI post-processing on channel-first tensors [C, *spatial] (no batch axis), on the input's device.</summary>
public static class PostTransforms
{
    /// <summary>Activations: sigmoid, or softmax over the channel axis (both is an error).</summary>
    public static Tensor Activations(Tensor image, bool sigmoid, bool softmax) => throw new NotImplementedException();

    /// <summary>AsDiscrete: argmax (keepdim, first max wins) → one-hot with <paramref name="toOnehot"/> classes → x ≥ threshold → rounding ("torchrounding"); float32.</summary>
    public static Tensor AsDiscrete(Tensor image, bool argmax, int? toOnehot, double? threshold, string? rounding) =>
        throw new NotImplementedException();

    /// <summary>
    /// KeepLargestConnectedComponent: for the applied labels (all non-zero when null, 1.x only), keep the largest
    /// connected component(s) (connectivity 1 … rank, null = full), jointly or independently; one-hot or label input
    /// (<paramref name="isOnehot"/> null: C &gt; 1). Ties: 0.8.1 keeps the first component in C order, 1.x the last.
    /// </summary>
    public static Tensor KeepLargestConnectedComponent(Tensor image, int[]? appliedLabels, bool? isOnehot, bool independent, int? connectivity, int? numComponents, MonaiSemantics semantics) =>
        throw new NotImplementedException();
}
