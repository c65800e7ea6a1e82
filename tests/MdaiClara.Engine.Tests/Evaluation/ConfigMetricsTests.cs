using System.IO;
using System.Linq;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Evaluation;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Models;
using MdaiClara.Engine.Tests.Inference;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Tests.Evaluation;

/// <summary>The config's metrics through the metrics floor's MONAI handlers, on one-hot tensors as the post-transforms leave them.</summary>
[Collection(TorchCollection.Name)]
public class ConfigMetricsTests
{
    public ConfigMetricsTests() => TorchRuntime.EnsureLoaded();

    private static EvaluationSettings Settings(params (string Name, string Label, bool? IncludeBackground)[] metrics)
    {
        MetricSetting Setting((string Name, string Label, bool? IncludeBackground) m)
        {
            var args = m.IncludeBackground is { } b ? new ConfigObject(new[] { new System.Collections.Generic.KeyValuePair<string, object?>("include_background", b) }) : ConfigObject.Empty;
            return new MetricSetting(m.Name, m.Label, args, new ComponentSpec(m.Name, m.Name, false, args, false, "config/config_validation.json", "/key_metric", null));
        }

        var saverArgs = new ConfigObject(new[]
        {
            new System.Collections.Generic.KeyValuePair<string, object?>("metrics", new object?[] { "val_mean_dice", "val_acc" }),
            new System.Collections.Generic.KeyValuePair<string, object?>("metric_details", new object?[] { "val_mean_dice" }),
            new System.Collections.Generic.KeyValuePair<string, object?>("summary_ops", "*"),
        });
        var saver = new MetricsSaverSetting(new[] { "val_mean_dice", "val_acc" }, new[] { "val_mean_dice" }, new[] { "*" }, ",", new ComponentSpec("MetricsSaver", "MetricsSaver", false, saverArgs, false, "config/config_validation.json", "/handlers/1", null));
        var pipeline = new InferenceConfig("config/config_validation.json", "test", System.Array.Empty<ComponentSpec>(), null, System.Array.Empty<ComponentSpec>(), System.Array.Empty<ComponentSpec>(), System.Array.Empty<ModelReference>(), null, null);
        return new EvaluationSettings(pipeline, null, null, "validation", "test", Setting(metrics[0]), metrics.Skip(1).Select(Setting).ToList(), saver);
    }

    /// <summary>A 3-class label map as one-hot [3, n, 1, 1].</summary>
    private static Tensor OneHot(params long[] labels) =>
        nn.functional.one_hot(tensor(labels), 3).permute(1, 0).reshape(3, labels.Length, 1, 1).to_type(ScalarType.Float32);

    [Fact]
    public void MeanDiceIsPerClassWithoutTheBackgroundWhenAskedNaNWhereTheLabelHasNoneAndMetricsSaverWritesItsFiles()
    {
        using var temp = new TempDirectory();
        var log = new CollectingLog();
        var metrics = new ConfigMetrics(Settings(("MeanDice", "val_mean_dice", false), ("Accuracy", "val_acc", null), ("ROCAUC", "val_auc", null)), MonaiSemantics.Monai08, log);
        using var pred = OneHot(0, 1, 1, 1);
        using var label = OneHot(0, 1, 1, 0);

        var values = metrics.Add("case1.nii.gz", pred, label, default);
        metrics.Add("case2.nii.gz", label, label, default);

        var dice = values["val_mean_dice"];
        Assert.Equal(2, dice.Length);
        Assert.Equal(2.0 * 2 / (3 + 2), dice[0], 6);
        Assert.True(double.IsNaN(dice[1]));
        Assert.False(values.ContainsKey("val_acc"));
        // MONAI's mean reduction: (0.8 + 1.0) / 2; ignite's Accuracy over every channel of every case: 22 of 24.
        Assert.Equal(0.9, metrics.Values["val_mean_dice"], 6);
        Assert.Equal(22.0 / 24, metrics.Values["val_acc"], 9);
        Assert.Contains(log.Messages, m => m.Message.Contains("ROCAUC") && m.Message.Contains("config/config_validation.json"));

        var written = metrics.WriteMetricsSaver(temp.Path, default);
        Assert.Equal(metrics.PlannedFiles(temp.Path), written);
        Assert.Equal(new[] { "metrics.csv", "val_mean_dice_raw.csv", "val_mean_dice_summary.csv" }, written.Select(Path.GetFileName));
        // MONAI reduces the float32 buffer and prints the float32 value widened to a Python float.
        Assert.StartsWith("val_mean_dice,0.8999999761581421\n", File.ReadAllText(written[0]));
        Assert.Contains("case1.nii.gz", File.ReadAllText(written[1]));
    }

    [Fact]
    public void ShapesThatDifferOrOneChannelAreClearErrors()
    {
        var metrics = new ConfigMetrics(Settings(("MeanDice", "val_mean_dice", null)), MonaiSemantics.Monai08, null);
        using var pred = OneHot(0, 1, 1, 1);

        using (var other = zeros(3, 2, 1, 1))
        {
            Assert.Contains("AsDiscreted to_onehot", Assert.Throws<Errors.MdaiClaraException>(() => metrics.Add("x", pred, other, default)).Message);
        }

        using var single = zeros(1, 4, 1, 1);
        Assert.Equal(Errors.ErrorIds.EvaluationMetricUnsupported, Assert.Throws<Errors.MdaiClaraException>(() => metrics.Add("x", single, single, default)).ErrorId);
    }
}
