using System;

namespace MdaiClara.Engine.Inference.Transforms;

/// <summary>
/// The two linear-interpolation percentiles MONAI's Hausdorff distance used: <c>torch.quantile</c> on float32 (1.x)
/// and <c>np.percentile</c> on float64 (0.8.1), each in its library's arithmetic. Infinite inputs interpolate to NaN
/// as they do there (∞ − ∞).
/// </summary>
internal static class PercentileRules
{
    /// <summary>
    /// <c>torch.quantile(values, q)</c>: rank q·(n − 1) in float32, then torch's lerp between its neighbours, which
    /// PyTorch's CPU build evaluates with a fused multiply-add (checked against torch 1.13). Sorts <paramref name="values"/>.
    /// </summary>
    public static float TorchQuantile(float[] values, double q)
    {
        if (values.Length == 0 || Array.Exists(values, float.IsNaN))
        {
            return float.NaN;
        }

        Array.Sort(values);
        var rank = (float)q * (values.Length - 1);
        var below = (int)rank;
        var above = (int)MathF.Ceiling(rank);
        var weight = rank - below;
        var low = values[below];
        var high = values[above];
        var difference = high - low;
        return weight < 0.5f ? MathF.FusedMultiplyAdd(weight, difference, low) : MathF.FusedMultiplyAdd(-difference, 1f - weight, high);
    }

    /// <summary><c>np.percentile(values, percentile)</c> (method "linear") in NumPy 1.x's float64 steps. Sorts <paramref name="values"/>.</summary>
    public static double NumpyPercentile(double[] values, double percentile)
    {
        if (values.Length == 0 || Array.Exists(values, double.IsNaN))
        {
            return double.NaN;
        }

        Array.Sort(values);
        var last = values.Length - 1;
        var position = last * (percentile / 100);

        // At or past the last index NumPy takes index −1 on both sides, and its weight is measured from −1.
        var previousIndex = position >= last ? -1.0 : Math.Floor(position);
        var previous = previousIndex < 0 ? values[last] : values[(int)previousIndex];
        var next = previousIndex < 0 ? values[last] : values[(int)previousIndex + 1];
        var weight = position - previousIndex;
        var difference = next - previous;
        return weight >= 0.5 ? next - difference * (1 - weight) : previous + difference * weight;
    }
}
