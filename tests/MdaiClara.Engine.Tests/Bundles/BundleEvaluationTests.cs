using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using MdaiClara.Engine.Bundles;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Evaluation;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Models;
using MdaiClara.Engine.Tests.Inference;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Bundles;

/// <summary>
/// A bundle's evaluation config (configs/evaluate.json over configs/train.json, tests/fixtures/bundles/eval-ct-seg)
/// read into the evaluation settings MMARs use, and measured as MONAI 1.3.2's evaluation workflow measures it
/// (expected/metrics.json and MetricsSaver's val_mean_dice_raw.csv, made by make_eval_bundle.py).
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class BundleEvaluationTests
{
    private static readonly string Fixture = Path.Combine(TestPaths.Fixtures, "bundles", "eval-ct-seg");

    public BundleEvaluationTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void ReadsTheValidationPipelineMetricsAndMetricsSaverFromTheMergedConfigs()
    {
        using var analysis = BundleAnalyzer.Analyze(Fixture);
        var settings = RunnableModels.FromBundle(analysis).Evaluation!;

        var pipeline = settings.Pipeline;
        Assert.Equal("configs/evaluate.json", pipeline.File);
        Assert.Equal(new[] { "LoadImaged", "EnsureChannelFirstd", "Orientationd", "Spacingd", "ScaleIntensityRanged", "EnsureTyped" }, pipeline.PreTransforms.Select(t => t.Name));
        Assert.All(pipeline.PreTransforms, t => Assert.Equal("configs/train.json", t.File)); // the macro %train#deterministic_transforms
        Assert.Equal(new[] { "Activationsd", "Invertd", "AsDiscreted" }, pipeline.PostTransforms.Select(t => t.Name)); // SaveImaged is _disabled_
        Assert.All(pipeline.PostTransforms, t => Assert.Equal("configs/evaluate.json", t.File));
        Assert.Equal(new SourceLocation(11, 13), pipeline.PostTransforms[1].Location);
        Assert.Equal("SlidingWindowInferer", pipeline.Inferer!.Name);
        Assert.Equal("configs/train.json", pipeline.Inferer.File);
        Assert.Equal(new object?[] { "image", "label" }, (object?[])pipeline.PreTransforms[0].Args["keys"]!);

        Assert.Equal(("MeanDice", "val_mean_dice", false), (settings.KeyMetric!.Name, settings.KeyMetric.LogLabel, settings.KeyMetric.IncludeBackground));
        Assert.Equal(new[] { ("Accuracy", "val_accuracy") }, settings.AdditionalMetrics.Select(m => (m.Name, m.LogLabel)));
        var saver = settings.MetricsSaver!;
        Assert.Equal(new[] { "val_mean_dice", "val_accuracy" }, saver.Metrics);
        Assert.Equal(new[] { "val_mean_dice" }, saver.MetricDetails);
        Assert.Equal(new[] { "*" }, saver.SummaryOps);
        Assert.Equal("configs/evaluate.json", saver.Component.File);

        Assert.Null(settings.DataListFile);
        Assert.Matches(@"validate#dataset#data at configs/train\.json:\d+:\d+, the Python expression '\$\[\{'image': i", settings.DataListNotRead);
    }

    [Fact]
    public void ABundleWithoutAnEvaluationConfigHasNone()
    {
        using var analysis = BundleAnalyzer.Analyze(Path.Combine(TestPaths.Fixtures, "bundles", "golden-ct-seg"));
        var model = RunnableModels.FromBundle(analysis);
        Assert.Null(model.Evaluation);
        Assert.Equal(EvaluationMode.Inference, new GroundTruthSpec(GroundTruthKind.Paths).ModeFor(model));
        var ex = Assert.Throws<MdaiClaraException>(() => ValidationDataList.Read(model));
        Assert.Equal(ErrorIds.EvaluationConfigMissing, ex.ErrorId);
        Assert.Contains("without an evaluation config (configs/evaluate.json", ex.Message);
    }

    [Fact]
    public void TheDatalistIsNotEvaluatedAndTheErrorSaysToGiveTheCases()
    {
        using var analysis = BundleAnalyzer.Analyze(Fixture);
        var model = RunnableModels.FromBundle(analysis);
        var ex = Assert.Throws<MdaiClaraException>(() => ValidationDataList.Read(model));
        Assert.Equal(ErrorIds.EvaluationDataListNotRead, ex.ErrorId);
        Assert.Contains("Python expression", ex.Message);
        Assert.Contains("give the images and their label maps", ex.Message);
        Assert.Equal(EvaluationMode.Validation, new GroundTruthSpec(GroundTruthKind.Paths).ModeFor(model));
        Assert.Equal(EvaluationMode.Validation, new GroundTruthSpec(GroundTruthKind.DataList).ModeFor(model));
        Assert.Equal(EvaluationMode.Inference, new GroundTruthSpec(GroundTruthKind.Annotations).ModeFor(model));
    }

    [Fact]
    public void AClassifierKeepsItsInferencePipelineAgainstTheCasesGiven()
    {
        var config = new InferenceConfig("configs/evaluate.json", "test", Array.Empty<ComponentSpec>(), null, Array.Empty<ComponentSpec>(), Array.Empty<ComponentSpec>(), Array.Empty<ModelReference>(), null, null);
        RunnableModel Model(ModelTask task) => new()
        {
            Name = "cls",
            Origin = "cls",
            Format = "MONAI bundle",
            Task = task,
            ClassNames = Array.Empty<string>(),
            MonaiVersion = "1.3.2",
            Evaluation = new EvaluationSettings(config, null, null, null, string.Empty, null, Array.Empty<MetricSetting>(), null) { DataListNotRead = "a Python expression" },
        };
        Assert.Equal(EvaluationMode.Inference, new GroundTruthSpec(GroundTruthKind.DataList).ModeFor(Model(ModelTask.Classification)));
        Assert.Equal(EvaluationMode.Validation, new GroundTruthSpec(GroundTruthKind.DataList).ModeFor(Model(ModelTask.Segmentation)));
    }

    [Fact]
    public void AnExpressionThePipelineNeedsIsRefusedWithFileLineAndColumn()
    {
        using var temp = new TempDirectory();
        var root = temp.Combine("bundle");
        TempDirectory.CopyDirectory(Fixture, root);
        var evaluate = Path.Combine(root, "configs", "evaluate.json");
        File.WriteAllText(evaluate, "{\n  \"validate#postprocessing\": {\"_target_\": \"Compose\", \"transforms\": [\n    {\"_target_\": \"Lambdad\", \"keys\": \"pred\", \"func\": \"$lambda x: x * 2\"}]}\n}\n");
        using var analysis = BundleAnalyzer.Analyze(root);
        var model = RunnableModels.FromBundle(analysis);
        Assert.Null(model.NotRunnable); // inference does not read the evaluation config
        var ex = Assert.Throws<MdaiClaraException>(() => model.Evaluation);
        Assert.Equal(ErrorIds.BundleEvaluationRefused, ex.ErrorId);
        Assert.Contains("configs/evaluate.json:3:", ex.Message);
        Assert.Contains("lambda", ex.Message);
    }

    [Fact]
    public void AnOverrideOfAnItemTrainJsonDoesNotHaveIsRefusedWhereItIsWritten()
    {
        using var temp = new TempDirectory();
        var root = temp.Combine("bundle");
        TempDirectory.CopyDirectory(Fixture, root);
        File.WriteAllText(Path.Combine(root, "configs", "evaluate.json"), "{\n  \"validate#loader#cache_rate\": 0\n}\n");
        using var analysis = BundleAnalyzer.Analyze(root);
        var ex = Assert.Throws<MdaiClaraException>(() => RunnableModels.FromBundle(analysis).Evaluation);
        Assert.Equal(ErrorIds.BundleEvaluationRefused, ex.ErrorId);
        Assert.Contains("configs/evaluate.json:2:33: 'validate#loader#cache_rate' sets an item inside 'validate::loader'", ex.Message);
    }

    [Fact]
    public void AMetricOnOtherKeysThanPredAndLabelIsLeftOutWithAWarningNotARefusal()
    {
        using var temp = new TempDirectory();
        using var cache = new ModelSessionCache();
        var root = temp.Combine("bundle");
        TempDirectory.CopyDirectory(Fixture, root);
        var evaluate = Path.Combine(root, "configs", "evaluate.json");
        var text = File.ReadAllText(evaluate).TrimEnd().TrimEnd('}').TrimEnd();
        File.WriteAllText(evaluate, text + ",\n    \"validate#additional_metrics\": {\"val_tc_dice\": {\"_target_\": \"MeanDice\",\n        \"output_transform\": \"$monai.handlers.from_engine(['pred_tc', 'label_tc'])\"}}\n}\n");
        using var analysis = BundleAnalyzer.Analyze(root);
        var model = RunnableModels.FromBundle(analysis);
        var settings = model.Evaluation!;
        Assert.Equal("val_mean_dice", settings.KeyMetric!.LogLabel);
        Assert.Empty(settings.AdditionalMetrics);
        var leftOut = Assert.Single(settings.MetricsLeftOut);
        Assert.Matches(@"^configs/evaluate\.json:\d+:\d+: the output_transform of val_tc_dice .*pred_tc", leftOut);

        var log = new CollectingLog();
        using var evaluator = ModelEvaluator.Create(model, EvaluationMode.Validation, new EvaluationOptions(DeviceSpec.Cpu, null), cache, log);
        Assert.Contains(log.Messages, m => m.Message.Contains("val_tc_dice", StringComparison.Ordinal) && m.Message.Contains("left out", StringComparison.Ordinal));
    }

    [Fact]
    public void AYamlEvaluationConfigReadsLikeItsJson()
    {
        using var temp = new TempDirectory();
        var root = temp.Combine("bundle");
        TempDirectory.CopyDirectory(Fixture, root);
        File.Delete(Path.Combine(root, "configs", "evaluate.json"));
        File.WriteAllText(Path.Combine(root, "configs", "evaluate.yaml"), string.Join('\n',
            "validate#postprocessing:",
            "  _target_: Compose",
            "  transforms:",
            "  - _target_: Activationsd",
            "    keys: pred",
            "    softmax: true",
            "  - _target_: AsDiscreted",
            "    keys: [pred, label]",
            "    argmax: [true, false]",
            "    to_onehot: 3",
            "validate#handlers:",
            "- _target_: MetricsSaver",
            "  save_dir: \"@output_dir\"",
            "  metrics: val_mean_dice",
            "  batch_transform: \"$lambda x: [xx['image'].meta for xx in x]\"",
            string.Empty));
        using var analysis = BundleAnalyzer.Analyze(root);
        var settings = RunnableModels.FromBundle(analysis).Evaluation!;
        Assert.Equal(new[] { "Activationsd", "AsDiscreted" }, settings.Pipeline.PostTransforms.Select(t => t.Name));
        Assert.Equal("configs/evaluate.yaml", settings.Pipeline.PostTransforms[1].File);
        Assert.Equal(7, settings.Pipeline.PostTransforms[1].Location!.Line);
        Assert.Equal(new[] { "val_mean_dice" }, settings.MetricsSaver!.Metrics);
        Assert.Empty(settings.MetricsSaver.MetricDetails);
    }

    [Fact]
    public void MeasuresAsMonai132sEvaluationWorkflow()
    {
        using var temp = new TempDirectory();
        using var cache = new ModelSessionCache();
        using var analysis = BundleAnalyzer.Analyze(Fixture);
        var model = RunnableModels.FromBundle(analysis);
        var spec = new GroundTruthSpec(GroundTruthKind.DataList) { DataListFile = Path.Combine(Fixture, "sample_data", "datalist.json") };
        var set = GroundTruthSources.Resolve(spec, model, default, null);
        Assert.Equal(2, set.Cases.Count);
        using var evaluator = ModelEvaluator.Create(model, spec.ModeFor(model), new EvaluationOptions(DeviceSpec.Cpu, temp.Path), cache);
        var cases = set.Cases.Select(c => evaluator.Evaluate(c, null, default)).ToList();
        var summary = evaluator.Summarize(set.Description, 0);

        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixture, "expected", "metrics.json")));
        Assert.Equal("val_mean_dice", summary.KeyMetric);
        Assert.Equal(expected.RootElement.GetProperty("val_mean_dice").GetDouble(), summary.KeyMetricValue, 1e-4);
        Assert.Equal(expected.RootElement.GetProperty("val_accuracy").GetDouble(), summary.ConfigMetrics["val_accuracy"], 1e-4);

        // Per case and class, as MONAI's MetricsSaver wrote them (filename, class0, class1, mean).
        var raw = File.ReadAllLines(Path.Combine(Fixture, "expected", "val_mean_dice_raw.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(2, raw.Count);
        foreach (var row in raw)
        {
            var stem = Path.GetFileName(row[0]).Split('.')[0];
            var measured = cases.Single(c => c.Name == stem).ConfigMetrics["val_mean_dice"];
            Assert.Equal(2, measured.Length);
            Assert.Equal(double.Parse(row[1], CultureInfo.InvariantCulture), measured[0], 1e-4);
            Assert.Equal(double.Parse(row[2], CultureInfo.InvariantCulture), measured[1], 1e-4);
        }

        // MetricsSaver's files, as the bundle's evaluate.json asks for them.
        Assert.Equal(
            new[] { "metrics.csv", "val_mean_dice_raw.csv", "val_mean_dice_summary.csv" },
            summary.Files.Select(Path.GetFileName).Where(f => f!.EndsWith(".csv", StringComparison.Ordinal)).OrderBy(f => f, StringComparer.Ordinal));
        var saved = File.ReadAllLines(temp.Combine("metrics.csv"));
        Assert.StartsWith("val_mean_dice,0.679", saved[0]);
        Assert.StartsWith("val_accuracy,0.985", saved[1]);
    }
}
