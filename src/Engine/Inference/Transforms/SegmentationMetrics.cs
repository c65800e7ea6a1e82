using System;
using System.Globalization;
using System.Linq;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Transforms;

/// <summary>MONAI DiceMetric and compute_hausdorff_distance (95th percentile) on label maps, per foreground class.</summary>
/// <remarks>
/// Label maps are [*spatial] or channel-first [1, *spatial] (a leading axis of length 1 on a 3- or 4-axis tensor is
/// the channel), spatial rank 1 to 3, any real dtype; values are truncated to integers as MONAI's one-hot conversion
/// does and must lie in 0 … classes − 1. Counting runs on the tensors' device; the Hausdorff distance crops each class
/// to the bounding box of prediction ∪ reference there and measures the surfaces on the host (exact distance
/// transform, <see cref="EuclideanDistanceTransform"/>).
/// </remarks>
public static class SegmentationMetrics
{
    private const double HausdorffPercentile = 95;

    /// <summary>Keeps the (prediction, reference) pair codes within 32 bits.</summary>
    private const int MaximumClasses = 46_340;

    /// <summary>Dice per class 1..<paramref name="classes"/>−1 (background excluded); NaN where the reference has none of the class (ignore_empty).</summary>
    /// <remarks>
    /// 2·|P∩R| / (|R| + |P|) in float32 as MONAI computes it from float32 sums (0.8.1 and 1.x agree); the voxel counts
    /// are exact, so above 2^24 voxels of a class the result can differ from MONAI's rounded float32 sums in the last bits.
    /// </remarks>
    public static double[] Dice(Tensor prediction, Tensor reference, int classes)
    {
        const string component = "DiceMetric";
        using var scope = NewDisposeScope();
        var (predicted, truth) = LabelMaps(prediction, reference, classes, component);
        var pairs = (predicted * classes).add_(truth).flatten().bincount(null, (long)classes * classes).cpu();
        var confusion = pairs.data<long>().ToArray();
        var dice = new double[classes - 1];
        for (var c = 1; c < classes; c++)
        {
            long both = confusion[c * classes + c], inReference = 0, inPrediction = 0;
            for (var other = 0; other < classes; other++)
            {
                inReference += confusion[other * classes + c];
                inPrediction += confusion[c * classes + other];
            }

            dice[c - 1] = inReference > 0 ? (2f * both) / ((float)inReference + (float)inPrediction) : double.NaN;
        }

        return dice;
    }

    /// <summary>HD95 per foreground class, in voxel units or scaled by <paramref name="spacing"/>; NaN/∞ as MONAI gives them.</summary>
    /// <remarks>
    /// Symmetric: the larger of the 95th percentiles of the surface distances prediction → reference and back, the
    /// surfaces being the voxels eroded away by a face-connected erosion. A class missing from either map gives NaN
    /// (MONAI's distances are then ∞, and their percentile ∞ − ∞). 1.x computes in float32 with torch.quantile and
    /// takes <paramref name="spacing"/> (one value, or one per spatial axis); 0.8.1 computes in float64 with
    /// np.percentile, knows no spacing, and squeezes away axes along which the class's bounding box is one voxel thick
    /// before eroding (so a one-slice object has no surface across the slice).
    /// </remarks>
    public static double[] Hausdorff95(Tensor prediction, Tensor reference, int classes, double[]? spacing, MonaiSemantics semantics)
    {
        const string component = "HausdorffDistance";
        if (spacing is not null && semantics != MonaiSemantics.Monai1x)
        {
            throw TransformErrors.Argument(component, "spacing", $"does not exist in {MonaiSemanticsVersions.Describe(semantics)} (distances are in voxels there; spacing came with MONAI 1.x)");
        }

        using var scope = NewDisposeScope();
        var (predicted, truth) = LabelMaps(prediction, reference, classes, component);
        var rank = (int)predicted.dim();
        var voxelSize = VoxelSize(spacing, rank, component);
        var distances = new double[classes - 1];
        for (var c = 1; c < classes; c++)
        {
            distances[c - 1] = ClassHausdorff95(predicted == c, truth == c, voxelSize, semantics);
        }

        return distances;
    }

    private static double ClassHausdorff95(Tensor predicted, Tensor truth, double[] voxelSize, MonaiSemantics semantics)
    {
        using var scope = NewDisposeScope();
        var either = predicted.logical_or(truth);
        var rank = (int)either.dim();
        var start = new long[rank];
        var length = new long[rank];
        for (var axis = 0; axis < rank; axis++)
        {
            var profile = either;
            for (var other = rank - 1; other >= 0; other--)
            {
                if (other != axis)
                {
                    profile = profile.any(other);
                }
            }

            var present = profile.nonzero().flatten().cpu().data<long>().ToArray();
            if (present.Length == 0)
            {
                return double.NaN;
            }

            start[axis] = present[0];
            length[axis] = present[^1] - present[0] + 1;
        }

        var box = Enumerable.Range(0, rank).Select(axis => TensorIndex.Slice(start[axis], start[axis] + length[axis])).ToArray();
        var predictedBox = HostMasks.ToHost(predicted[box], "HausdorffDistance");
        var truthBox = HostMasks.ToHost(truth[box], "HausdorffDistance");

        // Everything on the host is 3-D: missing leading axes have length 1 and take no part in the erosion.
        var shape = new int[3];
        var spacing = new double[3];
        var eroded = new bool[3];
        for (var axis = 0; axis < 3; axis++)
        {
            var source = axis - (3 - rank);
            shape[axis] = source >= 0 ? (int)length[source] : 1;
            spacing[axis] = source >= 0 ? voxelSize[source] : 1.0;
            eroded[axis] = source >= 0 && (semantics == MonaiSemantics.Monai1x || shape[axis] > 1);
        }

        var (predictedSurface, predictedCount) = MaskSurface.Of(predictedBox, shape, eroded);
        var (truthSurface, truthCount) = MaskSurface.Of(truthBox, shape, eroded);
        var forward = SurfaceDistances(predictedSurface, predictedCount, truthSurface, truthCount, shape, spacing);
        var backward = SurfaceDistances(truthSurface, truthCount, predictedSurface, predictedCount, shape, spacing);

        if (semantics == MonaiSemantics.Monai1x)
        {
            var there = PercentileRules.TorchQuantile(forward.Select(d => (float)d).ToArray(), HausdorffPercentile / 100);
            var back = PercentileRules.TorchQuantile(backward.Select(d => (float)d).ToArray(), HausdorffPercentile / 100);
            return float.IsNaN(there) || float.IsNaN(back) ? double.NaN : Math.Max(there, back);
        }

        var forwardPercentile = PercentileRules.NumpyPercentile(forward, HausdorffPercentile);
        var backwardPercentile = PercentileRules.NumpyPercentile(backward, HausdorffPercentile);

        // Python's max(a, b) keeps a unless b is larger (NaN never is).
        return backwardPercentile > forwardPercentile ? backwardPercentile : forwardPercentile;
    }

    /// <summary>
    /// MONAI's <c>get_surface_distance(from, to)</c>: for each <paramref name="from"/> surface voxel the distance to the
    /// nearest <paramref name="to"/> surface voxel; when either surface is empty, ∞ for each voxel of the other.
    /// </summary>
    private static double[] SurfaceDistances(byte[] from, long fromCount, byte[] to, long toCount, int[] shape, double[] spacing)
    {
        if (toCount == 0 || fromCount == 0)
        {
            return Enumerable.Repeat(double.PositiveInfinity, (int)(toCount == 0 ? fromCount : toCount)).ToArray();
        }

        var squared = EuclideanDistanceTransform.SquaredDistances(to, shape, spacing);
        var distances = new double[fromCount];
        var next = 0;
        for (var voxel = 0; voxel < from.Length; voxel++)
        {
            if (from[voxel] != 0)
            {
                distances[next++] = Math.Sqrt(squared[voxel]);
            }
        }

        return distances;
    }

    /// <summary>Both maps as int32 [*spatial] tensors on their device, checked against each other and the class count.</summary>
    private static (Tensor Predicted, Tensor Truth) LabelMaps(Tensor prediction, Tensor reference, int classes, string component)
    {
        if (classes is < 2 or > MaximumClasses)
        {
            throw TransformErrors.Argument(component, "classes", $"must count the background and at least one class (2 … {MaximumClasses}), not {classes}");
        }

        if (!prediction.shape.SequenceEqual(reference.shape))
        {
            throw TransformErrors.Input(component, $"the prediction [{string.Join(", ", prediction.shape)}] and the reference [{string.Join(", ", reference.shape)}] differ in shape");
        }

        if (prediction.device.type != reference.device.type || prediction.device.index != reference.device.index)
        {
            throw TransformErrors.Input(component, $"the prediction is on {prediction.device} and the reference on {reference.device}");
        }

        var predicted = prediction;
        var truth = reference;
        if (predicted.dim() is 3 or 4 && predicted.shape[0] == 1)
        {
            predicted = predicted[0];
            truth = truth[0];
        }

        if (predicted.dim() is < 1 or > 3)
        {
            throw TransformErrors.Input(component, $"expects label maps with 1 to 3 spatial axes ([*spatial] or [1, *spatial]), got [{string.Join(", ", prediction.shape)}]");
        }

        // Labels are integers as MONAI's labels.long() truncates them (checked before narrowing to 32 bits).
        foreach (var (map, name) in new[] { (predicted, "prediction"), (truth, "reference") })
        {
            if (map.numel() == 0)
            {
                continue;
            }

            var lowest = Math.Truncate(map.min().to_type(ScalarType.Float64).item<double>());
            var highest = Math.Truncate(map.max().to_type(ScalarType.Float64).item<double>());
            if (!(lowest >= 0 && highest < classes))
            {
                throw TransformErrors.Input(component, $"the {name} holds label {(lowest < 0 ? lowest : highest).ToString(CultureInfo.InvariantCulture)}, outside the {classes} classes (0 … {classes - 1})");
            }
        }

        return (predicted.to_type(ScalarType.Int32), truth.to_type(ScalarType.Int32));
    }

    private static double[] VoxelSize(double[]? spacing, int rank, string component)
    {
        if (spacing is null)
        {
            return Enumerable.Repeat(1.0, rank).ToArray();
        }

        if (spacing.Length != 1 && spacing.Length != rank)
        {
            throw TransformErrors.Argument(component, "spacing", $"has {spacing.Length} values; give one, or one per spatial axis ({rank})");
        }

        if (spacing.Any(s => !(s > 0) || double.IsInfinity(s)))
        {
            throw TransformErrors.Argument(component, "spacing", $"must be positive and finite, not [{string.Join(", ", spacing)}]");
        }

        return spacing.Length == 1 ? Enumerable.Repeat(spacing[0], rank).ToArray() : spacing;
    }
}
