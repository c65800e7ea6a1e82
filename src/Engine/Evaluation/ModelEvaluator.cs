using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Nifti;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Inferers;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Metrics;
using MdaiClara.Engine.Models;
using SegmentationClass = MdaiClara.Engine.Metrics.SegmentationClass;

namespace MdaiClara.Engine.Evaluation;

/// <summary>Which pipeline measures the model.</summary>
public enum EvaluationMode
{
    /// <summary>validate.sh's: the validation config, the label read beside the image and through the transforms that name it, the config's metrics.</summary>
    Validation,

    /// <summary>The inference config on the image only; the prediction compared with the truth on the truth's own grid.</summary>
    Inference,
}

/// <summary>
/// Measures a model against ground truth, case by case (so a caller can stream results and stop between cases), then
/// sums up: per class means with seeded 95% bootstrap intervals, a classifier's AUC and rates, the config's metrics
/// as MONAI's handlers aggregate them. Predictions are written into the output folder as &lt;case&gt;_seg.nii.gz.
/// Cases run one at a time on one thread.
/// </summary>
public sealed class ModelEvaluator : IDisposable
{
    private readonly RunnableModel _model;
    private readonly EvaluationMode _mode;
    private readonly EvaluationOptions _options;
    private readonly EvaluationPipeline _pipeline;
    private readonly IReadOnlyList<SegmentationClass> _classes;
    private readonly ConfigMetrics? _configMetrics;
    private readonly List<ValidationCase> _cases = new();
    private readonly List<string> _files = new();
    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly IEngineLog? _log;
    private readonly List<CaseVolumes> _kept = new();

    private ModelEvaluator(RunnableModel model, EvaluationMode mode, EvaluationOptions options, EvaluationPipeline pipeline, ConfigMetrics? configMetrics, IEngineLog? log)
    {
        _model = model;
        _mode = mode;
        _options = options;
        _pipeline = pipeline;
        _configMetrics = configMetrics;
        _log = log;
        var count = Math.Max(model.ClassNames.Count, model.OutputChannels ?? 0);
        _classes = Enumerable.Range(1, Math.Max(1, count - 1)).Select(k => new SegmentationClass(k, model.ClassName(k))).ToList();
    }

    public string Device => _pipeline.Device;

    public RunnableModel Model => _model;

    /// <summary>Binds the pipeline and loads the model; every transform is checked before any case runs.</summary>
    public static ModelEvaluator Create(RunnableModel model, EvaluationMode mode, EvaluationOptions options, ModelSessionCache cache, IEngineLog? log = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Task is ModelTask.Other)
        {
            throw new MdaiClaraException($"{model.Name} is neither a segmentation nor a classification model, so it cannot be measured against label maps or classes.", ErrorIds.EvaluationTaskUnsupported, ErrorKind.InvalidData, model.Origin);
        }

        var config = mode == EvaluationMode.Validation
            ? (model.Evaluation ?? throw ValidationDataList.NoConfig(model)).Pipeline
            : model.Inference ?? throw new MdaiClaraException($"{model.Name} has no inference config that can be read.", ErrorIds.InferenceConfigInvalid, ErrorKind.InvalidData, model.Origin);
        var pipeline = EvaluationPipeline.Create(model, config, mode == EvaluationMode.Validation, options.Device, options.Semantics, cache, log);
        var metrics = mode == EvaluationMode.Validation ? new ConfigMetrics(model.Evaluation!, pipeline.Semantics, log) : null;
        return new ModelEvaluator(model, mode, options, pipeline, metrics is { Any: true } ? metrics : null, log);
    }

    public void Dispose() => _pipeline.Dispose();

    /// <summary>Runs and measures one case.</summary>
    public ValidationCase Evaluate(GroundTruthCase c, IProgress<InferenceProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(c);
        var clock = Stopwatch.StartNew();
        using var output = _pipeline.Run(c, progress, cancellationToken);
        var warnings = c.Warnings.ToList();
        ValidationCase result;
        if (output.Scores is { } scores)
        {
            if (c.ClassTruth is not { } truth || truth.Count != scores.Length)
            {
                throw new MdaiClaraException(
                    $"{c.Name}: the classifier gives {scores.Length} scores, but the truth is {(c.ClassTruth is null ? "not a list of classes" : $"{c.ClassTruth.Count} classes")}; give one 0/1 per class (or a class index).",
                    ErrorIds.GroundTruthItemMissing, ErrorKind.InvalidData, c.Name);
            }

            result = Case(c, Array.Empty<ClassSegmentationMetrics>(), new Dictionary<string, double[]>(), null, warnings, clock) with { Scores = scores, ClassTruth = truth };
        }
        else
        {
            var metrics = SegmentationMetrics.Compute(output.Prediction!, output.Truth!, _classes, new SegmentationMetricOptions(_options.SurfaceToleranceMm), cancellationToken);
            IReadOnlyDictionary<string, double[]> configValues = new Dictionary<string, double[]>(StringComparer.Ordinal);
            if (_configMetrics is not null && output.PostPrediction is { } p && output.PostLabel is { } l)
            {
                configValues = _configMetrics.Add(ImageName(c), p, l, cancellationToken);
            }

            string? file = null;
            if (_options.OutputDirectory is { } folder)
            {
                Directory.CreateDirectory(folder);
                file = Path.Combine(folder, UniqueName(c.Name) + "_seg.nii.gz");
                NiftiWriter.Write(output.Prediction!, file, cancellationToken);
                _files.Add(file);
            }

            result = Case(c, metrics, configValues, file, warnings, clock);
            Keep(result, output);
        }

        _cases.Add(result);
        return result;
    }

    /// <summary>The summary of every case measured so far.</summary>
    /// <param name="groundTruth">What the truth was, for the summary.</param>
    /// <param name="failed">How many items could not be measured.</param>
    /// <param name="cancellationToken">Stops writing the MetricsSaver files.</param>
    public ValidationSummary Summarize(string groundTruth, int failed, CancellationToken cancellationToken = default)
    {
        if (_configMetrics is not null && _options.OutputDirectory is { } folder)
        {
            _files.AddRange(_configMetrics.WriteMetricsSaver(folder, cancellationToken));
        }

        var classes = new Dictionary<string, ClassSummary>(StringComparer.OrdinalIgnoreCase);
        var classification = _cases.Where(c => c.Scores is not null).ToList();
        if (classification.Count > 0)
        {
            var names = Enumerable.Range(0, classification[0].Scores!.Count).Select(_model.ClassName).ToList();
            var computed = ClassificationMetrics.Compute(classification.Select(c => c.Scores!.ToArray()).ToList(), classification.Select(c => c.ClassTruth!.ToArray()).ToList(), names, _options.Threshold);
            foreach (var m in computed)
            {
                classes[Unique(classes, m.Name)] = new ClassSummary { Label = m.Index, Name = m.Name, Cases = classification.Count, Classification = m };
            }
        }
        else
        {
            foreach (var cls in _classes)
            {
                var rows = _cases.Select(c => c.Classes.FirstOrDefault(m => m.Label == cls.Label)).Where(m => m is not null).Select(m => m!).ToList();
                ConfidenceInterval Interval(Func<ClassSegmentationMetrics, double> pick) =>
                    Bootstrap.MeanInterval(rows.Select(pick).Where(double.IsFinite).ToList(), seed: _options.Seed);
                classes[Unique(classes, cls.Name)] = new ClassSummary
                {
                    Label = cls.Label,
                    Name = cls.Name,
                    Cases = rows.Count,
                    Dice = Interval(m => m.Dice),
                    IoU = Interval(m => m.IoU),
                    Hausdorff95Mm = Interval(m => m.Hausdorff95Mm),
                    HausdorffMm = Interval(m => m.HausdorffMm),
                    MeanSurfaceDistanceMm = Interval(m => m.MeanSurfaceDistanceMm),
                    NormalizedSurfaceDice = Interval(m => m.NormalizedSurfaceDice),
                    VolumeDifferenceMl = Interval(m => m.VolumeDifferenceMl),
                };
            }
        }

        var configMetrics = _configMetrics?.Values ?? new Dictionary<string, double>();
        return new ValidationSummary
        {
            Model = _model.Name,
            ModelVersion = _model.FormatVersion,
            ModelSha256 = _model.ModelFile?.Sha256,
            Task = _model.Task.ToString().ToLowerInvariant(),
            Device = Device,
            Semantics = MonaiSemanticsVersions.Describe(_pipeline.Semantics),
            GroundTruth = groundTruth,
            Cases = _cases.Count,
            Failed = failed,
            Classes = classes,
            ConfigMetrics = configMetrics,
            KeyMetric = _mode == EvaluationMode.Validation ? _model.Evaluation?.KeyMetric?.LogLabel : null,
            OutputPath = _options.OutputDirectory,
            Files = _files.ToList(),
        };
    }

    /// <summary>Where the prediction of case <paramref name="name"/> is written (null when nothing is written).</summary>
    public string? PredictionFile(string name) =>
        _options.OutputDirectory is { } folder ? Path.Combine(folder, InferenceInputs.SafeFileName(name) + "_seg.nii.gz") : null;

    /// <summary>The volumes kept for a report: the worst cases by mean Dice, at most <see cref="EvaluationOptions.KeepCaseVolumes"/>.</summary>
    public IReadOnlyList<CaseVolumes> KeptVolumes => _kept;

    private void Keep(ValidationCase result, CaseOutput output)
    {
        if (_options.KeepCaseVolumes <= 0 || output.Image is null || output.Truth is null || output.Prediction is null)
        {
            return;
        }

        _kept.Add(new CaseVolumes(result.Name, output.Image, output.Truth, output.Prediction, result.MeanDice));
        if (_kept.Count > _options.KeepCaseVolumes)
        {
            // The best case goes (NaN counts as worst: nothing to compare is worth a look).
            var best = _kept.OrderByDescending(k => double.IsNaN(k.MeanDice) ? double.MinValue : k.MeanDice).First();
            _kept.Remove(best);
        }
    }

    /// <summary>The cases measured so far, in order.</summary>
    public IReadOnlyList<ValidationCase> Cases => _cases;

    /// <summary>The files the config's MetricsSaver will write at the end (none without one, or without an output folder).</summary>
    public IReadOnlyList<string> MetricsSaverFiles => _configMetrics is not null && _options.OutputDirectory is { } folder ? _configMetrics.PlannedFiles(folder) : Array.Empty<string>();

    /// <summary>The image as MONAI's filename_or_obj names it (its path).</summary>
    private static string ImageName(GroundTruthCase c) => c.Image.Files.Count == 1 ? c.Image.Files[0] : c.Image.Volume?.Source ?? c.Image.Name;

    private ValidationCase Case(GroundTruthCase c, IReadOnlyList<ClassSegmentationMetrics> metrics, IReadOnlyDictionary<string, double[]> configValues, string? file, List<string> warnings, Stopwatch clock) => new()
    {
        Name = c.Name,
        Image = ImageName(c),
        Truth = c.TruthDescription,
        Model = _model.Name,
        Device = Device,
        Classes = metrics,
        ConfigMetrics = configValues,
        PredictionFile = file,
        Warnings = warnings,
        Seconds = clock.Elapsed.TotalSeconds,
    };

    private string UniqueName(string name)
    {
        var safe = InferenceInputs.SafeFileName(name);
        var unique = safe;
        for (var n = 2; !_names.Add(unique); n++)
        {
            unique = $"{safe}-{n}";
        }

        return unique;
    }

    private static string Unique(Dictionary<string, ClassSummary> classes, string name)
    {
        var unique = name;
        for (var n = 2; classes.ContainsKey(unique); n++)
        {
            unique = $"{name} ({n})";
        }

        return unique;
    }
}
