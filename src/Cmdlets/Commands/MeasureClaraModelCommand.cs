using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using MdaiClara.Engine.Bundles;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Evaluation;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Models;

namespace MdaiClara.Cmdlets.Commands;

/// <summary>
/// <para type="synopsis">Measures a model against ground truth, as Clara's validate.sh does, and sums up per class with confidence intervals.</para>
/// <para type="description">Without a ground-truth parameter, runs the MMAR's validation pipeline as commands/validate.sh
/// would: config/config_validation.json (or the config validate.sh names with -c), the items of its datalist key
/// (VAL_DATALIST_KEY or the config's data_list_key) in the dataset JSON, the image and the label of each item through
/// the transforms that name them, the inferer and the post-transforms, and the config's key_metric and
/// additional_metrics (MeanDice, Accuracy) as MONAI's handlers compute them. -DataRoot says where the items' files are
/// when the config's DATA_ROOT is not this machine's. Other ground truth, without editing the MMAR: images and label
/// maps (-Path, -LabelPath: NIfTI files or DICOM series, paired by file stem or SeriesInstanceUID), a datalist of your
/// own (-DataList, -DataListKey), or DICOM studies annotated on MD.ai (-Study, -Annotations: drawn labels for a segmentation model, global labels for a classifier; with -LabelName or -LabelMap
/// saying which MD.ai label is which class); these run the MMAR's inference pipeline. A segmentation MONAI bundle with an evaluation config
/// (configs/evaluate.json or .yaml, merged over configs/train.json as monai.bundle run merges a list of config files)
/// is measured as an MMAR with a validation config, except that its datalist is a Python expression that is not
/// evaluated: give its cases with -Path/-LabelPath or -DataList, and they run through the evaluation config's
/// validate#preprocessing, validate#inferer and validate#postprocessing with the label beside the image, and its
/// validate#key_metric and validate#additional_metrics (and the MetricsSaver of validate#handlers) are reported. A
/// bundle without one, and a classifier bundle, runs its inference config. Every case is measured on the
/// truth's own grid, per class, in mm and mL: Dice, IoU, HD95 and HD, mean surface distance, normalised surface Dice
/// at -SurfaceTolerance, volumes; a classifier's AUC, sensitivity, specificity and PPV at -Threshold. Each case is
/// emitted as an MdaiClara.ValidationCase as it finishes, then one MdaiClara.ValidationSummary with per-class means and
/// seeded 95% bootstrap intervals (Classes['organ'].MeanDice); -Summary emits only the summary. Predictions are written
/// into -OutputPath (default: a new folder in the current folder, never inside the MMAR) as &lt;case&gt;_seg.nii.gz;
/// existing files are replaced only with -Force. Items whose image or label is missing are errors naming them; the
/// rest are measured. -ReportPath writes a self-contained HTML report for a clinical reader.</para>
/// <example><code>Measure-ClaraModel -Mmar ./mmar -Path ./ct.nii.gz -LabelPath ./truth.nii.gz -Summary | Format-List</code>
/// <para>Measures the model on one labelled image and shows the summary.</para></example>
/// <example><code>(Measure-ClaraModel ./mmar -Path ./ct.nii.gz -LabelPath ./truth.nii.gz -Summary).Classes['organ'].MeanDice</code>
/// <para>The mean Dice of the class named organ, as a number a Pester runbook can gate on.</para></example>
/// <example><code>Measure-ClaraModel -Mmar ./mmar -DataRoot ./data -OutputPath ./measure | Format-Table Name, MeanDice</code>
/// <para>Runs validate.sh's pipeline on the MMAR's validation datalist, with its files under ./data, and lists each case's mean Dice.</para></example>
/// <example><code>(Measure-ClaraModel -Bundle ./bundle -Path ./bundle/sample_data/ct_pls.nii.gz -LabelPath ./bundle/expected/ct_pls_seg.nii.gz -OutputPath ./bundle_measure -Summary).MeanDice</code>
/// <para>Measures a MONAI bundle (a folder with configs/metadata.json) without an evaluation config through its own inference config against a label map.</para></example>
/// <example><code>(Measure-ClaraModel -Bundle ./bundle_eval -DataList ./bundle_eval/sample_data/datalist.json -OutputPath ./bundle_eval_measure -Summary).ConfigMetrics['val_mean_dice']</code>
/// <para>Runs a bundle's evaluation config (configs/evaluate.json over configs/train.json, as monai.bundle run merges them) on the cases of your datalist: its validate#preprocessing, inferer and postprocessing with the label beside the image, and its key_metric (here val_mean_dice, MONAI's MeanDice) and additional_metrics, MetricsSaver's files in -OutputPath.</para></example>
/// <example><code>Measure-ClaraModel -Mmar ./mmar -Path ./ct.nii.gz -LabelPath ./truth.nii.gz -ReportPath ./report.html -Summary</code>
/// <para>Also writes an HTML report (summary with intervals, distributions, overlays of the worst cases) to mail to a radiologist.</para></example>
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "ClaraModel", DefaultParameterSetName = ValidationSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ValidationCase), typeof(ValidationSummary))]
public sealed class MeasureClaraModelCommand : ClaraCmdlet
{
    private const string ValidationSet = "Validation";
    private const string PathSet = "Path";
    private const string DataListSet = "DataList";
    private const string LabelNameSet = "AnnotationsLabelName";
    private const string LabelMapSet = "AnnotationsLabelMap";

    /// <summary><para type="description">The model: an MMAR (an object from Get-Mmar, or the path of its folder or .zip) or a MONAI bundle
    /// (the path of its folder, holding configs/metadata.json; -Bundle is this parameter's alias). A bundle is measured
    /// against -Path/-LabelPath or -DataList through its evaluation config (configs/evaluate.json over configs/train.json)
    /// when it has one, else through its inference config (as against -Study/-Annotations).</para></summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [Alias("Bundle")]
    [ValidateNotNull]
    public object Mmar { get; set; } = null!;

    /// <summary><para type="description">Images (NIfTI files, DICOM files or folders) to measure on, each paired with its label map in -LabelPath by file stem (phantom_ct / phantom_truth pair: conventional suffixes are ignored) or SeriesInstanceUID. Wildcards are expanded.</para></summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = null!;

    /// <summary><para type="description">The label maps of -Path's images (NIfTI files or DICOM series), on their images' grids.</para></summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] LabelPath { get; set; } = null!;

    /// <summary><para type="description">A datalist JSON of your own (MONAI's format: a list of {"image": …, "label": …} under -DataListKey); relative paths are under its folder, or -DataRoot.</para></summary>
    [Parameter(Mandatory = true, ParameterSetName = DataListSet)]
    [ValidateNotNullOrEmpty]
    public string DataList { get; set; } = null!;

    /// <summary><para type="description">The datalist key to read (default: the MMAR's VAL_DATALIST_KEY or data_list_key; 'validation' for -DataList).</para></summary>
    [Parameter(ParameterSetName = ValidationSet)]
    [Parameter(ParameterSetName = DataListSet)]
    [ValidateNotNullOrEmpty]
    public string? DataListKey { get; set; }

    /// <summary><para type="description">The folder the datalist's relative paths are under, instead of the MMAR's DATA_ROOT (or -DataList's folder).</para></summary>
    [Parameter(ParameterSetName = ValidationSet)]
    [Parameter(ParameterSetName = DataListSet)]
    [ValidateNotNullOrEmpty]
    public string? DataRoot { get; set; }

    /// <summary><para type="description">DICOM studies (folders or files) annotated on MD.ai; every series with annotations of the labels measured is a case.</para></summary>
    [Parameter(Mandatory = true, ParameterSetName = LabelNameSet)]
    [Parameter(Mandatory = true, ParameterSetName = LabelMapSet)]
    [ValidateNotNullOrEmpty]
    public string[] Study { get; set; } = null!;

    /// <summary><para type="description">MD.ai's annotation export JSON for -Study.</para></summary>
    [Parameter(Mandatory = true, ParameterSetName = LabelNameSet)]
    [Parameter(Mandatory = true, ParameterSetName = LabelMapSet)]
    [ValidateNotNullOrEmpty]
    public string Annotations { get; set; } = null!;

    /// <summary><para type="description">The MD.ai label (name or id) that is class 1 of the model. Without it or -LabelMap, each model class is the MD.ai label of the same name.</para></summary>
    [Parameter(ParameterSetName = LabelNameSet)]
    [ValidateNotNullOrEmpty]
    public string? LabelName { get; set; }

    /// <summary><para type="description">MD.ai label (name or id) → model class value, e.g. @{ 'Spleen' = 1; 'Liver' = 2 }.</para></summary>
    [Parameter(Mandatory = true, ParameterSetName = LabelMapSet)]
    [ValidateNotNull]
    public Hashtable LabelMap { get; set; } = null!;

    /// <summary><para type="description">The folder predictions (and MetricsSaver's files) are written into; default: a new folder &lt;model&gt;_measure_&lt;UTC time&gt; in the current folder. Never inside the MMAR. Existing files are replaced only with -Force.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputPath { get; set; }

    /// <summary><para type="description">Replace files that already exist in -OutputPath (and -ReportPath).</para></summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary><para type="description">The tolerance of the normalised surface Dice, in mm (default 2).</para></summary>
    [Parameter]
    [ValidateRange(0.0, 1000.0)]
    public double SurfaceTolerance { get; set; } = 2.0;

    /// <summary><para type="description">A classifier's decision threshold on its scores, for sensitivity, specificity and PPV (default 0.5).</para></summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double Threshold { get; set; } = 0.5;

    /// <summary><para type="description">Auto (a GPU when there is one, default), Cpu, Cuda or Cuda:N.</para></summary>
    [Parameter]
    [ArgumentCompleter(typeof(DeviceCompleter))]
    [ValidateNotNullOrEmpty]
    public string Device { get; set; } = "Auto";

    /// <summary><para type="description">Emit only the summary, not each case.</para></summary>
    [Parameter]
    public SwitchParameter Summary { get; set; }

    /// <summary><para type="description">Also write a self-contained HTML report (provenance, summary with intervals, distributions, overlays of the worst cases) to this file.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReportPath { get; set; }

    /// <summary><para type="description">The MONAI version whose numerics to follow (0.5, 0.8.1, 1.3, …) instead of the one the MMAR's Clara version implies.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MonaiSemantics { get; set; }

    protected override void ProcessRecord()
    {
        string mmarPath;
        DeviceSpec device;
        Engine.Inference.MonaiSemantics? semantics;
        try
        {
            mmarPath = MmarPaths.Resolve(this, Mmar);
            device = DeviceSpec.Parse(Device);
            semantics = MonaiSemantics is null ? null : MonaiSemanticsVersions.Parse(MonaiSemantics);
        }
        catch (MdaiClaraException ex)
        {
            ThrowEngineError(ex);
            return;
        }

        try
        {
            using var opened = RunOnWorker(token => OpenedModel.Open(mmarPath, token));
            var model = opened.Model;
            var output = OutputFolder(model, mmarPath);
            var report = ReportPath is null ? null : GroundTruthArguments.Full(this, ReportPath);
            if (output is null || (report is not null && !MayWrite(report, Force)))
            {
                return;
            }

            var spec = Spec();
            var set = RunOnWorker(token => GroundTruthSources.Resolve(spec, model, token, Log));
            foreach (var problem in set.Problems)
            {
                WriteError(Remedied(problem));
            }

            if (set.Cases.Count == 0)
            {
                WriteError(ToErrorRecord(new MdaiClaraException($"No case of {set.Description} can be measured.", ErrorIds.GroundTruthEmpty, ErrorKind.ObjectNotFound, model.Name)));
                return;
            }

            if (!ShouldProcess(model.Name, $"Measure against {set.Cases.Count} case(s) of {set.Description}, writing predictions into '{output}'"))
            {
                return;
            }

            var options = new EvaluationOptions(device, output, SurfaceTolerance, Threshold, semantics) { KeepCaseVolumes = report is null ? 0 : 20 };
            var mode = RunOnWorker(_ => spec.ModeFor(model));
            using var evaluator = RunOnWorker(_ => ModelEvaluator.Create(model, mode, options, ModuleState.Models, Log));
            if (!evaluator.MetricsSaverFiles.All(f => MayWrite(f, Force)))
            {
                return;
            }

            var failed = set.Problems.Count + Measure(evaluator, set, output);
            var summary = RunOnWorker(token => evaluator.Summarize(set.Description, failed, token));
            if (report is not null)
            {
                RunOnWorker(token =>
                {
                    ValidationReports.Write(evaluator, summary, report, token);
                    return true;
                });
                WriteVerbose($"Wrote the report {report}.");
                summary = summary with { Files = summary.Files.Append(report).ToList() };
            }

            WriteObject(TypeNames.Tag(summary, TypeNames.ValidationSummary));
        }
        catch (MdaiClaraException ex) when (ex.ErrorId is ErrorIds.CudaUnavailable or ErrorIds.TorchRuntimeLoadFailed)
        {
            ThrowEngineError(ex);
        }
        catch (MdaiClaraException ex)
        {
            WriteError(Remedied(ex));
        }
        catch (Exception ex) when (IsUnexpected(ex))
        {
            WriteUnexpectedError(ex, mmarPath);
        }
    }

    /// <summary>Runs every case, emitting each as it finishes (unless -Summary); returns how many failed.</summary>
    private int Measure(ModelEvaluator evaluator, GroundTruthSet set, string output)
    {
        const string activity = "Measure-ClaraModel";
        var failed = 0;
        for (var i = 0; i < set.Cases.Count; i++)
        {
            var c = set.Cases[i];
            var record = new ProgressRecord(1, activity, $"Case {i + 1} of {set.Cases.Count}: {c.Name}") { PercentComplete = 100 * i / set.Cases.Count };
            WriteProgress(record);
            if (!MayWrite(evaluator.PredictionFile(c.Name)!, Force))
            {
                failed++;
                continue;
            }

            var windows = new WindowProgress();
            try
            {
                var result = RunOnWorker(token => evaluator.Evaluate(c, windows, token), () => windows.WriteTo(this, c.Name));
                foreach (var warning in result.Warnings)
                {
                    WriteWarning($"{c.Name}: {warning}");
                }

                if (!Summary)
                {
                    WriteObject(TypeNames.Tag(result, TypeNames.ValidationCase));
                }
            }
            catch (MdaiClaraException ex) when (ex.ErrorId is not (ErrorIds.CudaUnavailable or ErrorIds.TorchRuntimeLoadFailed))
            {
                failed++;
                WriteError(Remedied(ex));
            }
        }

        WriteProgress(new ProgressRecord(2, "Sliding window", "Done") { ParentActivityId = 1, RecordType = ProgressRecordType.Completed });
        WriteProgress(new ProgressRecord(1, activity, $"Measured {set.Cases.Count - failed} case(s) into {output}") { RecordType = ProgressRecordType.Completed });
        return failed;
    }

    private GroundTruthSpec Spec() => ParameterSetName switch
    {
        PathSet => new GroundTruthSpec(GroundTruthKind.Paths) { Images = Resolve(Path), Labels = Resolve(LabelPath) },
        DataListSet => new GroundTruthSpec(GroundTruthKind.DataList)
        {
            DataListFile = GroundTruthArguments.Full(this, DataList),
            DataListKey = DataListKey,
            DataRoot = DataRoot is null ? null : GroundTruthArguments.Full(this, DataRoot),
        },
        LabelNameSet or LabelMapSet => new GroundTruthSpec(GroundTruthKind.Annotations)
        {
            Studies = GroundTruthArguments.Full(this, Study),
            AnnotationsFile = GroundTruthArguments.Full(this, Annotations),
            LabelMap = GroundTruthArguments.LabelMap(LabelName, ParameterSetName == LabelMapSet ? LabelMap : null, "-LabelMap"),
        },
        _ => GroundTruthSpec.Validation(DataRoot is null ? null : GroundTruthArguments.Full(this, DataRoot), DataListKey),
    };

    /// <summary>Wildcards expanded; a path that matches nothing is an error naming it, and the rest go on.</summary>
    private List<string> Resolve(string[] paths) => ResolvePaths(paths, literal: false, ErrorIds.InputNotFound).ToList();

    /// <summary>-OutputPath, or a new folder in the current one; null (with an error) when it is inside the MMAR.</summary>
    private string? OutputFolder(RunnableModel model, string mmarPath)
    {
        var folder = OutputPath is not null
            ? ResolveOutputPath(OutputPath, nameof(OutputPath))
            : System.IO.Path.Combine(SessionState.Path.CurrentFileSystemLocation.ProviderPath, $"{InferenceInputsSafe(model.Name)}_measure_{DateTime.UtcNow:yyyyMMdd'T'HHmmss}");
        var root = System.IO.Path.GetFullPath(mmarPath).TrimEnd(System.IO.Path.DirectorySeparatorChar);
        var full = System.IO.Path.GetFullPath(folder).TrimEnd(System.IO.Path.DirectorySeparatorChar);
        if (full.Equals(root, StringComparison.Ordinal) || full.StartsWith(root + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            WriteError(new ErrorRecord(
                new ArgumentException($"-OutputPath '{folder}' is inside the {model.Format} {mmarPath}; measurements never write into the model. Give a folder outside it."),
                ErrorIds.EvaluationOutputInvalid, ErrorCategory.InvalidArgument, folder));
            return null;
        }

        if (File.Exists(full))
        {
            WriteError(new ErrorRecord(new IOException($"-OutputPath '{folder}' is a file; a folder is needed there to write into."), OutputPathInvalidErrorId, ErrorCategory.InvalidArgument, folder));
            return null;
        }

        return full;
    }

    /// <summary>The model (MMAR or bundle) with what keeps its files readable until measuring ends.</summary>
    private sealed class OpenedModel : IDisposable
    {
        private readonly IDisposable _owner;

        private OpenedModel(IDisposable owner, RunnableModel model)
        {
            _owner = owner;
            Model = model;
        }

        public RunnableModel Model { get; }

        public static OpenedModel Open(string path, System.Threading.CancellationToken token)
        {
            if (MmarPaths.IsBundleFolder(path))
            {
                var bundle = BundleAnalyzer.Analyze(path, token);
                try
                {
                    return new OpenedModel(bundle, RunnableModels.FromBundle(bundle));
                }
                catch
                {
                    bundle.Dispose();
                    throw;
                }
            }

            var source = MmarLocator.Open(path);
            try
            {
                return new OpenedModel(source, RunnableModels.FromMmar(MmarAnalyzer.Analyze(source, token)));
            }
            catch
            {
                source.Dispose();
                throw;
            }
        }

        public void Dispose() => _owner.Dispose();
    }

    private static string InferenceInputsSafe(string name) => Engine.Inference.Pipeline.InferenceInputs.SafeFileName(name);

    /// <summary>The engine's error with the remedy that names this cmdlet's parameters.</summary>
    private static ErrorRecord Remedied(MdaiClaraException ex)
    {
        var record = ToErrorRecord(ex);
        var remedy = ex.ErrorId switch
        {
            ErrorIds.DataListInvalid when ex.Kind == ErrorKind.ObjectNotFound => "Give the folder with -DataRoot, or measure against -Path/-LabelPath or -DataList.",
            ErrorIds.EvaluationConfigMissing => "Give the ground truth with -Path and -LabelPath, -DataList, or -Study and -Annotations.",
            ErrorIds.EvaluationDataListNotRead => "Give the images and labels with -Path and -LabelPath, or a datalist JSON with -DataList.",
            ErrorIds.GroundTruthUnpaired => "Name images and labels alike (case1.nii.gz / case1_seg.nii.gz), or give them in a -DataList.",
            _ => null,
        };
        if (remedy is not null)
        {
            record.ErrorDetails = new ErrorDetails($"{record.ErrorDetails?.Message ?? ex.Message} {remedy}") { RecommendedAction = remedy };
        }

        return record;
    }

    /// <summary>The worker's latest window count; the pipeline thread turns it into progress records.</summary>
    private sealed class WindowProgress : IProgress<Engine.Inference.Inferers.InferenceProgress>
    {
        private long _latest;
        private long _written = -1;

        public void Report(Engine.Inference.Inferers.InferenceProgress value) =>
            System.Threading.Interlocked.Exchange(ref _latest, ((long)value.WindowsDone << 32) | (uint)value.WindowsTotal);

        public void WriteTo(Cmdlet cmdlet, string name)
        {
            var now = System.Threading.Interlocked.Read(ref _latest);
            var done = (int)(now >> 32);
            var total = (int)(now & uint.MaxValue);
            if (total == 0 || now == _written)
            {
                return;
            }

            _written = now;
            cmdlet.WriteProgress(new ProgressRecord(2, $"Sliding window over {name}", $"Window {done} of {total}") { ParentActivityId = 1, PercentComplete = (int)(100L * done / total) });
        }
    }
}
