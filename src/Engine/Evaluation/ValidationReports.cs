using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Metrics;
using MdaiClara.Engine.Reporting;

namespace MdaiClara.Engine.Evaluation;

/// <summary>Turns a measurement into the reporting floor's <see cref="ValidationReport"/> and writes it.</summary>
public static class ValidationReports
{
    public static void Write(ModelEvaluator evaluator, ValidationSummary summary, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        ValidationReportWriter.Write(Build(evaluator.Cases, evaluator.KeptVolumes, summary), path, cancellationToken);
    }

    public static ValidationReport Build(IReadOnlyList<ValidationCase> cases, IReadOnlyList<CaseVolumes> volumes, ValidationSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var provenance = new ReportProvenance(
            summary.Model,
            summary.ModelVersion is null ? null : $"Clara {summary.ModelVersion}",
            summary.ModelSha256,
            typeof(ValidationReports).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
            summary.Date,
            summary.Device,
            summary.Semantics,
            summary.GroundTruth)
        {
            Extra = summary.ConfigMetrics.Select(m => new KeyValuePair<string, string>(m.Key == summary.KeyMetric ? $"{m.Key} (key metric)" : m.Key, m.Value.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture))).ToList(),
        };
        var classification = summary.Classes.Values.Any(c => c.Classification is not null);
        var rows = summary.Classes.Values.Select(c => new ReportClassRow(c.Name, Rows(c).ToList())).ToList();
        var reportCases = cases.Select(c => Case(c, volumes.FirstOrDefault(v => v.Name == c.Name), summary)).ToList();
        return new ValidationReport(provenance, classification ? ReportTask.Classification : ReportTask.Segmentation, rows, reportCases)
        {
            Title = $"{summary.Model}: measured on {summary.Cases} case(s)",
            Notes = summary.Failed > 0 ? new[] { $"{summary.Failed} item(s) could not be measured; they were reported as errors." } : Array.Empty<string>(),
        };
    }

    private static IEnumerable<ReportMetricSummary> Rows(ClassSummary c)
    {
        if (c.Classification is { } m)
        {
            yield return new ReportMetricSummary(ReportMetricNames.Auc, new ReportInterval(m.Auc, double.NaN, double.NaN, c.Cases));
            yield return new ReportMetricSummary(ReportMetricNames.Sensitivity, new ReportInterval(m.Sensitivity, double.NaN, double.NaN, c.Cases));
            yield return new ReportMetricSummary(ReportMetricNames.Specificity, new ReportInterval(m.Specificity, double.NaN, double.NaN, c.Cases));
            yield return new ReportMetricSummary(ReportMetricNames.Ppv, new ReportInterval(m.Ppv, double.NaN, double.NaN, c.Cases));
            yield break;
        }

        foreach (var (name, interval) in new[]
        {
            (ReportMetricNames.Dice, c.Dice), (ReportMetricNames.IoU, c.IoU), (ReportMetricNames.NormalizedSurfaceDice, c.NormalizedSurfaceDice),
            (ReportMetricNames.Hausdorff95Mm, c.Hausdorff95Mm), (ReportMetricNames.HausdorffMm, c.HausdorffMm),
            (ReportMetricNames.MeanSurfaceDistanceMm, c.MeanSurfaceDistanceMm), (ReportMetricNames.VolumeDifferenceMl, c.VolumeDifferenceMl),
        })
        {
            if (interval is not null)
            {
                yield return new ReportMetricSummary(name, new ReportInterval(interval.Estimate, interval.Lower, interval.Upper, interval.Count));
            }
        }
    }

    private static ReportCase Case(ValidationCase c, CaseVolumes? volumes, ValidationSummary summary)
    {
        var values = new List<ReportCaseValue>();
        foreach (var m in c.Classes)
        {
            values.Add(new ReportCaseValue(m.Name, ReportMetricNames.Dice, m.Dice, m.NanReason));
            values.Add(new ReportCaseValue(m.Name, ReportMetricNames.IoU, m.IoU, m.NanReason));
            values.Add(new ReportCaseValue(m.Name, ReportMetricNames.NormalizedSurfaceDice, m.NormalizedSurfaceDice, m.NanReason));
            values.Add(new ReportCaseValue(m.Name, ReportMetricNames.Hausdorff95Mm, m.Hausdorff95Mm, m.NanReason));
            values.Add(new ReportCaseValue(m.Name, ReportMetricNames.HausdorffMm, m.HausdorffMm, m.NanReason));
            values.Add(new ReportCaseValue(m.Name, ReportMetricNames.MeanSurfaceDistanceMm, m.MeanSurfaceDistanceMm, m.NanReason));
            values.Add(new ReportCaseValue(m.Name, ReportMetricNames.PredictedVolumeMl, m.PredictedVolumeMl));
            values.Add(new ReportCaseValue(m.Name, ReportMetricNames.TrueVolumeMl, m.TrueVolumeMl));
            values.Add(new ReportCaseValue(m.Name, ReportMetricNames.VolumeDifferenceMl, m.VolumeDifferenceMl));
        }

        var scores = c.Scores is { } s && c.ClassTruth is { } t
            ? s.Select((score, k) => new ReportClassScore(summary.Classes.Values.FirstOrDefault(x => x.Label == k)?.Name ?? $"class {k}", score, t[k] == 1)).ToList()
            : new List<ReportClassScore>();
        ReportCaseImages? images = null;
        if (volumes is not null)
        {
            // The prediction is on the truth's grid; the image is drawn there too (same shape, positions within rounding).
            var image = new Volume(volumes.Image.GetVoxels(), volumes.Image.Shape.ToArray(), volumes.Truth.Affine, volumes.Image.Source) { Modality = volumes.Image.Modality };
            var labels = summary.Classes.Values.Where(x => x.Classification is null).Select(x => new ReportLabel(x.Label, x.Name)).ToList();
            images = new ReportCaseImages(image, volumes.Truth, volumes.Prediction, labels) { Modality = volumes.Image.Modality };
        }

        return new ReportCase(c.Name, values) { Images = images, Scores = scores };
    }
}
