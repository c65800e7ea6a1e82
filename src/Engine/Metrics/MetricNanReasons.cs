namespace MdaiClara.Engine.Metrics;

/// <summary>
/// Why a metric is NaN or infinite, MONAI's conventions (the values of <c>NanReason</c> on the metric records).
/// </summary>
public static class MetricNanReasons
{
    /// <summary>
    /// The truth has none of the class but the prediction has some: Dice and IoU are NaN (ignore_empty), the Hausdorff
    /// distance and the mean surface distance +∞, HD95 NaN (the percentile of infinite distances), surface Dice 0.
    /// </summary>
    public const string EmptyTruth = "EmptyTruth";

    /// <summary>
    /// The prediction has none of the class but the truth has some: Dice and IoU are 0, the Hausdorff distance and the
    /// mean surface distance +∞, HD95 NaN, surface Dice 0.
    /// </summary>
    public const string EmptyPrediction = "EmptyPrediction";

    /// <summary>Neither has the class: every metric is NaN (volumes and counts are 0).</summary>
    public const string EmptyBoth = "EmptyBoth";

    /// <summary>
    /// MONAI 0.8.1 only: the class is one voxel in every direction in both maps, its bounding box is squeezed to no axis and
    /// it has no surface voxel, so the distances are NaN although the structure is not empty.
    /// </summary>
    public const string NoSurface = "NoSurface";

    /// <summary>Classification: the truth holds only one of the two outcomes for this class, so the AUC is NaN (MONAI ROCAUCMetric).</summary>
    public const string OneOutcomeOnly = "OneOutcomeOnly";

    /// <summary>Classification: a rate's denominator is 0 (no true positives+false negatives, …), so that rate is NaN.</summary>
    public const string ZeroDenominator = "ZeroDenominator";
}
