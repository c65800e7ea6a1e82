using System;
using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Reporting;

namespace MdaiClara.Engine.Tests.Reporting;

/// <summary>
/// Validation reports from synthetic data, for the writer's tests and for a human to look at (ReportChromiumTests keeps
/// the last one it rendered): a CT-like abdomen phantom (air, body, liver on the patient's right, spleen on the left,
/// a vertebra) stored like a DICOM-derived NIfTI (i towards the patient's left, j towards posterior), with truth
/// ellipsoids and predictions of varying quality; and a two-class classifier with seeded scores. Dice, IoU and the
/// volumes are computed exactly; surface distances by brute force over the surface voxels (fine at this size).
/// </summary>
internal static class SyntheticReports
{
    public const string HostileCaseId = "case <b>&\"07'";
    public const string HostileError = "label file missing: <script>alert('x')</script>";

    public static readonly int[] Shape = { 64, 56, 36 };
    public static readonly double[] Spacing = { 1.5, 1.5, 2.5 };

    public static ReportProvenance Provenance(string name = "clara_pt_phantom_ct_segmentation <v1>", string groundTruth = "datalist.json, key \"validation\", 8 items") => new(
        name, "1.0.2", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "0.1.0",
        new DateTimeOffset(2026, 12, 7, 4, 30, 0, TimeSpan.Zero), "cpu", "MONAI 1.3 (Clara Train 4.x)",
        groundTruth)
    {
        Extra = new[] { new KeyValuePair<string, string>("Validation config", "config/config_validation.json") },
    };

    public static Affine GridAffine => Affine.FromColumns(new[] { -Spacing[0], 0, 0 }, new[] { 0, -Spacing[1], 0 }, new[] { 0, 0, Spacing[2] }, new[] { 25.0, 20, -40 });

    /// <summary>Eight segmentation cases (one failed, one with a hostile id), two classes, worst by design: "case-03".</summary>
    public static ValidationReport Segmentation()
    {
        var labels = new[] { new ReportLabel(1, "liver"), new ReportLabel(2, "spleen") };
        var image = Phantom();
        var truth = Labels(0, 0, 0, 1.0, 1.0, true);
        var cases = new List<ReportCase>
        {
            Case("case-01", image, truth, Labels(0, 0, 0, 1.0, 0.95, true), labels),
            Case("case-02", image, truth, Labels(1, 0, 0, 1.05, 1.0, true), labels),
            Case("case-03", image, truth, Labels(4, 3, 2, 0.7, 0.6, false), labels),
            Case("case-04", image, truth, Labels(0, 1, 1, 0.95, 1.1, true), labels),
            Case("case-05", image, truth, Labels(2, -2, 0, 0.9, 0.85, true), labels),
            Case(HostileCaseId, image, truth, Labels(-1, 1, 0, 1.0, 0.9, true), labels),
            Case("case-08", image, truth, Labels(3, 0, -1, 0.85, 0.8, true), labels),
            new ReportCase("case-06", Array.Empty<ReportCaseValue>()) { Error = HostileError },
        };
        var classes = labels.Select(l => new ReportClassRow(l.Name, SummaryOf(cases, l.Name))).ToList();
        return new ValidationReport(Provenance(), ReportTask.Segmentation, classes, cases)
        {
            Notes = new[] { "Confidence intervals: percentile bootstrap, 2000 resamples, seed 12345.", "HD95 and MSD are NaN where the prediction is empty (MONAI's convention)." },
        };
    }

    /// <summary>Forty classification cases, two classes, seeded scores.</summary>
    public static ValidationReport Classification()
    {
        var random = new Random(7);
        var cases = new List<ReportCase>();
        for (var n = 0; n < 40; n++)
        {
            var pneumonia = random.NextDouble() < 0.4;
            var effusion = random.NextDouble() < 0.3;
            var scores = new[]
            {
                new ReportClassScore("pneumonia", Clamp((pneumonia ? 0.7 : 0.3) + (Gaussian(random) * 0.2)), pneumonia),
                new ReportClassScore("effusion", Clamp((effusion ? 0.65 : 0.35) + (Gaussian(random) * 0.25)), effusion),
            };
            cases.Add(new ReportCase($"cxr-{n + 1:D3}", Array.Empty<ReportCaseValue>()) { Scores = scores });
        }

        cases.Add(new ReportCase("cxr-broken", Array.Empty<ReportCaseValue>()) { Error = "image unreadable: PNG chunk length overflow" });
        var measured = cases.Where(c => c.Error is null).ToList();
        var classes = new[] { "pneumonia", "effusion" }.Select(name =>
        {
            var own = measured.Select(c => c.Scores.Single(s => s.ClassName == name)).ToList();
            return new ReportClassRow(name, new[]
            {
                new ReportMetricSummary(ReportMetricNames.Auc, CaseBootstrap(own, s => RocPlot.Area(RocPlot.Curve(s.Select(x => x.Score).ToList(), s.Select(x => x.Truth).ToList()) ?? new[] { (double.NaN, double.NaN) }))),
                new ReportMetricSummary(ReportMetricNames.Sensitivity, CaseBootstrap(own, s => Rate(s, x => x.Truth, x => x.Score >= 0.5))),
                new ReportMetricSummary(ReportMetricNames.Specificity, CaseBootstrap(own, s => Rate(s, x => !x.Truth, x => x.Score < 0.5))),
                new ReportMetricSummary(ReportMetricNames.Ppv, CaseBootstrap(own, s => Rate(s, x => x.Score >= 0.5, x => x.Truth))),
            });
        }).ToList();
        return new ValidationReport(Provenance("clara_pt_chest_xray_classification", "labels.csv beside 41 chest radiographs"), ReportTask.Classification, classes, cases)
        {
            Notes = new[] { "Sensitivity, specificity and PPV at threshold 0.5. Confidence intervals: percentile bootstrap over cases, 2000 resamples, seed 12345." },
        };
    }

    /// <summary>Of the scores where <paramref name="among"/> holds, the fraction where <paramref name="hit"/> holds too.</summary>
    private static double Rate(IReadOnlyList<ReportClassScore> scores, Func<ReportClassScore, bool> among, Func<ReportClassScore, bool> hit)
    {
        var pool = scores.Where(among).ToList();
        return pool.Count == 0 ? double.NaN : (double)pool.Count(hit) / pool.Count;
    }

    /// <summary>A statistic over cases with a seeded percentile-bootstrap 95 % interval over resampled cases.</summary>
    private static ReportInterval CaseBootstrap(IReadOnlyList<ReportClassScore> scores, Func<IReadOnlyList<ReportClassScore>, double> statistic)
    {
        var random = new Random(12345);
        var values = Enumerable.Range(0, 2000).Select(_ => statistic(Enumerable.Range(0, scores.Count).Select(_ => scores[random.Next(scores.Count)]).ToList()))
            .Where(double.IsFinite).OrderBy(v => v).ToList();
        return new ReportInterval(statistic(scores), values[(int)(0.025 * values.Count)], values[(int)(0.975 * values.Count) - 1], scores.Count);
    }

    private static double Clamp(double v) => Math.Clamp(v, 0.001, 0.999);

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static ReportCase Case(string id, Volume image, Volume truth, Volume prediction, IReadOnlyList<ReportLabel> labels)
    {
        var values = new List<ReportCaseValue>();
        var t = truth.GetVoxels<byte>();
        var p = prediction.GetVoxels<byte>();
        var voxelMl = Spacing[0] * Spacing[1] * Spacing[2] / 1000;
        foreach (var label in labels)
        {
            long tp = 0, fp = 0, fn = 0;
            for (var i = 0; i < t.Length; i++)
            {
                bool a = p[i] == label.Value, b = t[i] == label.Value;
                tp += a && b ? 1 : 0;
                fp += a && !b ? 1 : 0;
                fn += !a && b ? 1 : 0;
            }

            values.Add(new ReportCaseValue(label.Name, ReportMetricNames.Dice, 2.0 * tp / ((2 * tp) + fp + fn)));
            values.Add(new ReportCaseValue(label.Name, ReportMetricNames.IoU, (double)tp / (tp + fp + fn)));
            var (hd95, msd) = SurfaceDistances(t, p, label.Value);
            var note = double.IsNaN(hd95) ? "empty prediction" : null;
            values.Add(new ReportCaseValue(label.Name, ReportMetricNames.Hausdorff95Mm, hd95, note));
            values.Add(new ReportCaseValue(label.Name, ReportMetricNames.MeanSurfaceDistanceMm, msd, note));
            values.Add(new ReportCaseValue(label.Name, ReportMetricNames.VolumeDifferenceMl, (tp + fp - (tp + fn)) * voxelMl));
        }

        return new ReportCase(id, values) { Images = new ReportCaseImages(image, truth, prediction, labels) { Modality = "CT" } };
    }

    private static IReadOnlyList<ReportMetricSummary> SummaryOf(IReadOnlyList<ReportCase> cases, string name) =>
        new[] { ReportMetricNames.Dice, ReportMetricNames.IoU, ReportMetricNames.Hausdorff95Mm, ReportMetricNames.MeanSurfaceDistanceMm, ReportMetricNames.VolumeDifferenceMl }
            .Select(metric => new ReportMetricSummary(metric, Bootstrap(cases.SelectMany(c => c.Values).Where(v => v.ClassName == name && v.Metric == metric).Select(v => v.Value).Where(double.IsFinite).ToList())))
            .ToList();

    /// <summary>Mean with a seeded percentile-bootstrap 95 % interval (the sample's own; the product's comes from Metrics).</summary>
    private static ReportInterval Bootstrap(IReadOnlyList<double> values)
    {
        var random = new Random(12345);
        var means = Enumerable.Range(0, 2000).Select(_ => Enumerable.Range(0, values.Count).Average(_ => values[random.Next(values.Count)])).OrderBy(m => m).ToList();
        return new ReportInterval(values.Average(), means[49], means[1949], values.Count);
    }

    private static Volume Phantom()
    {
        var data = new short[Shape[0] * Shape[1] * Shape[2]];
        var random = new Random(3);
        var index = 0;
        for (var k = 0; k < Shape[2]; k++)
        {
            for (var j = 0; j < Shape[1]; j++)
            {
                for (var i = 0; i < Shape[0]; i++, index++)
                {
                    double value = -1000;
                    if (Inside(i, j, k, 32, 28, 18, 29, 23, 1e6))
                    {
                        value = 20 + (Gaussian(random) * 12);
                        if (Inside(i, j, k, 32, 44, 18, 5, 5, 1e6))
                        {
                            value = 450 + (Gaussian(random) * 30);
                        }
                        else if (Inside(i, j, k, 18, 26, 18, 11, 12, 11))
                        {
                            value = 62 + (Gaussian(random) * 10);
                        }
                        else if (Inside(i, j, k, 47, 33, 18, 7, 8, 7))
                        {
                            value = 48 + (Gaussian(random) * 10);
                        }
                    }

                    data[index] = (short)Math.Round(value);
                }
            }
        }

        return new Volume(data, Shape.Select(s => (long)s).ToArray(), GridAffine, "synthetic phantom") { Modality = "CT" };
    }

    /// <summary>Liver (1) on the patient's right (small i) and spleen (2) on the left (large i), shifted and scaled.</summary>
    private static Volume Labels(int di, int dj, int dk, double liverScale, double spleenScale, bool withSpleen)
    {
        var data = new byte[Shape[0] * Shape[1] * Shape[2]];
        var index = 0;
        for (var k = 0; k < Shape[2]; k++)
        {
            for (var j = 0; j < Shape[1]; j++)
            {
                for (var i = 0; i < Shape[0]; i++, index++)
                {
                    if (Inside(i - di, j - dj, k - dk, 18, 26, 18, 11 * liverScale, 12 * liverScale, 11 * liverScale))
                    {
                        data[index] = 1;
                    }
                    else if (withSpleen && Inside(i + di, j - dj, k - dk, 47, 33, 18, 7 * spleenScale, 8 * spleenScale, 7 * spleenScale))
                    {
                        data[index] = 2;
                    }
                }
            }
        }

        return new Volume(data, Shape.Select(s => (long)s).ToArray(), GridAffine, "synthetic labels");
    }

    private static bool Inside(double i, double j, double k, double ci, double cj, double ck, double ri, double rj, double rkMm)
    {
        // Radii in voxels in-plane; the k radius is given in in-plane voxels too (converted with the spacing ratio).
        var rk = rkMm * Spacing[0] / Spacing[2];
        var x = (i - ci) / ri;
        var y = (j - cj) / rj;
        var z = (k - ck) / rk;
        return (x * x) + (y * y) + (z * z) <= 1;
    }

    /// <summary>HD95 (the larger of the two directed 95th percentiles) and the mean symmetric surface distance, in mm; NaN when either is empty.</summary>
    private static (double Hd95, double Msd) SurfaceDistances(byte[] truth, byte[] prediction, int label)
    {
        var a = Surface(truth, label);
        var b = Surface(prediction, label);
        if (a.Count == 0 || b.Count == 0)
        {
            return (double.NaN, double.NaN);
        }

        var ab = a.Select(p => b.Min(q => Distance(p, q))).OrderBy(d => d).ToList();
        var ba = b.Select(p => a.Min(q => Distance(p, q))).OrderBy(d => d).ToList();
        var hd95 = Math.Max(ab[(int)Math.Ceiling(0.95 * (ab.Count - 1))], ba[(int)Math.Ceiling(0.95 * (ba.Count - 1))]);
        return (hd95, ab.Concat(ba).Average());
    }

    private static double Distance((int I, int J, int K) p, (int I, int J, int K) q)
    {
        var x = (p.I - q.I) * Spacing[0];
        var y = (p.J - q.J) * Spacing[1];
        var z = (p.K - q.K) * Spacing[2];
        return Math.Sqrt((x * x) + (y * y) + (z * z));
    }

    private static List<(int I, int J, int K)> Surface(byte[] labels, int label)
    {
        bool At(int i, int j, int k) => i >= 0 && j >= 0 && k >= 0 && i < Shape[0] && j < Shape[1] && k < Shape[2] && labels[i + (Shape[0] * (j + (Shape[1] * k)))] == label;
        var surface = new List<(int, int, int)>();
        for (var k = 0; k < Shape[2]; k++)
        {
            for (var j = 0; j < Shape[1]; j++)
            {
                for (var i = 0; i < Shape[0]; i++)
                {
                    if (At(i, j, k) && !(At(i - 1, j, k) && At(i + 1, j, k) && At(i, j - 1, k) && At(i, j + 1, k) && At(i, j, k - 1) && At(i, j, k + 1)))
                    {
                        surface.Add((i, j, k));
                    }
                }
            }
        }

        return surface;
    }
}
