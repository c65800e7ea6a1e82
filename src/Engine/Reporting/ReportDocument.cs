using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;

namespace MdaiClara.Engine.Reporting;

/// <summary>
/// Lays the report out as one HTML document: provenance, summary with confidence intervals, distributions, then the
/// cases worst first. Every text from the input is HTML-encoded; every picture is an embedded PNG (data: URI); the
/// page loads nothing and runs no script.
/// </summary>
internal sealed class ReportDocument
{
    private readonly ValidationReport _report;
    private readonly ValidationReportOptions _options;
    private readonly CancellationToken _cancellationToken;
    private readonly StringBuilder _html = new();

    private ReportDocument(ValidationReport report, ValidationReportOptions options, CancellationToken cancellationToken)
    {
        _report = report;
        _options = options;
        _cancellationToken = cancellationToken;
    }

    public static string Render(ValidationReport report, ValidationReportOptions options, CancellationToken cancellationToken)
    {
        var document = new ReportDocument(report, options, cancellationToken);
        document.Build();
        return document._html.ToString();
    }

    private string Title => string.IsNullOrWhiteSpace(_report.Title) ? $"Validation report: {_report.Provenance.ModelName}" : _report.Title!;

    private void Build()
    {
        _html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(ReportStyle.ContentSecurityPolicy).Append("\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"generator\" content=\"MdaiClara ").Append(HtmlText.Encode(_report.Provenance.ToolVersion)).Append("\">\n")
            .Append("<title>").Append(HtmlText.Encode(Title)).Append("</title>\n<style>\n").Append(ReportStyle.Css).Append("\n</style>\n</head>\n<body>\n");
        Header();
        Provenance();
        Summary();
        Distributions();
        Cases();
        _html.Append("<footer>Made by MdaiClara ").Append(HtmlText.Encode(_report.Provenance.ToolVersion))
            .Append(". This file is self-contained: it loads nothing from the network and runs no script.</footer>\n</body>\n</html>\n");
    }

    private void Header()
    {
        var p = _report.Provenance;
        _html.Append("<header>\n<h1>").Append(HtmlText.Encode(Title)).Append("</h1>\n<p class=\"sub\">")
            .Append(_report.Task == ReportTask.Segmentation ? "Segmentation" : "Classification").Append(" model measured against ground truth: ")
            .Append(_report.Cases.Count.ToString(CultureInfo.InvariantCulture)).Append(" case(s), ")
            .Append(_report.Cases.Count(c => c.Error is not null).ToString(CultureInfo.InvariantCulture)).Append(" failed; ")
            .Append(HtmlText.Encode(p.CreatedAt.ToString("yyyy-MM-dd HH:mm 'UTC'zzz", CultureInfo.InvariantCulture))).Append(".</p>\n</header>\n");
    }

    private void Provenance()
    {
        var p = _report.Provenance;
        var rows = new List<KeyValuePair<string, string>>
        {
            new("Model", p.ModelName),
            new("Model version", p.ModelVersion ?? "not declared"),
            new("TorchScript SHA-256", p.ModelFileSha256 ?? "not recorded"),
            new("MdaiClara version", p.ToolVersion),
            new("Date", p.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)),
            new("Device", p.Device),
            new("Semantics", p.Semantics),
            new("Ground truth", p.GroundTruthSource),
        };
        rows.AddRange(p.Extra);
        _html.Append("<section id=\"provenance\">\n<h2>Provenance</h2>\n<table class=\"kv\">\n");
        foreach (var (key, value) in rows)
        {
            var mono = key == "TorchScript SHA-256" ? " class=\"mono\"" : string.Empty;
            _html.Append("<tr><th>").Append(HtmlText.Encode(key)).Append("</th><td").Append(mono).Append('>').Append(HtmlText.Encode(value)).Append("</td></tr>\n");
        }

        _html.Append("</table>\n</section>\n");
    }

    private void Summary()
    {
        var metrics = MetricColumns(_report.Classes.SelectMany(c => c.Metrics.Select(m => m.Metric)));
        _html.Append("<section id=\"summary\">\n<h2>Summary per class</h2>\n");
        _html.Append("<p class=\"note\">Each cell: the estimate (for per-case metrics, the mean over cases), its 95 % confidence interval in brackets, and the number of cases behind it (n; undefined values left out).</p>\n");
        _html.Append("<table class=\"summary\">\n<thead><tr><th>Class</th>");
        foreach (var metric in metrics)
        {
            _html.Append("<th>").Append(HtmlText.Encode(metric)).Append("</th>");
        }

        _html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in _report.Classes)
        {
            _html.Append("<tr><th>").Append(HtmlText.Encode(row.ClassName)).Append("</th>");
            foreach (var metric in metrics)
            {
                var summary = row.Metrics.FirstOrDefault(m => m.Metric == metric);
                if (summary is null)
                {
                    _html.Append("<td class=\"num\"></td>");
                    continue;
                }

                var d = ReportMetricNames.Decimals(metric);
                var i = summary.Interval;
                _html.Append("<td class=\"num\" data-metric=\"").Append(HtmlText.Encode(metric)).Append("\"><span class=\"est\">")
                    .Append(HtmlText.Number(i.Estimate, d)).Append("</span> <span class=\"ci\">[")
                    .Append(HtmlText.Number(i.Lower, d)).Append(", ").Append(HtmlText.Number(i.Upper, d)).Append("]</span> <span class=\"n\">n=")
                    .Append(i.Count.ToString(CultureInfo.InvariantCulture)).Append("</span></td>");
            }

            _html.Append("</tr>\n");
        }

        _html.Append("</tbody>\n</table>\n");
        foreach (var note in _report.Notes)
        {
            _html.Append("<p class=\"note\">").Append(HtmlText.Encode(note)).Append("</p>\n");
        }

        _html.Append("</section>\n");
    }

    private void Distributions()
    {
        _cancellationToken.ThrowIfCancellationRequested();
        var figures = ReportFigures.Distributions(_report, _cancellationToken);
        if (figures.Count == 0)
        {
            return;
        }

        _html.Append("<section id=\"distributions\">\n<h2>Distributions</h2>\n<div class=\"figures\">\n");
        foreach (var figure in figures)
        {
            Figure(figure);
        }

        _html.Append("</div>\n</section>\n");
    }

    private void Figure(ReportFigure figure)
    {
        _html.Append("<figure>").Append(Image(figure.Png, figure.Width, figure.Height, figure.Caption))
            .Append("<figcaption>").Append(HtmlText.Encode(figure.Caption)).Append("</figcaption></figure>\n");
    }

    private static string Image(byte[] png, int width, int height, string alt) =>
        $"<img src=\"data:image/png;base64,{Convert.ToBase64String(png)}\" width=\"{width.ToString(CultureInfo.InvariantCulture)}\" height=\"{height.ToString(CultureInfo.InvariantCulture)}\" alt=\"{HtmlText.Encode(alt)}\">";

    private void Cases()
    {
        var ordered = CaseRanking.WorstFirst(_report);
        _html.Append("<section id=\"cases\">\n<h2>Cases, worst first</h2>\n");
        var failed = ordered.Where(c => c.Error is not null).ToList();
        if (failed.Count > 0)
        {
            _html.Append("<h3>Failed cases</h3>\n<table class=\"failed\">\n<thead><tr><th>Case</th><th>Error</th></tr></thead>\n<tbody>\n");
            foreach (var c in failed)
            {
                _html.Append("<tr data-case-id=\"").Append(HtmlText.Encode(c.CaseId)).Append("\"><td>").Append(HtmlText.Encode(c.CaseId))
                    .Append("</td><td class=\"error\">").Append(HtmlText.Encode(c.Error)).Append("</td></tr>\n");
            }

            _html.Append("</tbody>\n</table>\n");
        }

        var measured = ordered.Where(c => c.Error is null).ToList();
        CaseTable(measured);
        CaseDetails(measured);
        _html.Append("</section>\n");
    }

    private void CaseTable(IReadOnlyList<ReportCase> measured)
    {
        var classes = ClassNames();
        var segmentation = _report.Task == ReportTask.Segmentation;
        _html.Append("<h3>All measured cases</h3>\n<table class=\"cases\">\n<thead><tr><th>#</th><th>Case</th>")
            .Append(segmentation ? "<th>Mean Dice</th>" : "<th>Largest error</th>");
        foreach (var name in classes)
        {
            _html.Append("<th>").Append(HtmlText.Encode(name)).Append(segmentation ? " Dice" : " score (truth)").Append("</th>");
        }

        _html.Append("</tr></thead>\n<tbody>\n");
        var rank = 0;
        foreach (var c in measured)
        {
            rank++;
            _html.Append("<tr data-case-id=\"").Append(HtmlText.Encode(c.CaseId)).Append("\"><td class=\"num\">").Append(rank.ToString(CultureInfo.InvariantCulture))
                .Append("</td><td>").Append(HtmlText.Encode(c.CaseId)).Append("</td><td class=\"num\">")
                .Append(HtmlText.Number(segmentation ? CaseRanking.MeanDice(c) : CaseRanking.LargestError(c), 3)).Append("</td>");
            foreach (var name in classes)
            {
                _html.Append("<td class=\"num\">");
                if (segmentation)
                {
                    var value = c.Values.FirstOrDefault(v => v.ClassName == name && v.Metric == ReportMetricNames.Dice);
                    _html.Append(value is null ? string.Empty : HtmlText.Number(value.Value, 3));
                }
                else
                {
                    var score = c.Scores.FirstOrDefault(s => s.ClassName == name);
                    _html.Append(score is null ? string.Empty : $"{HtmlText.Number(score.Score, 3)} ({(score.Truth ? 1 : 0)})");
                }

                _html.Append("</td>");
            }

            _html.Append("</tr>\n");
        }

        _html.Append("</tbody>\n</table>\n");
    }

    private void CaseDetails(IReadOnlyList<ReportCase> measured)
    {
        var shown = 0;
        var rank = 0;
        foreach (var c in measured)
        {
            rank++;
            _cancellationToken.ThrowIfCancellationRequested();
            var withViews = c.Images is not null && shown < _options.MaxCasesWithViews;
            if (!withViews && c.Values.Count == 0)
            {
                continue;
            }

            _html.Append("<article class=\"case\" data-case-id=\"").Append(HtmlText.Encode(c.CaseId)).Append("\">\n<h3>")
                .Append(HtmlText.Encode(c.CaseId)).Append(" <span class=\"rank\">").Append(RankText(c, rank, measured.Count)).Append("</span></h3>\n");
            CaseValues(c);
            if (withViews)
            {
                shown++;
                CaseViews(c.Images!);
            }

            _html.Append("</article>\n");
        }

        var withImages = measured.Count(c => c.Images is not null);
        if (withImages > shown)
        {
            _html.Append("<p class=\"note\">Overlay views are shown for the ").Append(shown.ToString(CultureInfo.InvariantCulture))
                .Append(" worst cases; the other ").Append((withImages - shown).ToString(CultureInfo.InvariantCulture)).Append(" are in the tables above.</p>\n");
        }
    }

    private string RankText(ReportCase c, int rank, int count)
    {
        var key = _report.Task == ReportTask.Segmentation
            ? $"mean Dice {HtmlText.Number(CaseRanking.MeanDice(c), 3)}"
            : $"largest error {HtmlText.Number(CaseRanking.LargestError(c), 3)}";
        return $"{key}; rank {rank.ToString(CultureInfo.InvariantCulture)} of {count.ToString(CultureInfo.InvariantCulture)}, worst first";
    }

    private void CaseValues(ReportCase c)
    {
        var classes = c.Values.Select(v => v.ClassName).Distinct(StringComparer.Ordinal).ToList();
        var metrics = MetricColumns(c.Values.Select(v => v.Metric));
        if (classes.Count == 0)
        {
            return;
        }

        _html.Append("<table class=\"case-values\">\n<thead><tr><th>Class</th>");
        foreach (var metric in metrics)
        {
            _html.Append("<th>").Append(HtmlText.Encode(metric)).Append("</th>");
        }

        _html.Append("</tr></thead>\n<tbody>\n");
        var notes = new List<string>();
        foreach (var name in classes)
        {
            _html.Append("<tr><th>").Append(HtmlText.Encode(name)).Append("</th>");
            foreach (var metric in metrics)
            {
                var value = c.Values.FirstOrDefault(v => v.ClassName == name && v.Metric == metric);
                _html.Append("<td class=\"num\">").Append(value is null ? string.Empty : HtmlText.Number(value.Value, ReportMetricNames.Decimals(metric))).Append("</td>");
                if (value?.Note is not null)
                {
                    notes.Add($"{name}, {metric}: {value.Note}");
                }
            }

            _html.Append("</tr>\n");
        }

        _html.Append("</tbody>\n</table>\n");
        foreach (var note in notes.Distinct(StringComparer.Ordinal))
        {
            _html.Append("<p class=\"note\">").Append(HtmlText.Encode(note)).Append("</p>\n");
        }
    }

    private void CaseViews(ReportCaseImages images)
    {
        var sets = ReportFigures.Views(images, _options, _cancellationToken);
        foreach (var set in sets)
        {
            _html.Append("<h4>").Append(HtmlText.Encode(set.Title)).Append("</h4>\n<div class=\"views\">\n");
            foreach (var view in set.Views)
            {
                _html.Append("<figure class=\"view\"><span class=\"o t\">").Append(view.Top).Append("</span><span class=\"o l\">").Append(view.Left)
                    .Append("</span>").Append(Image(view.Png, view.Width, view.Height, $"{set.Title}, {view.Plane}"))
                    .Append("<span class=\"o r\">").Append(view.Right).Append("</span><span class=\"o b\">").Append(view.Bottom)
                    .Append("</span><figcaption>").Append(HtmlText.Encode(view.Caption)).Append("</figcaption></figure>\n");
            }

            _html.Append("</div>\n");
        }

        _html.Append("<div class=\"legend\"><span><span class=\"swatch\" style=\"border-color:").Append(OverlayColors.TruthCss)
            .Append("\"></span>Ground truth</span><span><span class=\"swatch\" style=\"border-color:").Append(OverlayColors.PredictionCss)
            .Append("\"></span>Prediction</span>");
        foreach (var window in sets.Select(s => s.Window).Where(w => w is not null).Distinct(StringComparer.Ordinal))
        {
            _html.Append("<span>Grey levels: ").Append(HtmlText.Encode(window)).Append("</span>");
        }

        _html.Append("</div>\n<p class=\"note\">").Append(HtmlText.Encode(ViewOrientation.Convention)).Append("</p>\n");
    }

    private IReadOnlyList<string> ClassNames() =>
        _report.Classes.Select(c => c.ClassName)
            .Concat(_report.Cases.SelectMany(c => c.Values.Select(v => v.ClassName).Concat(c.Scores.Select(s => s.ClassName))))
            .Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Known metrics in display order, then the others in the order met.</summary>
    private static IReadOnlyList<string> MetricColumns(IEnumerable<string> names)
    {
        var present = names.Distinct(StringComparer.Ordinal).ToList();
        return ReportMetricNames.DisplayOrder.Where(present.Contains).Concat(present.Where(n => !ReportMetricNames.DisplayOrder.Contains(n))).ToList();
    }
}
