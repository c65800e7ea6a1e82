using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ScottPlot;

namespace MdaiClara.Engine.Reporting;

/// <summary>ROC curves of a classifier, one per class (one-vs-rest), with the area under each in the legend.</summary>
internal static class RocPlot
{
    public static IEnumerable<ReportFigure> Curves(ValidationReport report)
    {
        var scores = report.Cases.Where(c => c.Error is null).SelectMany(c => c.Scores).Where(s => double.IsFinite(s.Score)).ToList();
        var classes = scores.Select(s => s.ClassName).Distinct(StringComparer.Ordinal).ToList();
        if (classes.Count == 0)
        {
            yield break;
        }

        var plot = PlotStyle.NewPlot("ROC curves", "False positive rate (1 − specificity)", "True positive rate (sensitivity)");
        var chance = plot.Add.Line(0, 0, 1, 1);
        chance.LineColor = Color.FromHex("#9aa3b5");
        chance.LinePattern = LinePattern.Dashed;
        chance.LegendText = "chance";
        var skipped = new List<string>();
        for (var c = 0; c < classes.Count; c++)
        {
            var own = scores.Where(s => s.ClassName == classes[c]).ToList();
            var curve = Curve(own.Select(s => s.Score).ToList(), own.Select(s => s.Truth).ToList());
            if (curve is null)
            {
                skipped.Add(classes[c]);
                continue;
            }

            var line = plot.Add.ScatterLine(curve.Select(p => p.Fpr).ToArray(), curve.Select(p => p.Tpr).ToArray(), PlotStyle.ClassColor(c));
            line.LineWidth = 2;
            line.MarkerSize = 0;
            line.LegendText = $"{classes[c]} (AUC {Area(curve).ToString("F3", CultureInfo.InvariantCulture)})";
        }

        plot.Axes.SetLimits(-0.02, 1.02, -0.02, 1.02);
        plot.ShowLegend(Alignment.LowerRight);
        var caption = "ROC curves, one class against the rest; dashed: chance.";
        if (skipped.Count > 0)
        {
            caption += $" Not drawn (the ground truth has only positives or only negatives): {string.Join(", ", skipped)}.";
        }

        yield return PlotStyle.ToFigure(plot, caption, PlotStyle.Height + 120, PlotStyle.Height + 80);
    }

    /// <summary>
    /// The ROC curve's corners, from (0, 0) to (1, 1), stepping once per distinct score (tied scores move both rates at
    /// once, so the trapezoid area equals the Mann–Whitney AUC with ties counted half); null without both classes.
    /// </summary>
    internal static IReadOnlyList<(double Fpr, double Tpr)>? Curve(IReadOnlyList<double> scores, IReadOnlyList<bool> truth)
    {
        var positives = truth.Count(t => t);
        var negatives = truth.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            return null;
        }

        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToList();
        var points = new List<(double, double)> { (0, 0) };
        int tp = 0, fp = 0;
        for (var k = 0; k < order.Count; k++)
        {
            if (truth[order[k]])
            {
                tp++;
            }
            else
            {
                fp++;
            }

            if (k == order.Count - 1 || scores[order[k + 1]] != scores[order[k]])
            {
                points.Add(((double)fp / negatives, (double)tp / positives));
            }
        }

        return points;
    }

    internal static double Area(IReadOnlyList<(double Fpr, double Tpr)> curve)
    {
        var area = 0.0;
        for (var i = 1; i < curve.Count; i++)
        {
            area += (curve[i].Fpr - curve[i - 1].Fpr) * (curve[i].Tpr + curve[i - 1].Tpr) / 2;
        }

        return area;
    }
}
