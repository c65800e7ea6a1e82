namespace MdaiClara.Engine.Metrics;

/// <summary>The metrics of one class of a classifier across cases (see <see cref="ClassificationMetrics.Compute"/>).</summary>
/// <param name="Index">The class's position in the score and truth vectors.</param>
/// <param name="Name">The class's name.</param>
/// <param name="Auc">MONAI ROCAUCMetric (ties counted half, as its <c>_calculate</c> does); NaN when the truth holds only one outcome.</param>
/// <param name="Sensitivity">TP / (TP + FN) at the threshold; NaN when there is no positive case.</param>
/// <param name="Specificity">TN / (TN + FP); NaN when there is no negative case.</param>
/// <param name="Ppv">TP / (TP + FP); NaN when nothing is predicted positive.</param>
/// <param name="TruePositives">Cases with truth 1 and score at or above the threshold.</param>
/// <param name="FalsePositives">Cases with truth 0 and score at or above the threshold.</param>
/// <param name="TrueNegatives">Cases with truth 0 and score below the threshold.</param>
/// <param name="FalseNegatives">Cases with truth 1 and score below the threshold.</param>
/// <param name="NanReason">Null when every value is a number; otherwise one of <see cref="MetricNanReasons"/>.</param>
public sealed record ClassClassificationMetrics(
    int Index,
    string Name,
    double Auc,
    double Sensitivity,
    double Specificity,
    double Ppv,
    long TruePositives,
    long FalsePositives,
    long TrueNegatives,
    long FalseNegatives,
    string? NanReason);
