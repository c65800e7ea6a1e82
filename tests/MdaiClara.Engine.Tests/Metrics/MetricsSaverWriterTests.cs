using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Metrics;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Metrics;

/// <summary>
/// The handler metrics and MetricsSaver files against what a real ignite 0.4.12 evaluator with MONAI 1.3.2 / 0.8.1
/// handlers wrote (tests/fixtures/metrics/saver, made by make_saver_reference.py): byte for byte.
/// </summary>
public class MetricsSaverWriterTests
{
    private static readonly string[] Cases = { "aniso_spacing", "empty_truth", "empty_prediction", "both_empty" };

    [Theory]
    [InlineData(MonaiSemantics.Monai1x, "monai132")]
    [InlineData(MonaiSemantics.Monai08, "monai081")]
    public void WritesWhatMonaiMetricsSaverWrites(MonaiSemantics semantics, string version)
    {
        var handlers = new[]
        {
            Handler("MeanDice", "val_mean_dice", """{"include_background": true, "output_transform": "#monai.handlers.from_engine(['pred', 'label'])"}""", semantics),
            Handler("Accuracy", "val_acc", """{"output_transform": "#monai.handlers.from_engine(['pred', 'label'])"}""", semantics),
            Handler("monai.handlers.HausdorffDistance", "val_hd95", """{"percentile": 95}""", semantics),
            Handler("HausdorffDistance", "val_hd", "{}", semantics),
            Handler("SurfaceDistance", "val_asd", """{"symmetric": true}""", semantics),
        };
        foreach (var name in Cases)
        {
            var folder = Path.Combine(MetricCases.Folder, name);
            var spacing = new[] { 1.0, 1.0, 1.0 };
            var truth = MetricCases.LabelVolume(Path.Combine(folder, "label.npy.gz"), spacing);
            var prediction = MetricCases.LabelVolume(Path.Combine(folder, "pred.npy.gz"), spacing);
            foreach (var h in handlers)
            {
                h.Add(prediction, truth, CancellationToken.None);
            }
        }

        var images = Cases.Select(c => $"/data/{c}.nii.gz").ToArray();
        using var temp = new TempDirectory();
        var all = MetricsSaverSettings.FromConfig(Args("""{"save_dir": "x", "metrics": "*", "metric_details": "*", "summary_ops": "*", "save_rank": 0}"""));
        var tab = MetricsSaverSettings.FromConfig(Args("""{"metrics": ["val_mean_dice", "val_acc"], "metric_details": ["val_hd95"], "summary_ops": ["mean", "25percentile", "notnans"], "delimiter": "\t"}"""));
        foreach (var (settings, saver) in new[] { (all, "saver_all"), (tab, "saver_tab") })
        {
            var output = Path.Combine(temp.Path, saver);
            var written = MetricsSaverWriter.Write(output, settings, images, handlers, CancellationToken.None);
            var reference = Path.Combine(TestPaths.Fixtures, "metrics", "saver", version, saver);
            var expectedFiles = Directory.GetFiles(reference).Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal).ToArray();
            Assert.Equal(expectedFiles, written.Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal).ToArray());
            foreach (var file in expectedFiles)
            {
                var want = File.ReadAllText(Path.Combine(reference, file!));
                var got = File.ReadAllText(Path.Combine(output, file!));
                if (file!.StartsWith("val_asd_raw", StringComparison.Ordinal))
                {
                    // The mean surface distance is a mean over hundreds of distances: torch sums them with its
                    // vectorised cascade (lane count set by the CPU), NumPy pairwise; we sum in order. Same text
                    // layout, values within float rounding.
                    AssertSameWithin(want, got, 4e-7, $"{version}/{saver}/{file}");
                    continue;
                }

                Assert.True(want == got, $"{version}/{saver}/{file} differs.\nMONAI:\n{want}\nours:\n{got}");
            }
        }
    }

    [Fact]
    public void UnsupportedHandlersAndArgumentsAreNamed()
    {
        var unknown = Assert.Throws<MdaiClaraException>(() => MonaiHandlerMetric.FromConfig("ConfusionMatrix", "val_cm", null));
        Assert.Equal(ErrorIds.MetricNotSupported, unknown.ErrorId);
        Assert.Contains("ConfusionMatrix", unknown.Message);

        var argument = Assert.Throws<MdaiClaraException>(() => MonaiHandlerMetric.FromConfig("HausdorffDistance", "val_hd", Args("""{"distance_metric": "chessboard"}""")));
        Assert.Equal(ErrorIds.MetricNotSupported, argument.ErrorId);
        Assert.Contains("distance_metric", argument.Message);

        var op = Assert.Throws<MdaiClaraException>(() => MetricsSaverSettings.FromConfig(Args("""{"summary_ops": ["mean", "mode"]}""")));
        Assert.Equal(ErrorIds.MetricArgumentInvalid, op.ErrorId);
        Assert.Contains("mode", op.Message);

        var iou = Assert.Throws<MdaiClaraException>(() => new MonaiHandlerAccumulator(MonaiHandlerMetric.FromConfig("MeanIoUHandler", "val_iou", null), new[] { 0, 1 }, MonaiSemantics.Monai08));
        Assert.Equal(ErrorIds.MetricNotSupported, iou.ErrorId);
    }

    [Fact]
    public void HandlerDefaultsAreMonais()
    {
        Assert.True(MonaiHandlerMetric.FromConfig("MeanDice", "d", null).IncludeBackground);
        Assert.False(MonaiHandlerMetric.FromConfig("HausdorffDistance", "h", null).IncludeBackground);
        Assert.Null(MonaiHandlerMetric.FromConfig("HausdorffDistance", "h", null).Percentile);
        Assert.False(MonaiHandlerMetric.FromConfig("SurfaceDistance", "s", null).Symmetric);
        var defaults = MetricsSaverSettings.FromConfig(null);
        Assert.Equal(new[] { "*" }, defaults.Metrics);
        Assert.Null(defaults.MetricDetails);
        Assert.Null(defaults.SummaryOps);
        Assert.Equal(",", defaults.Delimiter);
    }

    private static void AssertSameWithin(string want, string got, double relative, string what)
    {
        var wantCells = want.Split('\n').Select(line => line.Split(',')).ToArray();
        var gotCells = got.Split('\n').Select(line => line.Split(',')).ToArray();
        Assert.Equal(wantCells.Select(r => r.Length), gotCells.Select(r => r.Length));
        for (var r = 0; r < wantCells.Length; r++)
        {
            for (var c = 0; c < wantCells[r].Length; c++)
            {
                string a = wantCells[r][c], b = gotCells[r][c];
                if (a == b)
                {
                    continue;
                }

                var x = double.Parse(a, System.Globalization.CultureInfo.InvariantCulture);
                var y = double.Parse(b, System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(Math.Abs(x - y) <= relative * Math.Abs(x), $"{what} row {r} column {c}: MONAI {a}, ours {b}");
            }
        }
    }

    private static MonaiHandlerAccumulator Handler(string name, string label, string args, MonaiSemantics semantics) =>
        new(MonaiHandlerMetric.FromConfig(name, label, Args(args)), new[] { 0, 1, 2 }, semantics);

    private static JsonElement Args(string json) => JsonDocument.Parse(json).RootElement;
}
