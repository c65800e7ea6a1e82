using System;
using System.Collections.Generic;

namespace MdaiClara.Engine.Reporting;

/// <summary>One validated case (an image and its ground truth).</summary>
/// <param name="CaseId">What identifies the case to a reader (file name, accession, datalist entry).</param>
/// <param name="Values">Its metric values per class (empty for a failed case).</param>
public sealed record ReportCase(string CaseId, IReadOnlyList<ReportCaseValue> Values)
{
    /// <summary>Why the case could not be measured (missing label, unreadable image…); null when it was.</summary>
    public string? Error { get; init; }

    /// <summary>Segmentation: the image with its truth and predicted label maps, for the overlay views; null for none.</summary>
    public ReportCaseImages? Images { get; init; }

    /// <summary>Classification: the model's score and the truth per class, for the ROC curves.</summary>
    public IReadOnlyList<ReportClassScore> Scores { get; init; } = Array.Empty<ReportClassScore>();
}

/// <summary>One metric value of one class in one case.</summary>
/// <param name="ClassName">The class, as in <see cref="ReportClassRow.ClassName"/>.</param>
/// <param name="Metric">The metric, as in <see cref="ReportMetricSummary.Metric"/>.</param>
/// <param name="Value">The value; NaN or infinity where the metric is undefined (say why in <paramref name="Note"/>).</param>
/// <param name="Note">Why a value is NaN or infinite (e.g. "empty ground truth"), or null.</param>
public sealed record ReportCaseValue(string ClassName, string Metric, double Value, string? Note = null);

/// <summary>A classifier's score for one class in one case, and whether the case truly is that class.</summary>
/// <param name="ClassName">The class.</param>
/// <param name="Score">The model's probability (or any score ordered the same way).</param>
/// <param name="Truth">True when the ground truth says the case is of this class.</param>
public sealed record ReportClassScore(string ClassName, double Score, bool Truth);
