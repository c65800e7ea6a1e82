using System;
using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Metrics;

namespace MdaiClara.Engine.Evaluation;

/// <summary>
/// One measured case: the metrics of each foreground class on the truth's own grid (mm, mL), the config's own metrics
/// (MONAI handler semantics, voxel units) for a validate.sh run, or a classifier's scores beside its truth.
/// </summary>
public sealed record ValidationCase
{
    public required string Name { get; init; }

    /// <summary>The image the model ran on.</summary>
    public required string Image { get; init; }

    /// <summary>Where the truth came from.</summary>
    public required string Truth { get; init; }

    public required string Model { get; init; }

    public required string Device { get; init; }

    /// <summary>Per foreground class, on the truth's grid (segmentation); empty for a classifier.</summary>
    public required IReadOnlyList<ClassSegmentationMetrics> Classes { get; init; }

    /// <summary>The config's metrics (key_metric, additional_metrics) by log label: one value per class as MONAI's handler keeps it for this case.</summary>
    public IReadOnlyDictionary<string, double[]> ConfigMetrics { get; init; } = new Dictionary<string, double[]>();

    /// <summary>A classifier's class scores (after the post-transforms).</summary>
    public IReadOnlyList<double>? Scores { get; init; }

    /// <summary>A classifier's truth, one 0/1 per class.</summary>
    public IReadOnlyList<int>? ClassTruth { get; init; }

    /// <summary>The predicted label map written for this case, when one was.</summary>
    public string? PredictionFile { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();

    public double Seconds { get; init; }

    /// <summary>Mean Dice over the foreground classes the truth has (NaN classes left out).</summary>
    public double MeanDice => Mean(Classes.Select(c => c.Dice));

    /// <summary>Dice of the class named <paramref name="name"/> (case-insensitive); NaN when there is none.</summary>
    public double DiceOf(string name) => Classes.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))?.Dice ?? double.NaN;

    internal static double Mean(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToList();
        return finite.Count == 0 ? double.NaN : finite.Average();
    }

    public override string ToString() => $"{Name}: mean Dice {MeanDice:0.####}";
}
