using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Evaluation;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Models;

namespace MdaiClara.Engine.Publishing;

/// <summary>A minimum a measured value must reach: overall (the mean over classes) and/or per class, by class name.</summary>
public sealed record QualityThreshold(double? Overall, IReadOnlyDictionary<string, double> PerClass)
{
    public static QualityThreshold? None => null;

    public override string ToString() =>
        string.Join(", ", (Overall is { } o ? new[] { $"overall ≥ {Format(o)}" } : Array.Empty<string>()).Concat(PerClass.Select(p => $"{p.Key} ≥ {Format(p.Value)}")));

    internal static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}

/// <summary>
/// The publish quality gate: the model measured on ground truth (as Measure-ClaraModel measures it) must reach the
/// minimum Dice (segmentation) or AUC (classification), overall or per class, or the recorded "Quality" check fails
/// and delivery stops.
/// </summary>
public sealed record QualityGate(GroundTruthSpec GroundTruth)
{
    public QualityThreshold? MinimumDice { get; init; }

    public QualityThreshold? MinimumAuc { get; init; }

    /// <summary>The normalised surface Dice's tolerance and a classifier's threshold, as Measure-ClaraModel takes them.</summary>
    public double SurfaceToleranceMm { get; init; } = 2.0;

    public double Threshold { get; init; } = 0.5;

    public const string CheckName = "Quality";

    /// <summary>
    /// Measures the model (an MMAR's or a bundle's description; a bundle's analysis must stay open while this runs) and
    /// judges it; every problem is the check's failure, never an exception.
    /// </summary>
    public PublishCheck Check(RunnableModel model, DeviceSpec device, ModelSessionCache cache, IEngineLog? log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        try
        {
            var set = GroundTruthSources.Resolve(GroundTruth, model, cancellationToken, log);
            foreach (var problem in set.Problems)
            {
                log.Warning($"Quality: {problem.Message}");
            }

            using var evaluator = ModelEvaluator.Create(model, GroundTruth.ModeFor(model), new EvaluationOptions(device, null, SurfaceToleranceMm, Threshold), cache, log);
            var failed = set.Problems.Count;
            foreach (var c in set.Cases)
            {
                try
                {
                    evaluator.Evaluate(c, null, cancellationToken);
                }
                catch (MdaiClaraException ex) when (ex.ErrorId is not (ErrorIds.CudaUnavailable or ErrorIds.TorchRuntimeLoadFailed))
                {
                    failed++;
                    log.Warning($"Quality: {ex.Message}");
                }
            }

            return Judge(evaluator.Summarize(set.Description, failed));
        }
        catch (MdaiClaraException ex)
        {
            return new PublishCheck(CheckName, PublishCheckStatus.Failed, $"the model could not be measured: {ex.Message}");
        }
    }

    /// <summary>The check for a summary: passed when every threshold is reached.</summary>
    public PublishCheck Judge(ValidationSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (summary.Cases == 0)
        {
            return new PublishCheck(CheckName, PublishCheckStatus.Failed, $"no case of {summary.GroundTruth} could be measured ({summary.Failed} failed)");
        }

        var seen = new List<string>();
        var below = new List<string>();
        void Apply(QualityThreshold? threshold, string metric, double overall, Func<ClassSummary, double> perClass)
        {
            if (threshold is null)
            {
                return;
            }

            if (threshold.Overall is { } min)
            {
                seen.Add($"mean {metric} {QualityThreshold.Format(overall)} (minimum {QualityThreshold.Format(min)})");
                if (!(overall >= min))
                {
                    below.Add($"mean {metric} {QualityThreshold.Format(overall)} < {QualityThreshold.Format(min)}");
                }
            }

            foreach (var (name, minimum) in threshold.PerClass)
            {
                if (!summary.Classes.TryGetValue(name, out var cls))
                {
                    below.Add($"there is no class '{name}' (classes: {string.Join(", ", summary.Classes.Keys)})");
                    continue;
                }

                var value = perClass(cls);
                seen.Add($"{cls.Name} {metric} {QualityThreshold.Format(value)} (minimum {QualityThreshold.Format(minimum)})");
                if (!(value >= minimum))
                {
                    below.Add($"{cls.Name} {metric} {QualityThreshold.Format(value)} < {QualityThreshold.Format(minimum)}");
                }
            }
        }

        Apply(MinimumDice, "Dice", summary.MeanDice, c => c.MeanDice);
        Apply(MinimumAuc, "AUC", summary.MeanAuc, c => c.Auc);
        var measured = $"on {summary.Cases} case(s) of {summary.GroundTruth}{(summary.Failed > 0 ? $", {summary.Failed} not measured" : string.Empty)}";
        return below.Count == 0
            ? new PublishCheck(CheckName, PublishCheckStatus.Passed, $"{string.Join("; ", seen)} {measured}")
            : new PublishCheck(CheckName, PublishCheckStatus.Failed, $"below the minimum: {string.Join("; ", below)} {measured}");
    }
}
