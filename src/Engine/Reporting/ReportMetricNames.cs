using System;
using System.Collections.Generic;

namespace MdaiClara.Engine.Reporting;

/// <summary>
/// The metric names the report knows how to order, format and rank by. Other names are shown as given, after these,
/// with three decimals.
/// </summary>
public static class ReportMetricNames
{
    public const string Dice = "Dice";
    public const string IoU = "IoU";
    public const string Hausdorff95Mm = "HD95 (mm)";
    public const string HausdorffMm = "HD (mm)";
    public const string MeanSurfaceDistanceMm = "MSD (mm)";
    public const string NormalizedSurfaceDice = "NSD";
    public const string PredictedVolumeMl = "Predicted volume (mL)";
    public const string TrueVolumeMl = "True volume (mL)";
    public const string VolumeDifferenceMl = "Volume difference (mL)";
    public const string Auc = "AUC";
    public const string Sensitivity = "Sensitivity";
    public const string Specificity = "Specificity";
    public const string Ppv = "PPV";
    public const string Accuracy = "Accuracy";

    /// <summary>The known names in the order the report shows them.</summary>
    public static IReadOnlyList<string> DisplayOrder { get; } = new[]
    {
        Dice, IoU, NormalizedSurfaceDice, Hausdorff95Mm, HausdorffMm, MeanSurfaceDistanceMm, VolumeDifferenceMl,
        PredictedVolumeMl, TrueVolumeMl, Auc, Sensitivity, Specificity, Ppv, Accuracy,
    };

    /// <summary>Decimals to show a metric's values with: 3 for ratios, 2 for millimetres and millilitres.</summary>
    public static int Decimals(string metric) =>
        metric.EndsWith("(mm)", StringComparison.Ordinal) || metric.EndsWith("(mL)", StringComparison.Ordinal) ? 2 : 3;
}
