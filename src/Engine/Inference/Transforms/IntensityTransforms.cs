using System;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Transforms;

/// <summary>MONAI intensity transforms on channel-first tensors [C, *spatial]; results are float32 on the input's device.</summary>
public static class IntensityTransforms
{
    /// <summary>ScaleIntensityRange: (x − a_min)/(a_max − a_min), then to [b_min, b_max] when both are given, clipped to them when <paramref name="clip"/>.</summary>
    public static Tensor ScaleIntensityRange(Tensor image, double aMin, double aMax, double? bMin, double? bMax, bool clip) =>
        throw new NotImplementedException();

    /// <summary>ScaleIntensity: min–max rescale to [minv, maxv] (whole image or per channel), or x·(1 + factor) when factor is given.</summary>
    public static Tensor ScaleIntensity(Tensor image, double? minv, double? maxv, double? factor, bool channelWise) =>
        throw new NotImplementedException();

    /// <summary>NormalizeIntensity: (x − mean)/std (population std) over all or non-zero voxels, whole image or per channel.</summary>
    public static Tensor NormalizeIntensity(Tensor image, double[]? subtrahend, double[]? divisor, bool nonzero, bool channelWise, MonaiSemantics semantics) =>
        throw new NotImplementedException();
}
