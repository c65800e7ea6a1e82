using System.IO;
using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Evaluation;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Models;
using MdaiClara.Engine.Tests.Inference;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Evaluation;

/// <summary>Ground truth drawn on MD.ai: the phantom's truth as an annotation export on its DICOM series.</summary>
[Collection(TorchCollection.Name)]
public class AnnotationGroundTruthTests
{
    private static readonly string Export = Path.Combine(TestPaths.Fixtures, "evaluation", "phantom_annotations.json");
    private static readonly string Dicom = Path.Combine(TestPaths.RepoRoot, "samples", "phantom", "dicom");

    public AnnotationGroundTruthTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void AnnotationsOnTheSeriesMeasureAsTheSameTruthAsALabelFile()
    {
        using var cache = new ModelSessionCache();
        var analysis = MmarAnalyzer.Open(TestPaths.SampleMmar);
        using var source = analysis.Source;
        var model = RunnableModels.FromMmar(analysis);

        // The model's class names (organ, lesion) are the MD.ai labels' (Organ, Lesion): no map needed.
        var annotated = GroundTruthSources.Resolve(new GroundTruthSpec(GroundTruthKind.Annotations) { Studies = new[] { Dicom }, AnnotationsFile = Export }, model, default, null);
        var files = GroundTruthPairing.Pair(new[] { EvaluationFixtures.PhantomImage }, new[] { EvaluationFixtures.PhantomTruth }, default, null);
        using var evaluator = ModelEvaluator.Create(model, EvaluationMode.Inference, new EvaluationOptions(DeviceSpec.Cpu, null), cache);

        var c = Assert.Single(annotated.Cases);
        Assert.Equal("2.25.46427218919775362091003350953881449575", c.Name);
        Assert.Contains("23 annotation(s)", c.TruthDescription);
        var fromAnnotations = evaluator.Evaluate(c, null, default);
        var fromFile = evaluator.Evaluate(files.Cases[0], null, default);

        for (var k = 0; k < 2; k++)
        {
            Assert.Equal(fromFile.Classes[k].TruePositives + fromFile.Classes[k].FalseNegatives, fromAnnotations.Classes[k].TruePositives + fromAnnotations.Classes[k].FalseNegatives);
            Assert.Equal(fromFile.Classes[k].TrueVolumeMl, fromAnnotations.Classes[k].TrueVolumeMl, 6);
            Assert.Equal(fromFile.Classes[k].Dice, fromAnnotations.Classes[k].Dice, 3);
        }
    }

    [Fact]
    public void ALabelMapNamesTheClassesAndAnnotatedSeriesNotGivenAreNamed()
    {
        var analysis = MmarAnalyzer.Open(TestPaths.SampleMmar);
        using var source = analysis.Source;
        var model = RunnableModels.FromMmar(analysis);
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("empty"));

        var set = GroundTruthSources.Resolve(new GroundTruthSpec(GroundTruthKind.Annotations)
        {
            Studies = new[] { temp.Combine("empty") },
            AnnotationsFile = Export,
            LabelMap = new System.Collections.Generic.Dictionary<string, int> { ["Organ"] = 1 },
        }, model, default, null);

        Assert.Empty(set.Cases);
        var problem = Assert.Single(set.Problems);
        Assert.Equal(ErrorIds.GroundTruthUnpaired, problem.ErrorId);
        Assert.Contains("2.25.46427218919775362091003350953881449575", problem.Message);
    }
}
