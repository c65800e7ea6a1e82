using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace MdaiClara.Engine.Reporting;

/// <summary>
/// Box plots (quartiles, median, whiskers to the furthest value within 1.5 IQR) with every case drawn over them as a
/// point (a strip plot, spread sideways so equal values stay visible): one chart per metric with a box per class for
/// segmentation, one chart per class with negative and positive cases' scores for classification.
/// </summary>
internal static class DistributionPlots
{
    /// <summary>Metrics not worth a chart of their own (the volume difference shows the same).</summary>
    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal) { ReportMetricNames.PredictedVolumeMl, ReportMetricNames.TrueVolumeMl };

    public static IEnumerable<ReportFigure> PerMetric(ValidationReport report, CancellationToken cancellationToken)
    {
        var measured = report.Cases.Where(c => c.Error is null).ToList();
        var classes = report.Classes.Select(c => c.ClassName)
            .Concat(measured.SelectMany(c => c.Values.Select(v => v.ClassName))).Distinct(StringComparer.Ordinal).ToList();
        var present = measured.SelectMany(c => c.Values.Select(v => v.Metric)).Distinct(StringComparer.Ordinal).Where(m => !Skipped.Contains(m)).ToList();
        var metrics = ReportMetricNames.DisplayOrder.Where(present.Contains).Concat(present.Where(m => !ReportMetricNames.DisplayOrder.Contains(m)));
        foreach (var metric in metrics)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var groups = classes.Select(name => (Name: name, Values: measured.SelectMany(c => c.Values)
                .Where(v => v.ClassName == name && v.Metric == metric).Select(v => v.Value).ToList())).Where(g => g.Values.Count > 0).ToList();
            if (groups.Count == 0)
            {
                continue;
            }

            yield return Chart($"{metric} per class", "Class", metric, groups.Select((g, i) => (g.Name, g.Values, PlotStyle.ClassColor(i))).ToList());
        }
    }

    public static IEnumerable<ReportFigure> Scores(ValidationReport report, CancellationToken cancellationToken)
    {
        var scores = report.Cases.Where(c => c.Error is null).SelectMany(c => c.Scores).ToList();
        var classes = scores.Select(s => s.ClassName).Distinct(StringComparer.Ordinal).ToList();
        foreach (var name in classes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var negative = scores.Where(s => s.ClassName == name && !s.Truth).Select(s => s.Score).ToList();
            var positive = scores.Where(s => s.ClassName == name && s.Truth).Select(s => s.Score).ToList();
            yield return Chart($"{name}: scores by truth", "Ground truth", "Score", new List<(string, List<double>, Color)>
            {
                ("negative", negative, Color.FromHex("#7f7f7f")),
                ($"positive ({name})", positive, PlotStyle.ClassColor(classes.IndexOf(name))),
            });
        }
    }

    private static ReportFigure Chart(string title, string xLabel, string yLabel, IReadOnlyList<(string Name, List<double> Values, Color Color)> groups)
    {
        var plot = PlotStyle.NewPlot(title, xLabel, yLabel);
        var undefined = 0;
        var positions = new double[groups.Count];
        var labels = new string[groups.Count];
        for (var g = 0; g < groups.Count; g++)
        {
            var (name, all, color) = groups[g];
            var values = all.Where(double.IsFinite).OrderBy(v => v).ToList();
            undefined += all.Count - values.Count;
            positions[g] = g + 1;
            labels[g] = $"{name}\n(n={values.Count.ToString(CultureInfo.InvariantCulture)})";
            if (values.Count == 0)
            {
                continue;
            }

            var q1 = Quantile(values, 0.25);
            var q3 = Quantile(values, 0.75);
            var iqr = q3 - q1;
            var box = new Box
            {
                Position = g + 1,
                BoxMin = q1,
                BoxMax = q3,
                BoxMiddle = Quantile(values, 0.5),
                WhiskerMin = values.First(v => v >= q1 - (1.5 * iqr)),
                WhiskerMax = values.Last(v => v <= q3 + (1.5 * iqr)),
                Width = 0.5,
            };
            var boxes = plot.Add.Box(box);
            boxes.FillColor = color.WithAlpha(0.25);
            boxes.LineColor = color.Darken(0.3);
            boxes.LineWidth = 1.5f;

            var xs = values.Select((_, i) => g + 1 + Jitter(i)).ToArray();
            var points = plot.Add.Markers(xs, values.ToArray(), MarkerShape.FilledCircle, 5, color.WithAlpha(0.8));
            points.MarkerLineColor = color.Darken(0.4);
        }

        plot.Axes.Bottom.TickGenerator = new NumericManual(positions, labels);
        plot.Axes.SetLimitsX(0.4, groups.Count + 0.6);
        var caption = $"{title}: box = quartiles and median, whiskers to the furthest case within 1.5 IQR, dots = cases.";
        if (undefined > 0)
        {
            caption += $" {undefined.ToString(CultureInfo.InvariantCulture)} undefined value(s) (NaN or infinite) not drawn.";
        }

        return PlotStyle.ToFigure(plot, caption);
    }

    /// <summary>Quantile by linear interpolation between order statistics (numpy's default), of sorted values.</summary>
    internal static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        var position = q * (sorted.Count - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + ((position - low) * (sorted[high] - sorted[low]));
    }

    /// <summary>A deterministic sideways offset in [−0.18, 0.18] (golden-ratio sequence), so a report is the same each time.</summary>
    private static double Jitter(int i) => (((i * 0.6180339887498949) % 1.0) - 0.5) * 0.36;
}
