using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;

namespace MdaiClara.Engine.Metrics;

/// <summary>The checks every metric entry point makes before it reads a voxel, each failing with a specific error.</summary>
internal static class MetricInputChecks
{
    public static void Classes(IReadOnlyList<SegmentationClass> classes)
    {
        if (classes.Count is 0 or > SegmentationMetrics.MaximumClasses)
        {
            throw Input($"Segmentation metrics need 1 to {SegmentationMetrics.MaximumClasses} classes, not {classes.Count}; list the classes to measure (background excluded).", classes);
        }

        foreach (var c in classes)
        {
            if (c is null || c.Label is < 0 or > SegmentationMetrics.MaximumLabel)
            {
                throw Input($"A class label must be an integer from 0 to {SegmentationMetrics.MaximumLabel}, not {c?.Label.ToString(CultureInfo.InvariantCulture) ?? "null"} ('{c?.Name}').", classes);
            }
        }

        var repeated = classes.GroupBy(c => c.Label).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            throw Input($"Label {repeated.Key} is listed twice ({string.Join(", ", repeated.Select(c => $"'{c.Name}'"))}); each class needs its own label value.", classes);
        }
    }

    public static void Options(SegmentationMetricOptions options)
    {
        if (!(options.Percentile is >= 0 and <= 100))
        {
            throw Argument($"The Hausdorff percentile must be from 0 to 100, not {Format(options.Percentile)}.", options);
        }

        if (!(options.SurfaceToleranceMm >= 0) || double.IsInfinity(options.SurfaceToleranceMm))
        {
            throw Argument($"The surface Dice tolerance must be a finite distance of 0 or more, not {Format(options.SurfaceToleranceMm)}.", options);
        }
    }

    /// <summary>Same shape (3 spatial axes, any further axis of length 1) and affines within <see cref="SegmentationMetrics.GridTolerance"/>.</summary>
    public static void SameGrid(Volume prediction, Volume truth)
    {
        foreach (var (volume, role) in new[] { (prediction, "prediction"), (truth, "truth") })
        {
            if (volume.Shape.Skip(3).Any(extent => extent != 1))
            {
                throw Input($"The {role} ({volume.Source}) has shape [{string.Join(", ", volume.Shape)}]; metrics need one label map (i, j, k), not several channels or time points.", volume.Source);
            }
        }

        var shapesDiffer = !prediction.Shape.Take(3).SequenceEqual(truth.Shape.Take(3));
        var difference = prediction.Affine.MaxAbsDifference(truth.Affine);
        if (shapesDiffer || !(difference <= SegmentationMetrics.GridTolerance))
        {
            throw new MdaiClaraException(
                $"The prediction and the truth are not on one grid: prediction {Describe(prediction)}, truth {Describe(truth)}"
                + (shapesDiffer ? "." : $" (affines differ by up to {difference.ToString("G4", CultureInfo.InvariantCulture)} mm, more than {Format(SegmentationMetrics.GridTolerance)}).")
                + " Resample the prediction onto the truth's grid first (metrics are computed on the ground truth's own grid).",
                ErrorIds.MetricGridMismatch,
                ErrorKind.InvalidData,
                truth.Source);
        }
    }

    public static MdaiClaraException Input(string message, object? target) =>
        new(message, ErrorIds.MetricInputInvalid, ErrorKind.InvalidArgument, target);

    public static MdaiClaraException Argument(string message, object? target) =>
        new(message, ErrorIds.MetricArgumentInvalid, ErrorKind.InvalidArgument, target);

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Describe(Volume volume) =>
        $"'{volume.Source}' shape [{string.Join(", ", volume.Shape)}] affine {volume.Affine}";
}
