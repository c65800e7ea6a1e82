using System.Collections.Generic;

namespace MdaiClara.Engine.Reporting;

/// <summary>One class's line of the summary table.</summary>
/// <param name="ClassName">The class as the model names it (e.g. "spleen").</param>
/// <param name="Metrics">Its metrics in the order of the table's columns; a metric missing for a class shows as empty.</param>
public sealed record ReportClassRow(string ClassName, IReadOnlyList<ReportMetricSummary> Metrics);

/// <summary>One metric of a class over all cases.</summary>
/// <param name="Metric">The metric's name, one of <see cref="ReportMetricNames"/> or any other text.</param>
/// <param name="Interval">Its estimate and confidence interval.</param>
public sealed record ReportMetricSummary(string Metric, ReportInterval Interval);
