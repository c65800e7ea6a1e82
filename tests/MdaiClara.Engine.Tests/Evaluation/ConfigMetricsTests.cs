using System.Linq;
using MdaiClara.Engine.Evaluation;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Models;
using MdaiClara.Engine.Tests.Inference;
using Xunit;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Tests.Evaluation;

/// <summary>The config's metrics as MONAI's MeanDice handler and ignite's Accuracy compute them on one-hot tensors.</summary>
[Collection(TorchCollection.Name)]
public class ConfigMetricsTests
{
    public ConfigMetricsTests() => TorchRuntime.EnsureLoaded();

    private static MetricSetting Metric(string name, bool? includeBackground = null)
    {
        var args = includeBackground is { } b ? new ConfigObject(new[] { new System.Collections.Generic.KeyValuePair<string, object?>("include_background", b) }) : ConfigObject.Empty;
        return new MetricSetting(name, name == "MeanDice" ? "val_mean_dice" : "val_acc", args, new ComponentSpec(name, name, false, args, false, "config/config_validation.json", "/key_metric", null));
    }

    /// <summary>A 3-class label map [1, 4, 1, 1] as one-hot [3, 4, 1, 1].</summary>
    private static Tensor OneHot(params long[] labels) =>
        nn.functional.one_hot(tensor(labels), 3).permute(1, 0).reshape(3, labels.Length, 1, 1).to_type(ScalarType.Float32);

    [Fact]
    public void MeanDiceIsPerClassLeavesOutTheBackgroundWhenAskedAndIsNaNWhereTheLabelIsEmpty()
    {
        using var pred = OneHot(0, 1, 1, 1);
        using var label = OneHot(0, 1, 1, 0);

        var without = ConfigMetrics.Compute(Metric("MeanDice", includeBackground: false), pred, label).Values;
        var with = ConfigMetrics.Compute(Metric("MeanDice"), pred, label).Values;

        Assert.Equal(2, without.Length);
        Assert.Equal(2.0 * 2 / (3 + 2), without[0], 12);
        Assert.True(double.IsNaN(without[1]));
        Assert.Equal(3, with.Length);
        Assert.Equal(2.0 * 1 / (2 + 1), with[0], 12);
        Assert.Equal(2.0 * 2 / (3 + 2), with[1], 12);
    }

    [Fact]
    public void OverCasesMeanDiceIsMonaisMeanReduction()
    {
        var metric = Metric("MeanDice", includeBackground: false);
        var cases = new[]
        {
            (new[] { 0.8, double.NaN }, 0.0, 0.0),
            (new[] { 0.6, 0.2 }, 0.0, 0.0),
            (new[] { double.NaN, double.NaN }, 0.0, 0.0),
        };

        // Each case's mean over its non-NaN classes (0.8, 0.4), then the mean over cases that have one.
        Assert.Equal(0.6, ConfigMetrics.Aggregate(metric, cases), 12);
    }

    [Fact]
    public void AccuracyIsTheShareOfAgreeingElementsOverAllCases()
    {
        using var pred = OneHot(0, 1, 1, 1);
        using var label = OneHot(0, 1, 1, 0);

        var value = ConfigMetrics.Compute(Metric("Accuracy"), pred, label);

        Assert.Equal(10.0 / 12, value.Values.Single(), 12);
        Assert.Equal(5.0 / 6, ConfigMetrics.Aggregate(Metric("Accuracy"), new[] { value, (new[] { 1.0 }, 10.0, 12.0) }), 12);
    }

    [Fact]
    public void ShapesThatDifferAreAClearError()
    {
        using var pred = OneHot(0, 1, 1, 1);
        using var label = zeros(1, 4, 1, 1);

        var ex = Assert.Throws<Errors.MdaiClaraException>(() => ConfigMetrics.Compute(Metric("MeanDice"), pred, label));

        Assert.Contains("AsDiscreted to_onehot", ex.Message);
    }
}
