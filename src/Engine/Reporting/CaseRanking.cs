using System;
using System.Collections.Generic;
using System.Linq;

namespace MdaiClara.Engine.Reporting;

/// <summary>
/// The report's case order, worst first: failed cases, then segmentation cases by mean Dice over their classes
/// (ascending; NaN values left out), or classification cases by their largest error |score − truth| (descending);
/// cases with no defined value last; ties by case id.
/// </summary>
internal static class CaseRanking
{
    public static IReadOnlyList<ReportCase> WorstFirst(ValidationReport report) =>
        report.Cases
            .Select(c => (Case: c, Key: Badness(report.Task, c)))
            .OrderBy(x => x.Case.Error is null ? 1 : 0)
            .ThenBy(x => double.IsNaN(x.Key) ? 1 : 0)
            .ThenBy(x => double.IsNaN(x.Key) ? 0 : x.Key)
            .ThenBy(x => x.Case.CaseId, StringComparer.Ordinal)
            .Select(x => x.Case)
            .ToList();

    /// <summary>The mean Dice of a case over its classes; NaN when it has none.</summary>
    public static double MeanDice(ReportCase c)
    {
        var values = c.Values.Where(v => v.Metric == ReportMetricNames.Dice && double.IsFinite(v.Value)).Select(v => v.Value).ToList();
        return values.Count == 0 ? double.NaN : values.Average();
    }

    /// <summary>The largest |score − truth| of a classification case; NaN when it has no scores.</summary>
    public static double LargestError(ReportCase c)
    {
        var errors = c.Scores.Where(s => double.IsFinite(s.Score)).Select(s => Math.Abs(s.Score - (s.Truth ? 1 : 0))).ToList();
        return errors.Count == 0 ? double.NaN : errors.Max();
    }

    // Smaller is worse.
    private static double Badness(ReportTask task, ReportCase c) => task == ReportTask.Segmentation ? MeanDice(c) : -LargestError(c);
}
