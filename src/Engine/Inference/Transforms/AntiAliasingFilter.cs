using System;
using System.Linq;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Transforms;

/// <summary>
/// The Gaussian pre-smoothing of MONAI 1.x Resize(anti_aliasing=True): GaussianSmooth with the "erf" kernel
/// (the Gaussian integrated over each voxel, truncated at 4σ, not normalised), one axis after the other, zero border.
/// </summary>
internal static class AntiAliasingFilter
{
    private const double Truncated = 4.0;

    /// <summary>
    /// σ per axis: MONAI's default max(0, (in/out − 1)/2) in float32 (skimage's choice), or the given σ on the axes
    /// that shrink and 0 on the others.
    /// </summary>
    public static float[] Sigmas(long[] inputShape, long[] outputShape, double[]? sigma)
    {
        var sigmas = new float[inputShape.Length];
        for (var d = 0; d < sigmas.Length; d++)
        {
            var factor = (float)inputShape[d] / outputShape[d];
            sigmas[d] = sigma is null ? Math.Max(0f, (factor - 1f) / 2f) : factor > 1f ? (float)sigma[d] : 0f;
        }

        return sigmas;
    }

    /// <summary>Smooths the spatial axes of <paramref name="image"/> [C, *spatial] (float32) with σ per axis.</summary>
    public static Tensor Smooth(Tensor image, float[] sigmas)
    {
        using var scope = NewDisposeScope();
        var rank = sigmas.Length;
        var channels = image.shape[0];
        var batch = image.unsqueeze(0);
        for (var d = 0; d < rank; d++)
        {
            var kernel = ErfKernel(sigmas[d], image.device);
            var tail = (kernel.shape[0] - 1) / 2;

            // A depthwise convolution along axis d: weight [C, 1, 1.., k, 1..], zero padding of the tail on that axis.
            var weightShape = Enumerable.Repeat(1L, rank + 2).ToArray();
            weightShape[d + 2] = kernel.shape[0];
            var weight = kernel.reshape(weightShape).repeat(new long[] { channels }.Concat(Enumerable.Repeat(1L, rank + 1)).ToArray());
            var padding = new long[rank];
            padding[d] = tail;
            batch = rank switch
            {
                1 => nn.functional.conv1d(batch, weight, padding: tail, groups: channels),
                2 => nn.functional.conv2d(batch, weight, padding: padding, groups: channels),
                _ => nn.functional.conv3d(batch, weight, padding: padding, groups: channels),
            };
        }

        return batch.squeeze(0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// MONAI's "erf" kernel in float32: k[x] = (erf(t(x + ½)) − erf(t(x − ½)))/2, t = 0.70710678/σ, x in [−tail, tail],
    /// tail = int(max(4σ, ½) + ½). σ = 0 gives [0, 1, 0] (t = ∞), i.e. no smoothing.
    /// </summary>
    private static Tensor ErfKernel(float sigma, Device device)
    {
        var tail = (long)(Math.Max(sigma * Truncated, 0.5) + 0.5);
        using var scope = NewDisposeScope();
        var x = arange(-tail, tail + 1, ScalarType.Float32, device);
        var t = tensor(0.70710678f, device: device) / tensor(Math.Abs(sigma), device: device);
        var kernel = (((t * (x + 0.5f)).erf() - (t * (x - 0.5f)).erf()) * 0.5f).clamp_min(0);
        return kernel.MoveToOuterDisposeScope();
    }
}
