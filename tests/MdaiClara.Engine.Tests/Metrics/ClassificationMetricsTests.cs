using System;
using System.IO;
using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Metrics;
using Xunit;

namespace MdaiClara.Engine.Tests.Metrics;

public class ClassificationMetricsTests
{
    [Fact]
    public void AucMatchesMonaiRocAucWithTiesAndNaNForAClassWithOneOutcome()
    {
        var json = MetricCases.Json(Path.Combine(MetricCases.Folder, "classification.json"));
        var scores = json.GetProperty("scores").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToList();
        var truth = json.GetProperty("truth").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToList();
        var names = new[] { "a", "b", "c", "never" };

        // MONAI compares float32 scores; the fixture's scores are tenths, whose float32 order and ties are those of the doubles.
        var metrics = ClassificationMetrics.Compute(scores, truth, names, 0.5);

        foreach (var key in new[] { "auc_monai132", "auc_monai081" })
        {
            var want = MetricCases.Numbers(json.GetProperty(key));
            for (var c = 0; c < names.Length; c++)
            {
                Assert.True(MetricCases.Close(want[c], metrics[c].Auc, 1e-6), $"{key} class {c}: ours {metrics[c].Auc}, MONAI {want[c]}");
            }
        }

        Assert.True(scores.Count(s => s[0] == 0.5) > 1, "the fixture has tied scores");
        Assert.Equal(MetricNanReasons.OneOutcomeOnly, metrics[3].NanReason);
        Assert.Null(metrics[0].NanReason);
    }

    [Fact]
    public void ConfusionCountsAndRatesAtTheThreshold()
    {
        var scores = new[] { new[] { 0.9 }, new[] { 0.5 }, new[] { 0.49 }, new[] { 0.1 }, new[] { 0.7 } };
        var truth = new[] { new[] { 1 }, new[] { 0 }, new[] { 1 }, new[] { 0 }, new[] { 1 } };

        var m = ClassificationMetrics.Compute(scores, truth, new[] { "x" }, 0.5).Single();

        // A score equal to the threshold is positive.
        Assert.Equal((2L, 1L, 1L, 1L), (m.TruePositives, m.FalsePositives, m.TrueNegatives, m.FalseNegatives));
        Assert.Equal(2.0 / 3, m.Sensitivity, 12);
        Assert.Equal(0.5, m.Specificity, 12);
        Assert.Equal(2.0 / 3, m.Ppv, 12);
        Assert.Equal(5.0 / 6, m.Auc, 12);
    }

    [Fact]
    public void RatesWithoutDenominatorAreNaNWithTheReason()
    {
        var m = ClassificationMetrics.Compute(new[] { new[] { 0.2 }, new[] { 0.8 } }, new[] { new[] { 0 }, new[] { 1 } }, new[] { "x" }, 0.9).Single();

        Assert.True(double.IsNaN(m.Ppv));
        Assert.Equal(1.0, m.Auc);
        Assert.Equal(MetricNanReasons.ZeroDenominator, m.NanReason);
    }

    [Fact]
    public void RocCurveRunsFromOriginToOneWithTiesAsOneStep()
    {
        var curve = ClassificationMetrics.RocCurve(new[] { 0.9, 0.8, 0.8, 0.3 }, new[] { 1, 1, 0, 0 });

        Assert.Equal(new[] { (0.0, 0.0), (0.0, 0.5), (0.5, 1.0), (1.0, 1.0) }, curve.ToArray());
    }

    [Fact]
    public void BadInputsAreSpecificErrors()
    {
        var notBinary = Assert.Throws<MdaiClaraException>(() => ClassificationMetrics.Compute(new[] { new[] { 0.2 } }, new[] { new[] { 2 } }, new[] { "x" }, 0.5));
        Assert.Equal(ErrorIds.MetricInputInvalid, notBinary.ErrorId);
        Assert.Contains("0 or 1", notBinary.Message);

        var ragged = Assert.Throws<MdaiClaraException>(() => ClassificationMetrics.Compute(new[] { new[] { 0.2, 0.1 } }, new[] { new[] { 1 } }, new[] { "x" }, 0.5));
        Assert.Equal(ErrorIds.MetricInputInvalid, ragged.ErrorId);
        Assert.Contains("Case 0", ragged.Message);

        var nanThreshold = Assert.Throws<MdaiClaraException>(() => ClassificationMetrics.Compute(new[] { new[] { 0.2 } }, new[] { new[] { 1 } }, new[] { "x" }, double.NaN));
        Assert.Equal(ErrorIds.MetricArgumentInvalid, nanThreshold.ErrorId);
    }
}
