using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Inference;

namespace MdaiClara.Engine.Metrics;

/// <summary>
/// What one MONAI metric handler computes over a validation run, case by case, as <c>validate.sh</c>'s evaluator does:
/// on the pipeline's one-hot pred and label (given here as label maps and the label of each one-hot channel), in
/// voxel units (the handlers get no spacing), with the handler's include_background, and MONAI's "mean" reduction
/// for the value in <c>engine.state.metrics</c>. <see cref="Details"/> is the handler's buffer (per case, per
/// measured channel) that MetricsSaver writes to <c>&lt;log_label&gt;_raw.csv</c>.
/// </summary>
public sealed class MonaiHandlerAccumulator
{
    private readonly List<double[]> _details = new();
    private readonly SegmentationClass[] _measured;
    private readonly SegmentationClass[] _all;
    private long _correct;
    private long _elements;

    /// <param name="metric">The handler.</param>
    /// <param name="channelLabels">The label value of each one-hot channel, channel 0 first (e.g. 0, 1, 2 for AsDiscrete(to_onehot=3)).</param>
    /// <param name="semantics">The MONAI release the MMAR was made with.</param>
    public MonaiHandlerAccumulator(MonaiHandlerMetric metric, IReadOnlyList<int> channelLabels, MonaiSemantics semantics)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(channelLabels);
        Metric = metric;
        Semantics = semantics;
        _all = channelLabels.Select((label, c) => new SegmentationClass(label, "class" + c)).ToArray();
        MetricInputChecks.Classes(_all);
        _measured = metric.IncludeBackground ? _all : _all.Skip(1).ToArray();
        if (_measured.Length == 0 && metric.Kind != MonaiHandlerMetricKind.Accuracy)
        {
            throw MetricInputChecks.Input($"{metric.LogLabel}: with include_background false there must be a channel besides the background; the pipeline has {_all.Length}.", metric.LogLabel);
        }

        if (metric.Kind == MonaiHandlerMetricKind.MeanIoU && semantics != MonaiSemantics.Monai1x)
        {
            throw new Errors.MdaiClaraException($"{metric.LogLabel}: the MeanIoU handler does not exist in {MonaiSemanticsVersions.Describe(semantics)}.", Errors.ErrorIds.MetricNotSupported, Errors.ErrorKind.InvalidArgument, metric.LogLabel);
        }
    }

    public MonaiHandlerMetric Metric { get; }

    public MonaiSemantics Semantics { get; }

    /// <summary>The per-case, per-channel values (none for Accuracy, which keeps no details).</summary>
    public IReadOnlyList<double[]> Details => _details;

    /// <summary>
    /// Whether the details are float64 in MONAI (0.8.1's distance metrics, computed with NumPy) rather than float32;
    /// MetricsSaver prints them differently.
    /// </summary>
    public bool DetailsAreFloat64 => Semantics != MonaiSemantics.Monai1x && Metric.Kind is MonaiHandlerMetricKind.HausdorffDistance or MonaiHandlerMetricKind.SurfaceDistance;

    /// <summary>Whether the handler has per-case details (MetricsSaver's metric_details).</summary>
    public bool HasDetails => Metric.Kind != MonaiHandlerMetricKind.Accuracy;

    /// <summary>Adds one case; returns its per-channel values (empty for Accuracy).</summary>
    public double[] Add(Volume prediction, Volume truth, CancellationToken cancellationToken)
    {
        var classes = Metric.Kind == MonaiHandlerMetricKind.Accuracy ? _all : _measured;
        var distances = Metric.Kind is MonaiHandlerMetricKind.HausdorffDistance or MonaiHandlerMetricKind.SurfaceDistance;
        var (counts, pairs) = SegmentationMetrics.CountsAndSurfaces(prediction, truth, classes, distances, Semantics, cancellationToken);
        if (Metric.Kind == MonaiHandlerMetricKind.Accuracy)
        {
            var voxels = truth.VoxelCount;
            for (var c = 0; c < classes.Length; c++)
            {
                _correct += voxels - counts.FalsePositives[c + 1] - counts.FalseNegatives[c + 1];
            }

            _elements += voxels * classes.Length;
            return Array.Empty<double>();
        }

        var values = new double[classes.Length];
        for (var c = 0; c < classes.Length; c++)
        {
            long tp = counts.TruePositives[c + 1], predicted = tp + counts.FalsePositives[c + 1], actual = tp + counts.FalseNegatives[c + 1];
            values[c] = Metric.Kind switch
            {
                MonaiHandlerMetricKind.MeanDice => actual > 0 ? (2f * tp) / ((float)actual + (float)predicted) : double.NaN,
                MonaiHandlerMetricKind.MeanIoU => actual > 0 ? tp / (((float)actual + (float)predicted) - tp) : double.NaN,
                MonaiHandlerMetricKind.HausdorffDistance => pairs[c] is { } hd ? Float(SurfaceReductions.Hausdorff(hd, Metric.Percentile, Metric.Directed, Semantics)) : double.NaN,
                _ => pairs[c] is { } sd ? Float(SurfaceReductions.MeanSurfaceDistance(sd, Metric.Symmetric, Semantics)) : double.NaN,
            };
        }

        _details.Add(values);
        return values;
    }

    /// <summary>
    /// The value the handler puts in <c>engine.state.metrics</c>: for the MONAI metrics the "mean" reduction (per case
    /// the mean of its non-NaN channels, then the mean over cases that have one; 0 when none has; float32), for
    /// Accuracy the share of equal one-hot elements. NaN before any case.
    /// </summary>
    public double Value
    {
        get
        {
            if (Metric.Kind == MonaiHandlerMetricKind.Accuracy)
            {
                return _elements == 0 ? double.NaN : (double)_correct / _elements;
            }

            if (_details.Count == 0)
            {
                return double.NaN;
            }

            if (DetailsAreFloat64)
            {
                double total = 0;
                var counted = 0;
                foreach (var values in _details)
                {
                    var kept = values.Where(v => !double.IsNaN(v)).ToArray();
                    if (kept.Length > 0)
                    {
                        total += kept.Sum() / kept.Length;
                        counted++;
                    }
                }

                return counted > 0 ? total / counted : 0.0;
            }

            // float32 throughout, as torch reduces the float32 buffer.
            var sum = 0f;
            var cases = 0;
            foreach (var values in _details)
            {
                var channelSum = 0f;
                var kept = 0;
                foreach (var v in values)
                {
                    if (!double.IsNaN(v))
                    {
                        channelSum += (float)v;
                        kept++;
                    }
                }

                if (kept > 0)
                {
                    sum += channelSum / kept;
                    cases++;
                }
            }

            return cases > 0 ? sum / cases : 0f;
        }
    }

    /// <summary>
    /// The details as MetricsSaver finds them after the handler has reduced them: MONAI 0.8.1's
    /// <c>do_metric_reduction</c> sets the NaN values of the buffer to 0 in place, so its raw and summary files show
    /// 0.0 where 1.x shows nan.
    /// </summary>
    public IReadOnlyList<double[]> SavedDetails => Semantics == MonaiSemantics.Monai1x
        ? _details
        : _details.Select(row => row.Select(v => double.IsNaN(v) ? 0.0 : v).ToArray()).ToList();

    /// <summary>1.x keeps float32 distances; 0.8.1's are float64.</summary>
    private double Float(double value) => Semantics == MonaiSemantics.Monai1x ? (float)value : value;
}
