using System.IO;
using System.Linq;
using MdaiClara.Engine.Evaluation;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Metrics;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Models;
using MdaiClara.Engine.Tests.Inference;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Evaluation;

/// <summary>A classifier measured on a datalist of class labels: its scores are inference's probabilities, its summary AUC and rates.</summary>
[Collection(TorchCollection.Name)]
public class ClassifierEvaluationTests
{
    public ClassifierEvaluationTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void ScoresAreInferencesProbabilitiesAndTheSummaryHasAucPerClass()
    {
        using var temp = new TempDirectory();
        using var cache = new ModelSessionCache();
        var root = temp.Combine("cls");
        Directory.CreateDirectory(Path.Combine(root, "config"));
        Directory.CreateDirectory(Path.Combine(root, "models"));
        File.Copy(TestPaths.Golden("pipelines/cls_png8/config_inference.json"), Path.Combine(root, "config", "config_inference.json"));
        File.Copy(TestPaths.Golden("models/cls2d/model.ts"), Path.Combine(root, "models", "model.ts"));
        File.WriteAllText(Path.Combine(root, "config", "environment.json"), "{\"MMAR_TORCHSCRIPT\": \"models/model.ts\", \"DATASET_JSON\": \"config/dataset.json\", \"DATA_ROOT\": \".\", \"PROCESSING_TASK\": \"classification\", \"OUTPUT_CHANNELS\": 15}");
        File.WriteAllText(Path.Combine(root, "config", "dataset.json"), "{\"labels\": {\"0\": \"normal\", \"1\": \"nodule\", \"2\": \"effusion\"}, \"test\": []}");
        var images = Enumerable.Range(0, 6).Select(k =>
        {
            var png = temp.Combine($"img{k}.png");
            var picture = PngBuilder.Grey8(24 + (4 * k), 20);
            File.WriteAllBytes(png, picture.ToBytes());
            return png;
        }).ToList();
        File.WriteAllText(temp.Combine("list.json"), "{\"validation\": [" + string.Join(", ", images.Select((p, k) => $"{{\"image\": \"{Path.GetFileName(p)}\", \"label\": {k % 3}}}")) + "]}");
        var analysis = MmarAnalyzer.Open(root);
        using var source = analysis.Source;
        var model = RunnableModels.FromMmar(analysis);
        Assert.Equal(ModelTask.Classification, model.Task);

        var set = GroundTruthSources.Resolve(new GroundTruthSpec(GroundTruthKind.DataList) { DataListFile = temp.Combine("list.json") }, model, default, null);
        using var evaluator = ModelEvaluator.Create(model, EvaluationMode.Inference, new EvaluationOptions(DeviceSpec.Cpu, null, Threshold: 0.5), cache);
        var cases = set.Cases.Select(c => evaluator.Evaluate(c, null, default)).ToList();
        var summary = evaluator.Summarize(set.Description, 0);

        using var session = ClaraInferenceSession.Create(analysis, new InferenceSessionOptions(DeviceSpec.Cpu), cache);
        for (var k = 0; k < cases.Count; k++)
        {
            var inferred = session.Run(InputSource.FromFile(images[k], $"img{k}"), null, false, null, default).Probabilities.Select(p => p.Probability);
            Assert.Equal(inferred, cases[k].Scores!);
            Assert.Equal(Enumerable.Range(0, 15).Select(c => c == k % 3 ? 1 : 0), cases[k].ClassTruth!);
            Assert.Empty(cases[k].Classes);
        }

        // The dataset names three classes; the model's other twelve outputs are "class 3" … "class 14", never true here (AUC NaN).
        var names = new[] { "normal", "nodule", "effusion" }.Concat(Enumerable.Range(3, 12).Select(c => $"class {c}")).ToList();
        var expected = ClassificationMetrics.Compute(cases.Select(c => c.Scores!.ToArray()).ToList(), cases.Select(c => c.ClassTruth!.ToArray()).ToList(), names, 0.5);
        Assert.Equal("classification", summary.Task);
        Assert.Equal(names, summary.Classes.Keys);
        Assert.Equal(expected[1].Auc, summary.Classes["NODULE"].Auc);
        Assert.InRange(summary.Classes["nodule"].Auc, 0, 1);
        Assert.True(double.IsNaN(summary.Classes["class 7"].Auc));
        Assert.Equal(expected.Take(3).Average(m => m.Auc), summary.MeanAuc, 12);
        Assert.True(double.IsNaN(summary.MeanDice));
    }
}
