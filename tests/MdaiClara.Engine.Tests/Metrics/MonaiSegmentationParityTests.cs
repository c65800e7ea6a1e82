using System.IO;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Metrics;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace MdaiClara.Engine.Tests.Metrics;

/// <summary>SegmentationMetrics.Compute against MONAI 1.3.2 and 0.8.1 on the committed cases (make_metric_cases.py) and the golden pairs.</summary>
public class MonaiSegmentationParityTests
{
    private const double RatioTolerance = 1e-6;
    private const double DistanceTolerance = 1e-4;
    private readonly ITestOutputHelper _output;

    public MonaiSegmentationParityTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var name in MetricCases.Names())
        {
            data.Add((string)name[0]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesMonai132InMillimetres(string name) => Check(name, "monai132_mm", MonaiSemantics.Monai1x, voxelUnits: false);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesMonai132InVoxels(string name) => Check(name, "monai132_voxel", MonaiSemantics.Monai1x, voxelUnits: true);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesMonai081InVoxels(string name) => Check(name, "monai081_voxel", MonaiSemantics.Monai08, voxelUnits: true);

    [Theory]
    [InlineData("pair0")]
    [InlineData("pair1_spacing")]
    [InlineData("pair2_pred_missing_lesion")]
    [InlineData("pair3_spacing_fp_island")]
    public void MatchesTheGoldenMetricPairs(string name)
    {
        var folder = TestPaths.Golden($"unit/metrics/{name}");
        var result = MetricCases.Json(Path.Combine(folder, "result.json"));
        var spacing = result.GetProperty("spacing").ValueKind == System.Text.Json.JsonValueKind.Null
            ? new[] { 1.0, 1.0, 1.0 }
            : MetricCases.Numbers(result.GetProperty("spacing"));
        var truth = MetricCases.LabelVolume(Path.Combine(folder, "label.npy"), spacing);
        var prediction = MetricCases.LabelVolume(Path.Combine(folder, "pred.npy"), spacing);
        var metrics = SegmentationMetrics.Compute(prediction, truth, MetricCases.Classes, new SegmentationMetricOptions(), CancellationToken.None);

        var dice = MetricCases.Numbers(result.GetProperty("dice"));
        var hd95 = MetricCases.Numbers(result.GetProperty("hausdorff95"));
        var hd = MetricCases.Numbers(result.GetProperty("hausdorff_max"));
        for (var c = 0; c < 2; c++)
        {
            _output.WriteLine($"{name} class {c + 1}: Dice {metrics[c].Dice} (MONAI {dice[c]}), HD95 {metrics[c].Hausdorff95Mm} ({hd95[c]}), HD {metrics[c].HausdorffMm} ({hd[c]})");
            Assert.True(MetricCases.Close(dice[c], metrics[c].Dice, RatioTolerance), $"Dice {c + 1}");
            Assert.True(MetricCases.Close(hd95[c], metrics[c].Hausdorff95Mm, DistanceTolerance) || (double.IsNaN(hd95[c]) && double.IsInfinity(metrics[c].Hausdorff95Mm)), $"HD95 {c + 1}");
            Assert.True(MetricCases.Close(hd[c], metrics[c].HausdorffMm, DistanceTolerance) || (double.IsNaN(hd[c]) && double.IsInfinity(metrics[c].HausdorffMm)), $"HD {c + 1}");
        }
    }

    private void Check(string name, string key, MonaiSemantics semantics, bool voxelUnits)
    {
        var folder = Path.Combine(MetricCases.Folder, name);
        var expected = MetricCases.Json(Path.Combine(folder, "expected.json"));
        var spacing = MetricCases.Numbers(expected.GetProperty("spacing"));
        var tolerance = expected.GetProperty("tolerance").GetDouble();
        var truth = MetricCases.LabelVolume(Path.Combine(folder, "label.npy.gz"), spacing);
        var prediction = MetricCases.LabelVolume(Path.Combine(folder, "pred.npy.gz"), spacing);
        var options = new SegmentationMetricOptions(tolerance) { Semantics = semantics, VoxelUnits = voxelUnits };
        var metrics = SegmentationMetrics.Compute(prediction, truth, MetricCases.Classes, options, CancellationToken.None);
        var monai = expected.GetProperty(key);

        foreach (var property in monai.EnumerateObject())
        {
            var want = MetricCases.Numbers(property.Value);
            for (var c = 0; c < want.Length; c++)
            {
                var m = metrics[c];
                var (got, limit) = property.Name switch
                {
                    "dice" => (m.Dice, RatioTolerance),
                    "iou" => (m.IoU, RatioTolerance),
                    "hausdorff" => (m.HausdorffMm, DistanceTolerance),
                    "hausdorff95" => (m.Hausdorff95Mm, DistanceTolerance),
                    "mean_surface_distance" => (m.MeanSurfaceDistanceMm, DistanceTolerance),
                    "surface_dice" => (m.NormalizedSurfaceDice, RatioTolerance),
                    var other => throw new Xunit.Sdk.XunitException($"unknown metric {other} in {name}"),
                };
                _output.WriteLine($"{name} {key} {property.Name} class {c + 1}: ours {got:R}, MONAI {want[c]:R} ({m.NanReason})");
                Assert.True(MetricCases.Close(want[c], got, limit), $"{name} {key} {property.Name} class {c + 1}: ours {got:R}, MONAI {want[c]:R}");
            }
        }

        Assert.Equal(monai.EnumerateObject().Count(), key == "monai081_voxel" ? 4 : 6);
    }
}
