using System;
using System.IO;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Evaluation;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Imaging.Nifti;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Models;
using MdaiClara.Engine.Tests.Inference;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Evaluation;

/// <summary>The whole measurement on the sample model: validate.sh's pipeline, the inference pipeline on label files, the summary.</summary>
[Collection(TorchCollection.Name)]
public class ModelEvaluatorTests
{
    public ModelEvaluatorTests() => TorchRuntime.EnsureLoaded();

    private static (RunnableModel Model, IDisposable Source) Sample(string? path = null)
    {
        var analysis = MmarAnalyzer.Open(path ?? TestPaths.SampleMmar);
        return (RunnableModels.FromMmar(analysis), analysis.Source);
    }

    [Fact]
    public void ValidateShsPipelineMeasuresTheItemsThereAndItsMeanDiceAgreesWithTheDiceOnTheTruthsGrid()
    {
        using var temp = new TempDirectory();
        using var cache = new ModelSessionCache();
        var (model, source) = Sample();
        using var _ = source;
        var set = ValidationDataList.Read(model, EvaluationFixtures.DataRoot(temp, "phantom_020", "phantom_021"));
        Assert.Equal(2, set.Problems.Count);

        using var evaluator = ModelEvaluator.Create(model, EvaluationMode.Validation, new EvaluationOptions(DeviceSpec.Cpu, temp.Combine("out")), cache);
        var cases = set.Cases.Select(c => evaluator.Evaluate(c, null, default)).ToList();
        var summary = evaluator.Summarize(set.Description, set.Problems.Count);

        foreach (var c in cases)
        {
            Assert.Equal(new[] { "organ", "lesion" }, c.Classes.Select(m => m.Name));
            Assert.InRange(c.Classes[0].Dice, 0.93, 0.97);
            Assert.InRange(c.Classes[1].Dice, 0.75, 0.9);

            // MONAI's MeanDice handler (include_background false) on the post-transformed one-hot tensors, and the
            // per-class Dice on the truth's grid, are two computations of one number here: Invertd brought the
            // prediction back to the label's grid.
            var handler = c.ConfigMetrics["val_mean_dice"];
            Assert.Equal(2, handler.Length);
            Assert.Equal(c.Classes[0].Dice, handler[0], 6);
            Assert.Equal(c.Classes[1].Dice, handler[1], 6);
            Assert.True(File.Exists(c.PredictionFile));
            var written = NiftiReader.Read(c.PredictionFile!);
            Assert.Equal(new long[] { 96, 88, 40 }, written.Shape);
        }

        Assert.Equal(2, summary.Cases);
        Assert.Equal(2, summary.Failed);
        Assert.Equal("val_mean_dice", summary.KeyMetric);
        Assert.Equal(cases.Average(c => c.ConfigMetrics["val_mean_dice"].Average()), summary.KeyMetricValue, 9);
        Assert.Equal(cases[0].Classes[0].Dice, summary.Classes["ORGAN"].MeanDice, 9);
        Assert.Equal(2, summary.Classes["lesion"].Dice!.Count);
        // The config's MetricsSaver (metrics and details of val_mean_dice, every summary op) beside the predictions.
        Assert.Equal(new[] { "phantom_020_seg.nii.gz", "phantom_021_seg.nii.gz", "metrics.csv", "val_mean_dice_raw.csv", "val_mean_dice_summary.csv" }, summary.Files.Select(Path.GetFileName));
        var raw = File.ReadAllLines(summary.Files[3]);
        Assert.Equal("filename,class0,class1,mean", raw[0]);
        Assert.Equal(3, raw.Length);
        Assert.StartsWith(Path.Combine(temp.Path, "data", "imagesTr", "phantom_020.nii.gz") + ",", raw[1]);
        Assert.Equal("class,mean,median,max,min,90percentile,std,notnans", File.ReadAllLines(summary.Files[4])[0]);
    }

    [Fact]
    public void LabelFilesAreMeasuredThroughTheInferencePipelineOnTheTruthsGrid()
    {
        using var cache = new ModelSessionCache();
        var (model, source) = Sample();
        using var _ = source;
        var set = GroundTruthPairing.Pair(new[] { EvaluationFixtures.PhantomImage }, new[] { EvaluationFixtures.PhantomTruth }, default, null);

        using var evaluator = ModelEvaluator.Create(model, EvaluationMode.Inference, new EvaluationOptions(DeviceSpec.Cpu, null), cache);
        var result = evaluator.Evaluate(set.Cases[0], null, default);

        // The sample's inference and validation configs run the same transforms: the Dice is the one validate.sh's pipeline gives.
        Assert.InRange(result.Classes[0].Dice, 0.93, 0.97);
        Assert.Empty(result.ConfigMetrics);
        Assert.Null(result.PredictionFile);
        var truth = NiftiReader.Read(EvaluationFixtures.PhantomTruth);
        var voxelMl = truth.Spacing.Aggregate(1.0, (a, b) => a * b) / 1000;
        Assert.Equal(truth.GetVoxels<byte>().Count(v => v == 1) * voxelMl, result.Classes[0].TrueVolumeMl, 6);
    }

    [Fact]
    public void ADicomSeriesPairsWithTheLabelNamedByItsSeriesInstanceUidAndMeasuresAsItsNifti()
    {
        using var temp = new TempDirectory();
        using var cache = new ModelSessionCache();
        var (model, source) = Sample();
        using var _ = source;
        const string uid = "2.25.46427218919775362091003350953881449575";
        Directory.CreateDirectory(temp.Combine("labels"));
        File.Copy(EvaluationFixtures.PhantomTruth, temp.Combine("labels", uid + "_seg.nii.gz"));
        File.Copy(EvaluationFixtures.PhantomTruth, temp.Combine("labels", "phantom_truth.nii.gz"));
        var dicom = Path.Combine(TestPaths.RepoRoot, "samples", "phantom", "dicom");

        var set = GroundTruthPairing.Pair(new[] { dicom, EvaluationFixtures.PhantomImage }, new[] { temp.Combine("labels") }, default, null);

        Assert.Empty(set.Problems);
        var series = set.Cases.Single(c => c.Name == uid);
        Assert.EndsWith(uid + "_seg.nii.gz", series.Label!.Files[0]);
        using var evaluator = ModelEvaluator.Create(model, EvaluationMode.Inference, new EvaluationOptions(DeviceSpec.Cpu, null), cache);
        var fromDicom = evaluator.Evaluate(series, null, default);
        var fromNifti = evaluator.Evaluate(set.Cases.Single(c => c.Name == "phantom_ct"), null, default);
        Assert.Equal(fromNifti.Classes[0].TrueVolumeMl, fromDicom.Classes[0].TrueVolumeMl, 6);
        Assert.Equal(fromNifti.Classes[0].Dice, fromDicom.Classes[0].Dice, 3);
    }

    [Fact]
    public void ATruthOnAnotherGridIsAnErrorNamingTheCase()
    {
        using var temp = new TempDirectory();
        using var cache = new ModelSessionCache();
        var (model, source) = Sample();
        using var _ = source;
        var small = temp.Combine("small_truth.nii.gz");
        NiftiWriter.Write(new Volume(new byte[10 * 10 * 10], new long[] { 10, 10, 10 }, Affine.Identity, "small"), small, default);
        var set = GroundTruthPairing.Pair(new[] { EvaluationFixtures.PhantomImage }, new[] { small }, default, null);

        using var evaluator = ModelEvaluator.Create(model, EvaluationMode.Inference, new EvaluationOptions(DeviceSpec.Cpu, null), cache);
        var ex = Assert.Throws<MdaiClaraException>(() => evaluator.Evaluate(set.Cases[0], null, default));

        Assert.Equal(ErrorIds.EvaluationGridMismatch, ex.ErrorId);
        Assert.Contains("phantom_ct", ex.Message);
        Assert.Contains("96×88×40", ex.Message);
    }

    [Fact]
    public void ACancelledMeasurementStops()
    {
        using var cache = new ModelSessionCache();
        var (model, source) = Sample();
        using var _ = source;
        var set = GroundTruthPairing.Pair(new[] { EvaluationFixtures.PhantomImage }, new[] { EvaluationFixtures.PhantomTruth }, default, null);
        using var evaluator = ModelEvaluator.Create(model, EvaluationMode.Inference, new EvaluationOptions(DeviceSpec.Cpu, null), cache);

        Assert.ThrowsAny<OperationCanceledException>(() => evaluator.Evaluate(set.Cases[0], null, new CancellationToken(canceled: true)));
        Assert.Empty(evaluator.Cases);
    }

    [Fact]
    public void WithoutAValidationConfigValidateShsPipelineIsRefused()
    {
        using var temp = new TempDirectory();
        using var cache = new ModelSessionCache();
        var mmar = temp.CopySample();
        File.Delete(Path.Combine(mmar, "config", "config_validation.json"));
        var (model, source) = Sample(mmar);
        using var _ = source;

        var ex = Assert.Throws<MdaiClaraException>(() => ModelEvaluator.Create(model, EvaluationMode.Validation, new EvaluationOptions(DeviceSpec.Cpu, null), cache));

        Assert.Equal(ErrorIds.EvaluationConfigMissing, ex.ErrorId);
    }
}
