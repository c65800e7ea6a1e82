using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Reporting;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Reporting;

public sealed class ValidationReportWriterTests
{
    private static readonly Lazy<ValidationReport> Segmentation = new(SyntheticReports.Segmentation);
    private static readonly Lazy<string> SegmentationHtml = new(() => ValidationReportWriter.Render(Segmentation.Value, ValidationReportOptions.Default, CancellationToken.None));

    [Fact]
    public void The_report_has_provenance_summary_distributions_and_cases_in_that_order()
    {
        var html = SegmentationHtml.Value;
        var p = Segmentation.Value.Provenance;
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        foreach (var text in new[] { p.ModelFileSha256!, p.ModelVersion!, p.ToolVersion, p.Device, p.Semantics, "config/config_validation.json", "2026-12-07 04:30:00 +00:00" })
        {
            Assert.Contains(WebUtility.HtmlEncode(text), html, StringComparison.Ordinal);
        }

        var sections = new[] { "id=\"provenance\"", "id=\"summary\"", "id=\"distributions\"", "id=\"cases\"" }.Select(s => html.IndexOf(s, StringComparison.Ordinal)).ToList();
        Assert.All(sections, i => Assert.True(i > 0));
        Assert.Equal(sections.OrderBy(i => i), sections);
        Assert.Contains("Ground truth</span>", html, StringComparison.Ordinal);
        Assert.Contains("Prediction</span>", html, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode(ViewOrientation.Convention), html, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_summary_cell_shows_the_estimate_its_interval_and_its_count()
    {
        var html = SegmentationHtml.Value;
        foreach (var row in Segmentation.Value.Classes)
        {
            foreach (var metric in row.Metrics)
            {
                var d = ReportMetricNames.Decimals(metric.Metric);
                var i = metric.Interval;
                string F(double v) => v.ToString("F" + d, CultureInfo.InvariantCulture);
                var cell = $"<span class=\"est\">{F(i.Estimate)}</span> <span class=\"ci\">[{F(i.Lower)}, {F(i.Upper)}]</span> <span class=\"n\">n={i.Count}</span>";
                Assert.Contains(cell, html, StringComparison.Ordinal);
                Assert.True(i.Lower <= i.Estimate && i.Estimate <= i.Upper, $"{row.ClassName} {metric.Metric}: the sample's interval holds its estimate");
            }
        }
    }

    [Fact]
    public void Names_and_errors_from_files_are_html_encoded_and_the_page_has_no_script()
    {
        var html = SegmentationHtml.Value;
        Assert.Contains(WebUtility.HtmlEncode(SyntheticReports.HostileCaseId), html, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode(SyntheticReports.HostileError), html, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode(Segmentation.Value.Provenance.ModelName), html, StringComparison.Ordinal);
        Assert.DoesNotContain(SyntheticReports.HostileCaseId, html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<v1>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_page_references_nothing_outside_itself()
    {
        var html = SegmentationHtml.Value;
        var references = ReportHtmlInspection.References(html);
        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.StartsWith("data:image/png;base64,", r, StringComparison.Ordinal));
        foreach (var forbidden in new[] { "http://", "https://", "<link", "@import", "url(", "<script", "<iframe", "<object", "<embed" })
        {
            Assert.DoesNotContain(forbidden, html, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Every_image_is_an_embedded_png_that_decodes_at_its_stated_size()
    {
        var html = SegmentationHtml.Value;
        var tags = ReportHtmlInspection.ImageTags(html);
        var images = ReportHtmlInspection.Images(html);
        var metricsCharted = 5; // Dice, IoU, HD95, MSD, volume difference (predicted and true volumes are not in the sample)
        var measuredCases = Segmentation.Value.Cases.Count(c => c.Error is null);
        Assert.Equal(metricsCharted + (measuredCases * 2 * 3), images.Count);
        for (var n = 0; n < images.Count; n++)
        {
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, images[n].Png.Take(8).ToArray());
            Assert.Contains($"width=\"{images[n].Decoded.Width}\"", tags[n], StringComparison.Ordinal);
            Assert.Contains($"height=\"{images[n].Decoded.Height}\"", tags[n], StringComparison.Ordinal);
            Assert.True(images[n].Decoded.Data.Distinct().Count() > 2, $"image {n} is not a flat colour");
        }
    }

    [Fact]
    public void Cases_are_listed_worst_first_by_mean_dice_with_failed_cases_first()
    {
        var html = SegmentationHtml.Value;
        var expected = Segmentation.Value.Cases.Where(c => c.Error is null)
            .OrderBy(c => c.Values.Where(v => v.Metric == ReportMetricNames.Dice).Average(v => v.Value))
            .Select(c => WebUtility.HtmlEncode(c.CaseId)).ToList();
        Assert.Equal(expected, ReportHtmlInspection.RankedCaseIds(html));
        Assert.Equal("case-03", expected[0]);

        var failed = html.IndexOf("<h3>Failed cases</h3>", StringComparison.Ordinal);
        var firstArticle = html.IndexOf("<article class=\"case\" data-case-id=\"case-03\"", StringComparison.Ordinal);
        Assert.True(failed > 0 && firstArticle > failed);
        var articles = expected.Select(id => html.IndexOf($"<article class=\"case\" data-case-id=\"{id}\"", StringComparison.Ordinal)).ToList();
        Assert.All(articles, i => Assert.True(i > 0));
        Assert.Equal(articles.OrderBy(i => i), articles);
    }

    [Fact]
    public void Views_are_limited_to_the_worst_cases_and_the_rest_is_said()
    {
        var html = ValidationReportWriter.Render(Segmentation.Value, new ValidationReportOptions { MaxCasesWithViews = 2 }, CancellationToken.None);
        Assert.Equal(5 + (2 * 2 * 3), ReportHtmlInspection.Images(html).Count);
        Assert.Contains("Overlay views are shown for the 2 worst cases; the other 5 are in the tables above.", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_classification_report_has_roc_curves_score_charts_and_ranks_by_largest_error()
    {
        var report = SyntheticReports.Classification();
        var html = ValidationReportWriter.Render(report, ValidationReportOptions.Default, CancellationToken.None);
        Assert.Contains("ROC curves, one class against the rest", html, StringComparison.Ordinal);
        Assert.Equal(1 + 2, ReportHtmlInspection.Images(html).Count); // one ROC chart, one score chart per class
        Assert.Contains("cxr-broken", html, StringComparison.Ordinal);
        var expected = report.Cases.Where(c => c.Error is null)
            .OrderByDescending(c => c.Scores.Max(s => Math.Abs(s.Score - (s.Truth ? 1 : 0)))).ThenBy(c => c.CaseId, StringComparer.Ordinal)
            .Select(c => c.CaseId).ToList();
        Assert.Equal(expected, ReportHtmlInspection.RankedCaseIds(html));
    }

    [Fact]
    public void A_report_without_cases_still_renders_its_provenance_and_says_so()
    {
        var empty = new ValidationReport(SyntheticReports.Provenance(), ReportTask.Segmentation, Array.Empty<ReportClassRow>(), Array.Empty<ReportCase>());
        var html = ValidationReportWriter.Render(empty, ValidationReportOptions.Default, CancellationToken.None);
        Assert.Contains("0 case(s), 0 failed", html, StringComparison.Ordinal);
        Assert.Contains("id=\"provenance\"", html, StringComparison.Ordinal);
        Assert.Empty(ReportHtmlInspection.ImageTags(html));
        Assert.EndsWith("</html>\n", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_replaces_the_file_atomically_and_leaves_no_temporary_file()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("sub", "report.html");
        Directory.CreateDirectory(dir.Combine("sub"));
        File.WriteAllText(path, "old");
        ValidationReportWriter.Write(SyntheticReports.Classification(), path, CancellationToken.None);
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(dir.Combine("sub")));
    }

    [Fact]
    public void A_cancelled_write_throws_and_keeps_the_old_file()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("report.html");
        File.WriteAllText(path, "old");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => ValidationReportWriter.Write(SyntheticReports.Classification(), path, cancelled.Token));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Theory]
    [InlineData("folder")]
    [InlineData("report.txt")]
    public void A_path_that_is_a_folder_or_not_html_is_refused(string name)
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("folder"));
        var ex = Assert.Throws<MdaiClaraException>(() => ValidationReportWriter.Write(SyntheticReports.Classification(), dir.Combine(name), CancellationToken.None));
        Assert.Equal(ErrorIds.ReportPathInvalid, ex.ErrorId);
        Assert.Contains(dir.Combine(name), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_prediction_on_another_grid_is_refused_naming_the_case_and_both_shapes()
    {
        var report = Segmentation.Value;
        var first = report.Cases.First(c => c.Images is not null);
        var images = first.Images!;
        var small = new Volume(new byte[8 * 8 * 8], new long[] { 8, 8, 8 }, images.Image.Affine, "small");
        var broken = report with { Cases = new[] { first with { Images = images with { Prediction = small } } } };
        var ex = Assert.Throws<MdaiClaraException>(() => ValidationReportWriter.Render(broken, ValidationReportOptions.Default, CancellationToken.None));
        Assert.Equal(ErrorIds.ReportInputInvalid, ex.ErrorId);
        Assert.Contains(first.CaseId, ex.Message, StringComparison.Ordinal);
        Assert.Contains("[8, 8, 8]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[64, 56, 36]", ex.Message, StringComparison.Ordinal);

        var shifted = new Volume(images.Truth.GetVoxels(), images.Truth.Shape.ToArray(), Affine.Diagonal(1, 1, 1), "shifted");
        var moved = report with { Cases = new[] { first with { Images = images with { Truth = shifted } } } };
        Assert.Equal(ErrorIds.ReportInputInvalid, Assert.Throws<MdaiClaraException>(() => ValidationReportWriter.Render(moved, ValidationReportOptions.Default, CancellationToken.None)).ErrorId);
    }
}
