using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MdaiClara.Engine.Metrics;

/// <summary>
/// Classifier metrics across cases, per class: MONAI ROCAUCMetric's AUC and the confusion counts and rates of MONAI
/// ConfusionMatrixMetric at a threshold (a case is predicted positive when its score is at or above the threshold, as
/// MONAI 1.x's <c>AsDiscrete(threshold=…)</c> decides).
/// </summary>
public static class ClassificationMetrics
{
    /// <summary>Per-class metrics from <c>scores[case][class]</c> (probabilities) and <c>truth[case][class]</c> (0/1).</summary>
    /// <exception cref="Errors.MdaiClaraException">MetricInputInvalid (ragged or mismatched vectors, truth not 0/1, NaN scores), MetricArgumentInvalid (a NaN threshold).</exception>
    public static IReadOnlyList<ClassClassificationMetrics> Compute(
        IReadOnlyList<double[]> scores, IReadOnlyList<int[]> truth, IReadOnlyList<string> classNames, double threshold)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(classNames);
        if (double.IsNaN(threshold))
        {
            throw MetricInputChecks.Argument("The classification threshold must be a number, not NaN.", threshold);
        }

        if (scores.Count != truth.Count)
        {
            throw MetricInputChecks.Input($"There are {scores.Count} score vectors but {truth.Count} truth vectors; give one of each per case.", scores);
        }

        var classes = classNames.Count;
        if (classes == 0)
        {
            throw MetricInputChecks.Input("Classification metrics need at least one class name.", classNames);
        }

        for (var c = 0; c < scores.Count; c++)
        {
            if (scores[c] is null || truth[c] is null || scores[c].Length != classes || truth[c].Length != classes)
            {
                throw MetricInputChecks.Input($"Case {c} has {scores[c]?.Length ?? 0} scores and {truth[c]?.Length ?? 0} truth values; every case needs {classes} of each (one per class: {string.Join(", ", classNames)}).", c);
            }
        }

        var results = new ClassClassificationMetrics[classes];
        for (var k = 0; k < classes; k++)
        {
            var column = scores.Select(s => s[k]).ToArray();
            var outcome = truth.Select(t => t[k]).ToArray();
            CheckColumn(column, outcome, classNames[k]);
            long tp = 0, fp = 0, tn = 0, fn = 0;
            for (var c = 0; c < column.Length; c++)
            {
                var positive = column[c] >= threshold;
                if (outcome[c] == 1)
                {
                    if (positive) tp++; else fn++;
                }
                else
                {
                    if (positive) fp++; else tn++;
                }
            }

            var auc = Auc(column, outcome);
            var sensitivity = Rate(tp, tp + fn);
            var specificity = Rate(tn, tn + fp);
            var ppv = Rate(tp, tp + fp);
            var reason = double.IsNaN(auc) ? MetricNanReasons.OneOutcomeOnly
                : double.IsNaN(sensitivity) || double.IsNaN(specificity) || double.IsNaN(ppv) ? MetricNanReasons.ZeroDenominator
                : null;
            results[k] = new ClassClassificationMetrics(k, classNames[k], auc, sensitivity, specificity, ppv, tp, fp, tn, fn, reason);
        }

        return results;
    }

    /// <summary>
    /// The ROC curve of one class: (false positive rate, true positive rate) from (0, 0) to (1, 1), one point per
    /// distinct score taken as the threshold from the highest down (tied scores move both rates at once).
    /// </summary>
    public static IReadOnlyList<(double FalsePositiveRate, double TruePositiveRate)> RocCurve(IReadOnlyList<double> scores, IReadOnlyList<int> truth)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(truth);
        if (scores.Count != truth.Count)
        {
            throw MetricInputChecks.Input($"There are {scores.Count} scores but {truth.Count} truth values; give one of each per case.", scores);
        }

        var column = scores.ToArray();
        var outcome = truth.ToArray();
        CheckColumn(column, outcome, "the class");
        var positives = outcome.Count(t => t == 1);
        var negatives = outcome.Length - positives;
        var order = Enumerable.Range(0, column.Length).OrderByDescending(n => column[n]).ToArray();
        var points = new List<(double, double)> { (0, 0) };
        long tp = 0, fp = 0;
        for (var n = 0; n < order.Length; n++)
        {
            if (outcome[order[n]] == 1) tp++; else fp++;
            if (n + 1 < order.Length && column[order[n + 1]] == column[order[n]])
            {
                continue;
            }

            points.Add((Rate(fp, negatives), Rate(tp, positives)));
        }

        return points;
    }

    /// <summary>MONAI's <c>rocauc._calculate</c>: rank-based AUC over the scores sorted ascending, tied scores counted half.</summary>
    internal static double Auc(double[] scores, int[] truth)
    {
        if (truth.Length == 0 || truth.All(t => t == truth[0]))
        {
            return double.NaN;
        }

        var order = Enumerable.Range(0, scores.Length).OrderBy(n => scores[n]).ToArray();
        var n = order.Length;
        double negatives = 0, auc = 0, tiedPositives = 0, tiedNegatives = 0;
        for (var i = 0; i < n; i++)
        {
            double y = truth[order[i]];
            if (i + 1 < n && scores[order[i]] == scores[order[i + 1]])
            {
                tiedPositives += y;
                tiedNegatives += 1 - y;
                continue;
            }

            if (tiedPositives + tiedNegatives > 0)
            {
                tiedPositives += y;
                tiedNegatives += 1 - y;
                negatives += tiedNegatives;
                auc += tiedPositives * (negatives - (tiedNegatives / 2));
                tiedPositives = tiedNegatives = 0;
                continue;
            }

            if (y == 1)
            {
                auc += negatives;
            }
            else
            {
                negatives += 1;
            }
        }

        return auc / (negatives * (n - negatives));
    }

    private static void CheckColumn(double[] scores, int[] truth, string name)
    {
        var bad = Array.FindIndex(truth, t => t is not (0 or 1));
        if (bad >= 0)
        {
            throw MetricInputChecks.Input($"The truth of {name} in case {bad} is {truth[bad].ToString(CultureInfo.InvariantCulture)}; it must be 0 or 1.", name);
        }

        var nan = Array.FindIndex(scores, double.IsNaN);
        if (nan >= 0)
        {
            throw MetricInputChecks.Input($"The score of {name} in case {nan} is NaN; every score must be a number.", name);
        }
    }

    private static double Rate(long numerator, long denominator) => denominator == 0 ? double.NaN : (double)numerator / denominator;
}
