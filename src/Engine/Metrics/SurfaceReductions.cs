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
    /// are none). 0.8.1: symmetric is the mean of the two directed means, each NaN when it has no distances.
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

            var sum = pair.Forward.Sum() + (symmetric ? pair.Backward.Sum() : 0);
            return (float)(sum / count);
        }

        var forward = pair.Forward.Length == 0 ? double.NaN : pair.Forward.Average();
        if (!symmetric)
        {
            return forward;
        }

        var backward = pair.Backward.Length == 0 ? double.NaN : pair.Backward.Average();
        return (forward + backward) / 2;
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
