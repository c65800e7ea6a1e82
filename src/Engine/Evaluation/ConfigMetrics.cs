using System;
using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Models;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Evaluation;

/// <summary>
/// The metrics a validation config names (key_metric, additional_metrics), computed as MONAI's handlers compute them
/// on the post-transformed prediction and label (channel-first, as AsDiscreted leaves them; voxel units):
/// <list type="bullet">
/// <item>MeanDice: per class 2|P∩L| / (|P| + |L|), NaN where the label has none of the class; the first channel is
/// left out unless include_background; over cases, MONAI's mean reduction (each case's mean over its non-NaN classes,
/// then the mean over cases that have one).</item>
/// <item>Accuracy (ignite's, binary inputs): the fraction of elements where prediction and label agree, over all
/// channels; over cases, correct elements over all elements.</item>
/// </list>
/// </summary>
internal static class ConfigMetrics
{
    public static bool IsSupported(string name) => name is "MeanDice" or "Accuracy";

    /// <summary>One case's values of <paramref name="metric"/>: per class for MeanDice, one value for Accuracy; with the element counts Accuracy aggregates.</summary>
    public static (double[] Values, double Correct, double Total) Compute(MetricSetting metric, Tensor prediction, Tensor label)
    {
        using var scope = NewDisposeScope();
        if (!prediction.shape.SequenceEqual(label.shape))
        {
            throw new MdaiClaraException(
                $"{metric.Component.File}: {metric.LogLabel} ({metric.Name}) gets a prediction [{string.Join(", ", prediction.shape)}] and a label [{string.Join(", ", label.shape)}] of different shapes; the post-transforms must give both the same layout (AsDiscreted to_onehot on both keys).",
                ErrorIds.EvaluationGridMismatch, ErrorKind.InvalidData, metric.Component.File);
        }

        var p = prediction.to_type(ScalarType.Float64);
        var l = label.to_type(ScalarType.Float64);
        if (metric.Name == "Accuracy")
        {
            var correct = p.eq(l).sum().item<long>();
            var total = p.numel();
            return (new[] { (double)correct / total }, correct, total);
        }

        var first = metric.IncludeBackground ? 0 : 1;
        var channels = (int)p.shape[0];
        var dims = Enumerable.Range(1, (int)p.dim() - 1).Select(d => (long)d).ToArray();
        var intersection = (p * l).sum(dims).cpu().data<double>().ToArray();
        var predicted = p.sum(dims).cpu().data<double>().ToArray();
        var truth = l.sum(dims).cpu().data<double>().ToArray();
        var values = new double[Math.Max(0, channels - first)];
        for (var c = first; c < channels; c++)
        {
            values[c - first] = truth[c] > 0 ? 2 * intersection[c] / (truth[c] + predicted[c]) : double.NaN;
        }

        return (values, 0, 0);
    }

    /// <summary>MONAI's mean reduction over cases (MeanDice), or correct over total elements (Accuracy).</summary>
    public static double Aggregate(MetricSetting metric, IReadOnlyList<(double[] Values, double Correct, double Total)> cases)
    {
        if (metric.Name == "Accuracy")
        {
            var total = cases.Sum(c => c.Total);
            return total > 0 ? cases.Sum(c => c.Correct) / total : double.NaN;
        }

        var perCase = cases.Select(c => c.Values.Where(v => !double.IsNaN(v)).ToList()).Where(v => v.Count > 0).Select(v => v.Average()).ToList();
        return perCase.Count > 0 ? perCase.Average() : 0;
    }
}
