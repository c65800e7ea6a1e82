using System;
using System.Linq;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Transforms;

namespace MdaiClara.Engine.Metrics;

/// <summary>
/// MONAI's reductions of a class's surface distances: Hausdorff distance (max or percentile, directed or symmetric),
/// average surface distance and normalised surface Dice, each in the arithmetic of the chosen MONAI release.
/// </summary>
internal static class SurfaceReductions
{
    /// <summary>
    /// <c>compute_hausdorff_distance</c>: per direction the maximum (no percentile, or 0 — MONAI tests <c>if not
    /// percentile</c>) or the percentile, NaN for a direction without distances; symmetric takes the larger.
    /// </summary>
    public static double Hausdorff(SurfacePair pair, double? percentile, bool directed, MonaiSemantics semantics)
    {
        var forward = Directed(pair.Forward, percentile, semantics);
        if (directed)
        {
            return forward;
        }

        var backward = Directed(pair.Backward, percentile, semantics);
        if (semantics == MonaiSemantics.Monai1x)
        {
            // torch.max over the stacked pair propagates NaN.
            return double.IsNaN(forward) || double.IsNaN(backward) ? double.NaN : Math.Max(forward, backward);
        }

        // 0.8.1: Python's max(a, b) keeps a unless b is larger (NaN never is).
        return backward > forward ? backward : forward;
    }

    /// <summary>
    /// <c>compute_average_surface_distance</c>. 1.x: the mean of the directions' distances together (NaN when there
    /// are none), summed as torch sums float32. 0.8.1: symmetric is the mean of the two directed means, each NaN when it has no distances.
    /// </summary>
    public static double MeanSurfaceDistance(SurfacePair pair, bool symmetric, MonaiSemantics semantics)
    {
        if (semantics == MonaiSemantics.Monai1x)
        {
            var count = pair.Forward.Length + (symmetric ? pair.Backward.Length : 0);
            if (count == 0)
            {
                return double.NaN;
            }

            // torch.cat(distances).mean(): torch's float32 sum of both directions in order, divided in float32.
            var all = new float[count];
            for (var n = 0; n < pair.Forward.Length; n++)
            {
                all[n] = (float)pair.Forward[n];
            }

            for (var n = 0; symmetric && n < pair.Backward.Length; n++)
            {
                all[pair.Forward.Length + n] = (float)pair.Backward[n];
            }

            return TorchFloatSum.Sum(all) / (float)count;
        }

        var forward = pair.Forward.Length == 0 ? double.NaN : NumpySum(pair.Forward, 0, pair.Forward.Length) / pair.Forward.Length;
        if (!symmetric)
        {
            return forward;
        }

        var backward = pair.Backward.Length == 0 ? double.NaN : NumpySum(pair.Backward, 0, pair.Backward.Length) / pair.Backward.Length;
        return (forward + backward) / 2;
    }

    /// <summary>
    /// NumPy's pairwise summation of float64 (<c>np.add.reduce</c> on a contiguous array): fewer than 8 values in order;
    /// up to 128 in eight interleaved partial sums combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), then the rest;
    /// more split in two at a multiple of 8 below the half.
    /// </summary>
    internal static double NumpySum(double[] values, int start, int count)
    {
        if (count < 8)
        {
            var sum = 0.0;
            for (var n = 0; n < count; n++)
            {
                sum += values[start + n];
            }

            return sum;
        }

        if (count <= 128)
        {
            Span<double> r = stackalloc double[8];
            for (var j = 0; j < 8; j++)
            {
                r[j] = values[start + j];
            }

            var i = 8;
            for (; i < count - (count % 8); i += 8)
            {
                for (var j = 0; j < 8; j++)
                {
                    r[j] += values[start + i + j];
                }
            }

            var result = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < count; i++)
            {
                result += values[start + i];
            }

            return result;
        }

        var half = count / 2;
        half -= half % 8;
        return NumpySum(values, start, half) + NumpySum(values, start + half, count - half);
    }

    /// <summary>
    /// <c>compute_surface_dice</c> (use_subvoxels=False): the surface voxels of both sides within
    /// <paramref name="tolerance"/> of the other surface over all surface voxels; NaN when neither side has any.
    /// 1.x compares float32 distances with the tolerance as float32 and divides in float32.
    /// </summary>
    public static double SurfaceDice(SurfacePair pair, double tolerance, MonaiSemantics semantics)
    {
        var total = pair.Forward.Length + pair.Backward.Length;
        if (total == 0)
        {
            return double.NaN;
        }

        var limit = semantics == MonaiSemantics.Monai1x ? (float)tolerance : tolerance;
        var correct = pair.Forward.Count(d => d <= limit) + pair.Backward.Count(d => d <= limit);
        return semantics == MonaiSemantics.Monai1x ? (float)correct / (float)total : (double)correct / total;
    }

    private static double Directed(double[] distances, double? percentile, MonaiSemantics semantics)
    {
        if (distances.Length == 0)
        {
            return double.NaN;
        }

        if (percentile is null or 0)
        {
            return distances.Max();
        }

        return semantics == MonaiSemantics.Monai1x
            ? PercentileRules.TorchQuantile(distances.Select(d => (float)d).ToArray(), percentile.Value / 100)
            : PercentileRules.NumpyPercentile((double[])distances.Clone(), percentile.Value);
    }
}
