using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Inference;

namespace MdaiClara.Engine.Metrics;

/// <summary>
/// Per-class segmentation metrics of one case, numerically as MONAI computes them (DiceMetric, MeanIoU,
/// HausdorffDistanceMetric, SurfaceDistanceMetric, SurfaceDiceMetric), spacing-aware, on the truth's own grid.
/// </summary>
/// <remarks>
/// <para>
/// Conventions for empty structures are MONAI's (see <see cref="MetricNanReasons"/>): an empty truth makes Dice and IoU
/// NaN (ignore_empty=True, the default of DiceMetric and MeanIoU); an empty prediction makes them 0. With one side
/// empty the Hausdorff distance and the mean surface distance are +∞ (MONAI's distances to a missing surface), HD95 is
/// NaN (the percentile of infinities) and the surface Dice 0; with both empty every value is NaN.
/// </para>
/// <para>
/// Surfaces are the voxels <c>binary_erosion</c> removes (face neighbours; outside the volume counts as background),
/// distances exact Euclidean between surface voxel centres, in millimetres from the truth affine's column norms (or
/// voxels with <see cref="SegmentationMetricOptions.VoxelUnits"/>). Only the box of prediction ∪ truth of each class
/// is materialised, one class at a time: the memory beyond the inputs is about ten bytes per voxel of that box.
/// </para>
/// </remarks>
public static class SegmentationMetrics
{
    /// <summary>Most classes measured at once.</summary>
    public const int MaximumClasses = 255;

    /// <summary>Largest class label value.</summary>
    public const int MaximumLabel = 1 << 20;

    /// <summary>Largest affine difference (mm) still taken as one grid.</summary>
    public const double GridTolerance = 1e-4;

    /// <summary>Computes the metrics of every class in <paramref name="classes"/>, in that order.</summary>
    /// <param name="prediction">The predicted label map (any voxel type holding class values).</param>
    /// <param name="truth">The true label map, on the same grid (same shape, affine equal within 1e-4 mm).</param>
    /// <param name="classes">The classes to measure (background is simply not listed).</param>
    /// <param name="options">Tolerance, percentile, MONAI semantics, units.</param>
    /// <param name="cancellationToken">Stops the work between slices and between classes.</param>
    /// <exception cref="Errors.MdaiClaraException">MetricGridMismatch, MetricInputInvalid, MetricArgumentInvalid.</exception>
    public static IReadOnlyList<ClassSegmentationMetrics> Compute(
        Volume prediction,
        Volume truth,
        IReadOnlyList<SegmentationClass> classes,
        SegmentationMetricOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(options);
        MetricInputChecks.Classes(classes);
        MetricInputChecks.Options(options);
        MetricInputChecks.SameGrid(prediction, truth);
        cancellationToken.ThrowIfCancellationRequested();

        var slots = new ClassSlots(classes);
        var counts = LabelCounts.Count(prediction, truth, slots, classes.Count, cancellationToken);
        var spacing = options.VoxelUnits ? new[] { 1.0, 1.0, 1.0 } : truth.Spacing.ToArray();
        var voxelMl = VoxelVolumeMl(truth.Affine);
        var results = new ClassSegmentationMetrics[classes.Count];
        for (var n = 0; n < classes.Count; n++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results[n] = Measure(prediction, truth, classes[n], (byte)(n + 1), slots, counts, spacing, voxelMl, options);
        }

        return results;
    }

    /// <summary>
    /// The voxel counts of each class and, where asked, its surface distances (null when the class is in neither map):
    /// what MONAI's handler metrics reduce in their own ways (<see cref="MonaiHandlerAccumulator"/>).
    /// </summary>
    internal static (LabelCounts Counts, SurfacePair?[] Surfaces) CountsAndSurfaces(
        Volume prediction, Volume truth, IReadOnlyList<SegmentationClass> classes, bool surfaces, MonaiSemantics semantics, CancellationToken cancellationToken)
    {
        MetricInputChecks.Classes(classes);
        MetricInputChecks.SameGrid(prediction, truth);
        var slots = new ClassSlots(classes);
        var counts = LabelCounts.Count(prediction, truth, slots, classes.Count, cancellationToken);
        var pairs = new SurfacePair?[classes.Count];
        for (var n = 0; surfaces && n < classes.Count; n++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var slot = (byte)(n + 1);
            pairs[n] = counts.High[slot, 0] < 0 ? null : ClassBox.Extract(prediction, truth, slot, slots, counts, new[] { 1.0, 1.0, 1.0 }, semantics);
        }

        return (counts, pairs);
    }

    private static ClassSegmentationMetrics Measure(
        Volume prediction, Volume truth, SegmentationClass @class, byte slot, ClassSlots slots, LabelCounts counts, double[] spacing, double voxelMl, SegmentationMetricOptions options)
    {
        var tp = counts.TruePositives[slot];
        var fp = counts.FalsePositives[slot];
        var fn = counts.FalseNegatives[slot];
        var predicted = tp + fp;
        var actual = tp + fn;

        // DiceMetric / MeanIoU in float32 from float32 sums, NaN for an empty truth (ignore_empty).
        var dice = actual > 0 ? (2f * tp) / ((float)actual + (float)predicted) : double.NaN;
        var iou = actual > 0 ? tp / (((float)actual + (float)predicted) - tp) : double.NaN;

        double hausdorff = double.NaN, hausdorff95 = double.NaN, meanSurface = double.NaN, surfaceDice = double.NaN;
        var reason = actual == 0 && predicted == 0 ? MetricNanReasons.EmptyBoth
            : actual == 0 ? MetricNanReasons.EmptyTruth
            : predicted == 0 ? MetricNanReasons.EmptyPrediction
            : null;
        if (reason != MetricNanReasons.EmptyBoth)
        {
            var pair = ClassBox.Extract(prediction, truth, slot, slots, counts, spacing, options.Semantics);
            hausdorff = SurfaceReductions.Hausdorff(pair, null, false, options.Semantics);
            hausdorff95 = SurfaceReductions.Hausdorff(pair, options.Percentile, false, options.Semantics);
            meanSurface = SurfaceReductions.MeanSurfaceDistance(pair, true, options.Semantics);
            surfaceDice = SurfaceReductions.SurfaceDice(pair, options.SurfaceToleranceMm, options.Semantics);
            if (reason is null && (pair.PredictedSurfaceCount == 0 || pair.TrueSurfaceCount == 0))
            {
                reason = MetricNanReasons.NoSurface;
            }
        }

        return new ClassSegmentationMetrics(
            @class.Label,
            @class.Name,
            dice,
            iou,
            hausdorff,
            hausdorff95,
            meanSurface,
            surfaceDice,
            predicted * voxelMl,
            actual * voxelMl,
            (predicted - actual) * voxelMl,
            tp,
            fp,
            fn,
            reason);
    }

    /// <summary>|det| of the affine's linear part, mm³, in mL.</summary>
    internal static double VoxelVolumeMl(Affine affine)
    {
        double A(int r, int c) => affine[r, c];
        var det = (A(0, 0) * ((A(1, 1) * A(2, 2)) - (A(1, 2) * A(2, 1))))
                - (A(0, 1) * ((A(1, 0) * A(2, 2)) - (A(1, 2) * A(2, 0))))
                + (A(0, 2) * ((A(1, 0) * A(2, 1)) - (A(1, 1) * A(2, 0))));
        return Math.Abs(det) / 1000;
    }
}
