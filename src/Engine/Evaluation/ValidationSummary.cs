using System;
using System.Collections.Generic;
using System.Linq;

namespace MdaiClara.Engine.Evaluation;

/// <summary>
/// The whole measurement: per class statistics (<see cref="Classes"/>, keyed by class name, case-insensitive), the
/// config's metrics over all cases as MONAI's handlers aggregate them, and what was written.
/// </summary>
public sealed record ValidationSummary
{
    public required string Model { get; init; }

    /// <summary>The MMAR's version ("4.1.0") and the model file's SHA-256, for provenance.</summary>
    public string? ModelVersion { get; init; }

    public string? ModelSha256 { get; init; }

    public required string Task { get; init; }

    public required string Device { get; init; }

    public required string Semantics { get; init; }

    /// <summary>What the truth was ("'validation' of config/dataset_0.json (4 items)").</summary>
    public required string GroundTruth { get; init; }

    /// <summary>Cases measured.</summary>
    public required int Cases { get; init; }

    /// <summary>Items that could not be measured (each was reported as an error naming it).</summary>
    public required int Failed { get; init; }

    /// <summary>Per foreground class (or per class of a classifier), keyed by name, case-insensitive.</summary>
    public required IReadOnlyDictionary<string, ClassSummary> Classes { get; init; }

    /// <summary>The config's metrics by log label, aggregated as MONAI's handlers do (mean over cases of the per-case means, NaN left out).</summary>
    public IReadOnlyDictionary<string, double> ConfigMetrics { get; init; } = new Dictionary<string, double>();

    /// <summary>The config's key metric's log label, when it has one.</summary>
    public string? KeyMetric { get; init; }

    public double KeyMetricValue => KeyMetric is not null && ConfigMetrics.TryGetValue(KeyMetric, out var v) ? v : double.NaN;

    /// <summary>The mean over foreground classes of their mean Dice.</summary>
    public double MeanDice => ValidationCase.Mean(Classes.Values.Select(c => c.MeanDice));

    /// <summary>The mean over classes of their AUC (classifiers).</summary>
    public double MeanAuc => ValidationCase.Mean(Classes.Values.Select(c => c.Auc));

    /// <summary>Where results were written (the output folder), when anywhere.</summary>
    public string? OutputPath { get; init; }

    /// <summary>Files written (predictions, MetricsSaver's CSV files).</summary>
    public IReadOnlyList<string> Files { get; init; } = Array.Empty<string>();

    public DateTimeOffset Date { get; init; } = DateTimeOffset.UtcNow;

    public override string ToString() => $"{Model}: {Cases} cases, mean Dice {MeanDice:0.####}";
}
