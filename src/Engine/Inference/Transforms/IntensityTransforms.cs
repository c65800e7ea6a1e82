using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Transforms;

/// <summary>MONAI intensity transforms on channel-first tensors [C, *spatial]; results are float32 on the input's device.</summary>
/// <remarks>
/// The arithmetic follows MONAI's float32 operation order (scalars enter float32 operations as float32, as they do in
/// PyTorch and in NumPy's value-based casting), so results agree with MONAI to the last bit or nearly.
/// </remarks>
public static class IntensityTransforms
{
    /// <summary>ScaleIntensityRange: (x − a_min)/(a_max − a_min), then to [b_min, b_max] when both are given, clipped to them when <paramref name="clip"/>.</summary>
    /// <remarks>
    /// a_max == a_min gives x − a_min (+ b_min), unclipped, as MONAI does (it warns of the division by zero). Clipping
    /// leaves a missing bound open; with both bounds missing MONAI fails, and so does this.
    /// </remarks>
    public static Tensor ScaleIntensityRange(Tensor image, double aMin, double aMax, double? bMin, double? bMax, bool clip)
    {
        const string component = "ScaleIntensityRange";
        if (clip && bMin is null && bMax is null)
        {
            throw TransformErrors.Argument(component, "clip", "needs b_min or b_max (there is nothing to clip to)");
        }

        using var scope = NewDisposeScope();

        // The first step makes a new tensor; the rest work on it in place (same steps, fewer volumes in memory).
        var result = image.to_type(WorkingType(image)) - aMin;
        if (aMax - aMin == 0.0)
        {
            if (bMin is not null)
            {
                result.add_(bMin.Value);
            }
        }
        else
        {
            result.div_(aMax - aMin);
            if (bMin is not null && bMax is not null)
            {
                result.mul_(bMax.Value - bMin.Value).add_(bMin.Value);
            }

            if (clip)
            {
                result.clamp_(bMin is null ? null : (Scalar)bMin.Value, bMax is null ? null : (Scalar)bMax.Value);
            }
        }

        return result.to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>ScaleIntensity: min–max rescale to [minv, maxv] (whole image or per channel), or x·(1 + factor) when factor is given.</summary>
    /// <remarks>
    /// MONAI's <c>rescale_array</c>: with only one of minv/maxv the result is (x − min)/(max − min); a constant image
    /// (max == min) becomes x·minv (x when minv is missing). The factor applies only when minv and maxv are both
    /// missing; with neither, the image is returned as float32.
    /// </remarks>
    public static Tensor ScaleIntensity(Tensor image, double? minv, double? maxv, double? factor, bool channelWise)
    {
        const string component = "ScaleIntensity";
        if (image.numel() == 0)
        {
            throw TransformErrors.Input(component, "the image is empty");
        }

        if (channelWise && image.dim() < 1)
        {
            throw TransformErrors.Input(component, "channel_wise needs a channel-first image, and this one has no axes");
        }

        using var scope = NewDisposeScope();
        var x = image.to_type(ScalarType.Float32);
        Tensor result;
        if (minv is not null || maxv is not null)
        {
            if (channelWise)
            {
                var channels = new Tensor[x.shape[0]];
                for (long c = 0; c < channels.Length; c++)
                {
                    channels[c] = RescaleArray(x[c], minv, maxv);
                }

                result = stack(channels);
            }
            else
            {
                result = RescaleArray(x, minv, maxv);
            }
        }
        else
        {
            result = factor is null ? x.clone() : (image.to_type(WorkingType(image)) * (1 + factor.Value)).to_type(ScalarType.Float32);
        }

        return result.MoveToOuterDisposeScope();
    }

    /// <summary>NormalizeIntensity: (x − mean)/std (population std) over all or non-zero voxels, whole image or per channel.</summary>
    /// <param name="image">Channel-first image; any real dtype (computed in float32).</param>
    /// <param name="subtrahend">What to subtract instead of the mean: one value, or one per channel with <paramref name="channelWise"/>.</param>
    /// <param name="divisor">What to divide by instead of the std: one value, or one per channel with <paramref name="channelWise"/>. 0 counts as 1.</param>
    /// <param name="nonzero">Statistics over, and changes to, the non-zero voxels only (zeros stay 0; no non-zero voxel: unchanged).</param>
    /// <param name="channelWise">Statistics per channel (axis 0).</param>
    /// <param name="semantics">0.8.1 computed the statistics with NumPy (buffered pairwise float32 sums, a float32 two-pass variance; see <see cref="NumpyStatistics"/>), 1.x with torch.</param>
    public static Tensor NormalizeIntensity(Tensor image, double[]? subtrahend, double[]? divisor, bool nonzero, bool channelWise, MonaiSemantics semantics)
    {
        const string component = "NormalizeIntensity";
        if (channelWise)
        {
            if (image.dim() < 1)
            {
                throw TransformErrors.Input(component, "channel_wise needs a channel-first image, and this one has no axes");
            }

            var channelCount = image.shape[0];
            if (subtrahend is not null && subtrahend.Length != channelCount)
            {
                throw TransformErrors.Argument(component, "subtrahend", $"has {subtrahend.Length} values for an image of {channelCount} channels (channel_wise needs one per channel)");
            }

            if (divisor is not null && divisor.Length != channelCount)
            {
                throw TransformErrors.Argument(component, "divisor", $"has {divisor.Length} values for an image of {channelCount} channels (channel_wise needs one per channel)");
            }
        }
        else
        {
            if (subtrahend is not null && subtrahend.Length != 1)
            {
                throw TransformErrors.Argument(component, "subtrahend", $"has {subtrahend.Length} values; without channel_wise it must be one number");
            }

            if (divisor is not null && divisor.Length != 1)
            {
                throw TransformErrors.Argument(component, "divisor", $"has {divisor.Length} values; without channel_wise it must be one number");
            }
        }

        using var scope = NewDisposeScope();
        var x = image.to_type(ScalarType.Float32);
        Tensor result;
        if (channelWise)
        {
            var channels = new Tensor[x.shape[0]];
            for (long c = 0; c < channels.Length; c++)
            {
                channels[c] = Normalize(x[c], subtrahend?[c], divisor?[c], nonzero, semantics);
            }

            result = stack(channels);
        }
        else
        {
            result = Normalize(x, subtrahend?[0], divisor?[0], nonzero, semantics);
        }

        return result.MoveToOuterDisposeScope();
    }

    /// <summary>MONAI computes in the input's dtype before its final float32 cast: float64 stays float64, the rest is float32.</summary>
    private static ScalarType WorkingType(Tensor image) => image.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;

    /// <summary>MONAI's <c>rescale_array</c> on a float32 tensor.</summary>
    private static Tensor RescaleArray(Tensor x, double? minv, double? maxv)
    {
        var min = x.min();
        var max = x.max();
        if ((max == min).item<bool>())
        {
            return minv is null ? x.clone() : x * minv.Value;
        }

        var normalized = (x - min).div_(max - min);
        if (minv is not null && maxv is not null)
        {
            normalized.mul_(maxv.Value - minv.Value).add_(minv.Value);
        }

        return normalized;
    }

    /// <summary>One normalisation unit (the whole image, or one channel) as MONAI's <c>_normalize</c>.</summary>
    private static Tensor Normalize(Tensor x, double? subtrahend, double? divisor, bool nonzero, MonaiSemantics semantics)
    {
        Tensor? mask = null;
        var statisticsSource = x;
        if (nonzero)
        {
            mask = x != 0;
            statisticsSource = x.masked_select(mask);
            if (statisticsSource.numel() == 0)
            {
                return x.clone();
            }
        }
        else if (x.numel() == 0)
        {
            return x.clone();
        }

        Tensor? mean = null;
        Tensor? std = null;
        if (subtrahend is null || divisor is null)
        {
            (mean, std) = semantics == MonaiSemantics.Monai1x
                ? (statisticsSource.mean(), statisticsSource.std(unbiased: false))
                : NumpyStatistics.MeanAndPopulationStd(statisticsSource);
        }

        var normalized = subtrahend is null ? x - mean! : x - subtrahend.Value;
        if (divisor is null)
        {
            normalized.div_(where(std! == 0, ones_like(std!), std!));
        }
        else
        {
            normalized.div_(divisor.Value == 0.0 ? 1.0 : divisor.Value);
        }

        return mask is null ? normalized : normalized.where(mask, x);
    }
}
