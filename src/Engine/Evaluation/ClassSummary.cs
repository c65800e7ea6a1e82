using MdaiClara.Engine.Metrics;

namespace MdaiClara.Engine.Evaluation;

/// <summary>
/// One class over all cases: for a segmentation, the mean of each metric with its 95% bootstrap interval (seeded, so a
/// rerun gives the same interval); for a classifier, AUC and the confusion-based rates at the threshold. Cases where a
/// metric is undefined (NaN or ∞: empty truth or empty prediction, MONAI's conventions) are left out of its mean and
/// interval; <see cref="ConfidenceInterval.Count"/> says how many cases it stands on.
/// </summary>
public sealed record ClassSummary
{
    public required int Label { get; init; }

    public required string Name { get; init; }

    /// <summary>Cases measured.</summary>
    public required int Cases { get; init; }

    public ConfidenceInterval? Dice { get; init; }

    public ConfidenceInterval? IoU { get; init; }

    public ConfidenceInterval? Hausdorff95Mm { get; init; }

    public ConfidenceInterval? HausdorffMm { get; init; }

    public ConfidenceInterval? MeanSurfaceDistanceMm { get; init; }

    public ConfidenceInterval? NormalizedSurfaceDice { get; init; }

    public ConfidenceInterval? VolumeDifferenceMl { get; init; }

    /// <summary>The classifier's metrics for this class.</summary>
    public ClassClassificationMetrics? Classification { get; init; }

    public double MeanDice => Dice?.Estimate ?? double.NaN;

    public double MeanIoU => IoU?.Estimate ?? double.NaN;

    public double MeanHausdorff95Mm => Hausdorff95Mm?.Estimate ?? double.NaN;

    public double MeanSurfaceDistance => MeanSurfaceDistanceMm?.Estimate ?? double.NaN;

    public double MeanNormalizedSurfaceDice => NormalizedSurfaceDice?.Estimate ?? double.NaN;

    public double MeanVolumeDifferenceMl => VolumeDifferenceMl?.Estimate ?? double.NaN;

    public double Auc => Classification?.Auc ?? double.NaN;

    public double Sensitivity => Classification?.Sensitivity ?? double.NaN;

    public double Specificity => Classification?.Specificity ?? double.NaN;

    public double Ppv => Classification?.Ppv ?? double.NaN;

    public override string ToString() => Classification is null ? $"{Name}: Dice {MeanDice:0.####}" : $"{Name}: AUC {Auc:0.####}";
}
