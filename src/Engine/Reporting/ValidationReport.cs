using System;
using System.Collections.Generic;

namespace MdaiClara.Engine.Reporting;

/// <summary>
/// Everything the HTML validation report shows, independent of where it came from (an MMAR's validate.sh run, a
/// bundle, own ground truth): who measured what (<see cref="Provenance"/>), the per-class summary with confidence
/// intervals (<see cref="Classes"/>) and the per-case results (<see cref="Cases"/>), with, for segmentation, the
/// volumes to draw the overlays from and, for classification, the scores to draw ROC curves from.
/// </summary>
/// <param name="Provenance">Model, tool, date, device, semantics and ground truth.</param>
/// <param name="Task">Segmentation or classification: decides which plots and views the report has.</param>
/// <param name="Classes">One summary row per class, in the order to show.</param>
/// <param name="Cases">Every case, failed ones included (with <see cref="ReportCase.Error"/>); the report orders them worst first.</param>
public sealed record ValidationReport(
    ReportProvenance Provenance,
    ReportTask Task,
    IReadOnlyList<ReportClassRow> Classes,
    IReadOnlyList<ReportCase> Cases)
{
    /// <summary>The report's heading; the model name when not given.</summary>
    public string? Title { get; init; }

    /// <summary>Notes shown under the summary (e.g. how NaN values arise, the bootstrap settings).</summary>
    public IReadOnlyList<string> Notes { get; init; } = Array.Empty<string>();
}
