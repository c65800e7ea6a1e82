using System.IO;
using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Evaluation;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Models;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Evaluation;

/// <summary>A classifier's ground truth from MD.ai's global labels on the studies given.</summary>
public class GlobalLabelGroundTruthTests
{
    private const string Study = "2.25.30886435814071526820621879663004794400";
    private const string Series = "2.25.46427218919775362091003350953881449575";
    private static readonly string Dicom = Path.Combine(TestPaths.RepoRoot, "samples", "phantom", "dicom");

    private static string Export(TempDirectory temp, string annotations)
    {
        var path = temp.Combine("export.json");
        File.WriteAllText(path, $$"""
            {"id": "P_1", "name": "Chest", "labelGroups": [{"id": "G_1", "name": "Exam", "labels": [
              {"id": "L_nod", "name": "Nodule", "type": "global", "scope": "study", "annotationMode": null},
              {"id": "L_eff", "name": "Effusion", "type": "global", "scope": "study", "annotationMode": null},
              {"id": "L_org", "name": "Organ", "type": "local", "scope": "instance", "annotationMode": "mask"}]}],
             "datasets": [{"id": "D_1", "name": "Set", "studies": [], "annotations": [{{annotations}}]}]}
            """);
        return path;
    }

    private static RunnableModel Classifier(TempDirectory temp)
    {
        var root = temp.Combine("cls");
        Directory.CreateDirectory(Path.Combine(root, "config"));
        Directory.CreateDirectory(Path.Combine(root, "models"));
        File.Copy(TestPaths.Golden("pipelines/cls_png8/config_inference.json"), Path.Combine(root, "config", "config_inference.json"));
        File.Copy(TestPaths.Golden("models/cls2d/model.ts"), Path.Combine(root, "models", "model.ts"));
        File.WriteAllText(Path.Combine(root, "config", "environment.json"), "{\"MMAR_TORCHSCRIPT\": \"models/model.ts\", \"DATASET_JSON\": \"config/dataset.json\", \"DATA_ROOT\": \".\", \"PROCESSING_TASK\": \"classification\", \"OUTPUT_CHANNELS\": 3}");
        File.WriteAllText(Path.Combine(root, "config", "dataset.json"), "{\"labels\": {\"0\": \"normal\", \"1\": \"nodule\", \"2\": \"effusion\"}, \"test\": []}");
        var analysis = MmarAnalyzer.Open(root);
        using var source = analysis.Source;
        var model = RunnableModels.FromMmar(analysis);
        Assert.Equal(ModelTask.Classification, model.Task);
        return model;
    }

    [Fact]
    public void GlobalLabelsOnTheStudyAreTheSeriesClassTruth()
    {
        using var temp = new TempDirectory();
        var model = Classifier(temp);
        var export = Export(temp, $$"""{"id": "A_1", "labelId": "L_nod", "StudyInstanceUID": "{{Study}}", "SeriesInstanceUID": null, "SOPInstanceUID": null}""");

        var set = GroundTruthSources.Resolve(new GroundTruthSpec(GroundTruthKind.Annotations) { Studies = new[] { Dicom }, AnnotationsFile = export }, model, default, null);

        var c = Assert.Single(set.Cases);
        Assert.Equal(Series, c.Name);
        Assert.Equal(new[] { 0, 1, 0 }, c.ClassTruth!.Take(3));
        Assert.All(c.ClassTruth!.Skip(3), v => Assert.Equal(0, v));
        Assert.Null(c.LabelVolume);
        Assert.Contains("'Nodule'", c.TruthDescription);
    }

    [Fact]
    public void ALabelMapByIdChoosesTheClassAndAStudyWithoutGlobalLabelsIsNoCase()
    {
        using var temp = new TempDirectory();
        var model = Classifier(temp);
        var onOtherStudy = Export(temp, """{"id": "A_1", "labelId": "L_eff", "StudyInstanceUID": "1.2.3", "SeriesInstanceUID": null, "SOPInstanceUID": null}""");
        var none = GroundTruthSources.Resolve(new GroundTruthSpec(GroundTruthKind.Annotations) { Studies = new[] { Dicom }, AnnotationsFile = onOtherStudy }, model, default, null);
        Assert.Empty(none.Cases);

        var onSeries = Export(temp, $$"""{"id": "A_2", "labelId": "L_eff", "StudyInstanceUID": "{{Study}}", "SeriesInstanceUID": "{{Series}}", "SOPInstanceUID": null}""");
        var mapped = GroundTruthSources.Resolve(
            new GroundTruthSpec(GroundTruthKind.Annotations) { Studies = new[] { Dicom }, AnnotationsFile = onSeries, LabelMap = new System.Collections.Generic.Dictionary<string, int> { ["L_eff"] = 0 } },
            model, default, null);
        Assert.Equal(new[] { 1, 0, 0 }, Assert.Single(mapped.Cases).ClassTruth!.Take(3));

        var outOfRange = Assert.Throws<MdaiClaraException>(() => GroundTruthSources.Resolve(
            new GroundTruthSpec(GroundTruthKind.Annotations) { Studies = new[] { Dicom }, AnnotationsFile = onSeries, LabelMap = new System.Collections.Generic.Dictionary<string, int> { ["Effusion"] = 7 } },
            model, default, null));
        Assert.Contains("class 7", outOfRange.Message);
    }

    [Fact]
    public void NoGlobalLabelNamedAsAClassAsksForAMap()
    {
        using var temp = new TempDirectory();
        var model = Classifier(temp);
        var export = Export(temp, $$"""{"id": "A_1", "labelId": "L_nod", "StudyInstanceUID": "{{Study}}", "SeriesInstanceUID": null, "SOPInstanceUID": null}""");
        File.WriteAllText(export, File.ReadAllText(export).Replace("\"Nodule\"", "\"Mass\"").Replace("\"Effusion\"", "\"Fluid\""));
        var e = Assert.Throws<MdaiClaraException>(() => GroundTruthSources.Resolve(new GroundTruthSpec(GroundTruthKind.Annotations) { Studies = new[] { Dicom }, AnnotationsFile = export }, model, default, null));
        Assert.Contains("say which label is which class", e.Message);
    }
}
