using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Transforms;
using MdaiClara.Engine.Tests.TestSupport;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace MdaiClara.Engine.Tests.Inference.Post;

[Collection(TorchCollection.Name)]
public class SegmentationMetricsTests
{
    private const string Group = "metrics";
    private const double DiceTolerance = 1e-6;
    private const double HausdorffTolerance = 1e-4;
    private readonly ITestOutputHelper _output;

    public SegmentationMetricsTests(ITestOutputHelper output)
    {
        _output = output;
        TorchRuntime.EnsureLoaded();
    }

    public static IEnumerable<object[]> Monai132Cases => GoldenUnitCases.Names(GoldenUnitCases.Monai132Index, Group);

    public static IEnumerable<object[]> Monai081Cases => GoldenUnitCases.Names(GoldenUnitCases.Monai081Index, Group);

    [Theory]
    [MemberData(nameof(Monai132Cases))]
    public void MatchesMonai132(string name)
    {
        var folder = $"unit/{Group}/{name}";
        AssertMatches(GoldenUnitCases.ReadJson(folder + "/result.json"), folder + "/pred.npy", folder + "/label.npy", MonaiSemantics.Monai1x, name);
    }

    [Theory]
    [MemberData(nameof(Monai081Cases))]
    public void MatchesMonai081(string name)
    {
        var entry = GoldenUnitCases.ReadJson(GoldenUnitCases.Monai081Index).EnumerateArray()
            .Single(e => e.GetProperty("group").GetString() == Group && e.GetProperty("case").GetString() == name);
        if (entry.GetProperty("status").GetString() == "not_expressible_in_0.8.1")
        {
            // MONAI 0.8.1 has no spacing argument: the engine refuses it under 0.8.1 semantics.
            var spacing = GoldenUnitCases.ReadJson($"unit/{Group}/{name}/result.json").Numbers("spacing");
            Assert.NotNull(spacing);
            using var scope = torch.NewDisposeScope();
            var labels = torch.zeros(4, 4, 4);
            var ex = Assert.Throws<MdaiClaraException>(() => SegmentationMetrics.Hausdorff95(labels, labels, 3, spacing, MonaiSemantics.Monai08));
            Assert.Equal(ErrorIds.TransformArgumentInvalid, ex.ErrorId);
            Assert.Contains("spacing", ex.Message);
            _output.WriteLine($"Monai08 {Group}/{name}: not expressible in 0.8.1, refused");
            return;
        }

        var result = GoldenUnitCases.ReadJson(entry.GetProperty("path").GetString()! + "/result.json");
        AssertMatches(result, result.GetProperty("pred_file").GetString()!, result.GetProperty("label_file").GetString()!, MonaiSemantics.Monai08, name);
    }

    [Theory]
    [InlineData(MonaiSemantics.Monai08)]
    [InlineData(MonaiSemantics.Monai1x)]
    public void AnEmptyReferenceClassIsNaNAndAnEmptyPredictionIsZeroDice(MonaiSemantics semantics)
    {
        using var scope = torch.NewDisposeScope();
        var reference = torch.zeros(new long[] { 1, 6, 6, 6 }, dtype: torch.ScalarType.Byte);
        reference[0, 1, 1, 1] = 1;
        var prediction = torch.zeros_like(reference);
        prediction[0, 4, 4, 4] = 2;

        var dice = SegmentationMetrics.Dice(prediction, reference, 3);
        var hausdorff = SegmentationMetrics.Hausdorff95(prediction, reference, 3, null, semantics);

        Assert.Equal(0.0, dice[0]);
        Assert.True(double.IsNaN(dice[1]));
        Assert.All(hausdorff, d => Assert.True(double.IsNaN(d)));
    }

    [Theory]
    [InlineData(MonaiSemantics.Monai08)]
    [InlineData(MonaiSemantics.Monai1x)]
    public void TwoShiftedCubesAreTheShiftApart(MonaiSemantics semantics)
    {
        using var scope = torch.NewDisposeScope();
        var reference = torch.zeros(new long[] { 12, 12, 12 }, dtype: torch.ScalarType.Int32);
        var prediction = torch.zeros_like(reference);
        reference[TensorIndexes(2, 7)] = 1;
        prediction[TensorIndexes(4, 9)] = 1;

        var hausdorff = SegmentationMetrics.Hausdorff95(prediction, reference, 2, null, semantics);
        var dice = SegmentationMetrics.Dice(prediction, reference, 2);

        // Every surface voxel of one cube is within 2·sqrt(3) of the other's surface; the 95th percentile lies below.
        Assert.InRange(hausdorff[0], 2.0, 2 * Math.Sqrt(3));
        Assert.Equal(2.0 * 27 / 250, dice[0], 6);
    }

    [Fact]
    public void Monai1xSpacingScalesTheDistances()
    {
        using var scope = torch.NewDisposeScope();
        var reference = torch.zeros(new long[] { 1, 9, 9 });
        var prediction = torch.zeros_like(reference);
        reference[0, 4, 2] = 1;
        prediction[0, 4, 6] = 1;

        Assert.Equal(4.0, SegmentationMetrics.Hausdorff95(prediction, reference, 2, null, MonaiSemantics.Monai1x)[0], 6);
        Assert.Equal(10.0, SegmentationMetrics.Hausdorff95(prediction, reference, 2, new[] { 3.0, 2.5 }, MonaiSemantics.Monai1x)[0], 6);
        Assert.Equal(2.0, SegmentationMetrics.Hausdorff95(prediction, reference, 2, new[] { 0.5 }, MonaiSemantics.Monai1x)[0], 6);
    }

    [Theory]
    [InlineData(MonaiSemantics.Monai08)]
    [InlineData(MonaiSemantics.Monai1x)]
    public void BooleanMasksAreTwoClassLabelMaps(MonaiSemantics semantics)
    {
        using var scope = torch.NewDisposeScope();
        var reference = torch.zeros(new long[] { 8, 8 }, dtype: torch.ScalarType.Bool);
        reference[TensorIndexes(1, 5)[..2]] = true;
        var prediction = torch.zeros_like(reference);
        prediction[TensorIndexes(2, 6)[..2]] = true;

        var dice = SegmentationMetrics.Dice(prediction, reference, 2);
        var hausdorff = SegmentationMetrics.Hausdorff95(prediction, reference, 2, null, semantics);

        Assert.Equal(2.0 * 9 / 32, dice[0], 6);
        Assert.InRange(hausdorff[0], 1.0, Math.Sqrt(2));
    }

    [Fact]
    public void LabelsOutsideTheClassesAreRefused()
    {
        using var scope = torch.NewDisposeScope();
        var labels = torch.tensor(new float[] { 0, 1, 3 }).reshape(1, 1, 3);

        var ex = Assert.Throws<MdaiClaraException>(() => SegmentationMetrics.Dice(labels, labels, 3));

        Assert.Equal(ErrorIds.TransformInputInvalid, ex.ErrorId);
        Assert.Contains("label 3", ex.Message);
    }

    [Fact]
    public void PercentilesFollowTorchAndNumpy()
    {
        // torch.quantile(float32) and np.percentile(float64) of the same sample, as torch 1.13 and NumPy 1.24 print them.
        var sample = new[] { 1.0, 1.4142135623730951, 2.0, 2.23606797749979, 3.0, 1.0, 1.7320508075688772 };

        Assert.Equal(2.770820140838623, PercentileRules.TorchQuantile(sample.Select(v => (float)v).ToArray(), 0.95));
        Assert.Equal(2.7708203932499362, PercentileRules.NumpyPercentile(sample.ToArray(), 95));
        Assert.True(double.IsNaN(PercentileRules.NumpyPercentile(new[] { double.PositiveInfinity }, 95)));
        Assert.True(float.IsNaN(PercentileRules.TorchQuantile(new[] { float.PositiveInfinity, float.PositiveInfinity }, 0.95)));
    }

    private static TorchSharp.torch.TensorIndex[] TensorIndexes(long start, long end) =>
        Enumerable.Repeat(torch.TensorIndex.Slice(start, end), 3).ToArray();

    private void AssertMatches(JsonElement result, string predictionFile, string referenceFile, MonaiSemantics semantics, string name)
    {
        using var scope = torch.NewDisposeScope();
        var prediction = Npy.ReadTensor(TestPaths.Golden(predictionFile), torch.ScalarType.Byte);
        var reference = Npy.ReadTensor(TestPaths.Golden(referenceFile), torch.ScalarType.Byte);
        var classes = result.GetProperty("classes").GetArrayLength() + 1;
        var spacing = result.Numbers("spacing");

        var dice = SegmentationMetrics.Dice(prediction, reference, classes);
        var hausdorff = SegmentationMetrics.Hausdorff95(prediction, reference, classes, spacing, semantics);

        var expectedDice = Values(result, "dice");
        var expectedHausdorff = Values(result, "hausdorff95");
        var diceDifference = Compare(dice, expectedDice, DiceTolerance);
        var hausdorffDifference = Compare(hausdorff, expectedHausdorff, HausdorffTolerance);
        _output.WriteLine($"{semantics} {Group}/{name}: dice [{string.Join(", ", dice.Select(d => d.ToString("G9")))}] max abs diff {diceDifference:G3} (tolerance {DiceTolerance:G1}); HD95 [{string.Join(", ", hausdorff.Select(d => d.ToString("G9")))}] max abs diff {hausdorffDifference:G3} (tolerance {HausdorffTolerance:G1})");
    }

    /// <summary>Values of a result.json list; null (NaN or ∞ in MONAI) becomes NaN.</summary>
    private static double[] Values(JsonElement result, string name) =>
        result.GetProperty(name).EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? double.NaN : v.GetDouble()).ToArray();

    /// <summary>Asserts agreement within <paramref name="tolerance"/> and the same non-finite cases; returns the largest finite difference.</summary>
    private static double Compare(double[] actual, double[] expected, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            if (double.IsNaN(expected[i]))
            {
                Assert.False(double.IsFinite(actual[i]), $"class {i + 1}: MONAI gives NaN/inf, the engine {actual[i]}");
                continue;
            }

            Assert.True(double.IsFinite(actual[i]), $"class {i + 1}: MONAI gives {expected[i]}, the engine {actual[i]}");
            worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]));
            Assert.InRange(Math.Abs(actual[i] - expected[i]), 0, tolerance);
        }

        return worst;
    }
}
