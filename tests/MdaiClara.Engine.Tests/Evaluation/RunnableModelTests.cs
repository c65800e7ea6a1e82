using System.IO;
using System.Linq;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Models;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Evaluation;

/// <summary>The runnable-model description made from an MMAR, with what validate.sh evaluates.</summary>
public class RunnableModelTests
{
    [Fact]
    public void TheSampleDescribesItsModelAndItsValidation()
    {
        var analysis = MmarAnalyzer.Open(TestPaths.SampleMmar);
        using var source = analysis.Source;
        var model = RunnableModels.FromMmar(analysis);

        Assert.Equal(ModelTask.Segmentation, model.Task);
        Assert.Equal(new[] { "background", "organ", "lesion" }, model.ClassNames);
        Assert.Equal(1, model.InputChannels);
        Assert.Equal(3, model.OutputChannels);
        Assert.Equal("0.8.1", model.MonaiVersion);
        Assert.Equal("4.1.0", model.FormatVersion);
        var file = Assert.IsType<ModelFile>(model.ModelFile);
        Assert.Equal(new FileInfo(Path.Combine(TestPaths.SampleMmar, "models", "model.ts")).Length, file.Bytes);
        Assert.Equal(64, file.Sha256.Length);
        Assert.Equal(file.Bytes, file.ReadAllBytes().LongLength);

        var evaluation = Assert.IsType<EvaluationSettings>(model.Evaluation);
        Assert.Equal("config/config_validation.json", evaluation.Pipeline.File);
        Assert.Equal("validation", evaluation.DataListKey);
        Assert.Contains("VAL_DATALIST_KEY", evaluation.DataListKeySource);
        Assert.Equal("config/dataset_0.json", evaluation.DataListFile);
        Assert.Equal("/workspace/data", evaluation.DataRoot);
        Assert.Equal(new[] { "image", "label" }, evaluation.Pipeline.PreTransforms[0].Keys);
        var key = Assert.IsType<MetricSetting>(evaluation.KeyMetric);
        Assert.Equal(("MeanDice", "val_mean_dice", false), (key.Name, key.LogLabel, key.IncludeBackground));
        Assert.NotNull(key.Component.Location);
        Assert.Empty(evaluation.AdditionalMetrics);
        var saver = Assert.IsType<MetricsSaverSetting>(evaluation.MetricsSaver);
        Assert.Equal(new[] { "val_mean_dice" }, saver.Metrics);
        Assert.Equal(new[] { "val_mean_dice" }, saver.MetricDetails);
        Assert.Equal(new[] { "*" }, saver.SummaryOps);
        Assert.Equal(",", saver.Delimiter);
        Assert.NotNull(model.ReadPackageFile("config/dataset_0.json"));
        Assert.Null(model.ReadPackageFile("config/none.json"));
    }

    [Fact]
    public void ValidateShsConfigAndItsSetOverridesWin()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        File.Copy(Path.Combine(mmar, "config", "config_validation.json"), Path.Combine(mmar, "config", "config_validation_ts.json"));
        JsonEdit.Edit(Path.Combine(mmar, "config", "config_validation_ts.json"), c =>
        {
            c["additional_metrics"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["name"] = "Accuracy", ["log_label"] = "val_acc", ["args"] = new System.Text.Json.Nodes.JsonObject() });
            c["dataset"]!["data_list_key"] = "{VAL_DATALIST_KEY}";
        });
        var script = Path.Combine(mmar, "commands", "validate.sh");
        File.WriteAllText(script, File.ReadAllText(script)
            .Replace("CONFIG_FILE=config/config_validation.json", "CONFIG_FILE=config/config_validation_ts.json")
            .Replace("dont_load_ckpt_model=True \\", "dont_load_ckpt_model=True VAL_DATALIST_KEY=holdout \\"));

        using var source = MmarLocator.Open(mmar);
        var model = RunnableModels.FromMmar(MmarAnalyzer.Analyze(source));

        var evaluation = model.Evaluation!;
        Assert.Equal("config/config_validation_ts.json", evaluation.Pipeline.File);
        Assert.Contains("validate.sh", evaluation.Pipeline.SelectedBecause);
        Assert.Equal("holdout", evaluation.DataListKey);
        Assert.Equal(new[] { "val_mean_dice", "val_acc" }, evaluation.Metrics.Select(m => m.LogLabel));
    }

    [Fact]
    public void Clara40sMetricsListNamesTheKeyMetricWithIsKeyMetric()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        JsonEdit.Edit(Path.Combine(mmar, "config", "config_validation.json"), c =>
        {
            c.Remove("key_metric");
            c["metrics"] = System.Text.Json.Nodes.JsonNode.Parse("""
                [{"name": "Accuracy", "log_label": "val_acc", "args": {"output_transform": "lambda x: (x['pred'], x['label'])"}},
                 {"name": "MeanDice", "log_label": "val_mean_dice", "is_key_metric": true, "args": {"include_background": false}}]
                """);
        });

        using var source = MmarLocator.Open(mmar);
        var evaluation = RunnableModels.FromMmar(MmarAnalyzer.Analyze(source)).Evaluation!;

        Assert.Equal("val_mean_dice", evaluation.KeyMetric!.LogLabel);
        Assert.False(evaluation.KeyMetric.IncludeBackground);
        Assert.Equal(new[] { "val_mean_dice", "val_acc" }, evaluation.Metrics.Select(m => m.LogLabel));
    }

    [Fact]
    public void AnMmarWithoutAValidationConfigHasNoEvaluation()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        File.Delete(Path.Combine(mmar, "config", "config_validation.json"));

        using var source = MmarLocator.Open(mmar);
        var model = RunnableModels.FromMmar(MmarAnalyzer.Analyze(source));

        Assert.Null(model.Evaluation);
        Assert.NotNull(model.Inference);
    }
}
