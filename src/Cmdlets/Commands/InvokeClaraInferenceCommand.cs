using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json.Nodes;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Inferers;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Bundles;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Models;
using MdaiClara.Engine.Publishing;

namespace MdaiClara.Cmdlets.Commands;

/// <summary>
/// <para type="synopsis">Runs an MMAR's own inference pipeline on images, as Clara would, on the CPU or a GPU.</para>
/// <para type="description">Reads the MMAR's inference config (pre-transforms, inferer, post-transforms) and runs it with
/// the MONAI semantics of the Clara version that made the model (Clara 4.1: MONAI 0.8.1; -MonaiSemantics overrides).
/// Inputs are volumes from Import-MedicalImage, or NIfTI files, pictures and DICOM files or folders (one input per
/// series). The model is loaded once per device and reused. A segmentation's label map is brought back to the input's
/// own grid (the NIfTI grid or the DICOM series grid) and, with -OutputPath, written there as &lt;name&gt;_seg.nii.gz
/// (-SaveProbabilities adds &lt;name&gt;_prob.nii.gz). A DICOM series is named by its SeriesInstanceUID, or by the
/// header fields -NameTemplate names; existing files are replaced only with -Force. Each input gives an MdaiClara.InferenceResult with the voxel
/// count and volume of every class, or the class probabilities of a classifier, and where the time went.</para>
/// <example><code>Invoke-ClaraInference -Mmar ./mmar -Path ./studies/ct1 -OutputPath ./out</code>
/// <para>Segments every DICOM series under ./studies/ct1 and writes one label map per series into ./out (created when missing), named by SeriesInstanceUID.</para></example>
/// <example><code>Import-MedicalImage ./ct.nii.gz | Invoke-ClaraInference -Mmar (Get-Mmar ./mmar) -Device Auto</code>
/// <para>Runs the model on a GPU when there is one (else on the CPU) and shows the class volumes.</para></example>
/// <example><code>$m = Get-Mmar ./mmar
/// Get-ChildItem ./studies -Directory | Invoke-ClaraInference -Mmar $m -OutputPath ./out -WhatIf</code>
/// <para>Shows which label maps would be written, without running anything or creating ./out.</para></example>
/// <example><code>Invoke-ClaraInference -Mmar ./mmar -Path ./studies -OutputPath ./out -NameTemplate '{PatientID}_{SeriesNumber}' -Force</code>
/// <para>Names each series' results by patient and series number (PHANTOM0001_1_seg.nii.gz), replacing files of an earlier run.</para></example>
/// <example><code>Invoke-ClaraInference -Bundle ./bundle -Path ./bundle/sample_data/ct_pls.nii.gz -OutputPath ./out</code>
/// <para>Runs the MONAI bundle in ./bundle (its preprocessing, sliding-window inferer and postprocessing, with MONAI
/// 1.3 semantics as its metadata.json asks) on a NIfTI and writes the label map on the input's grid into ./out.</para></example>
/// <example><code>Invoke-ClaraInference -Mmar ./mmar -Path ./studies/ct1 -OutputFormat Mdai | Select-Object -First 3</code>
/// <para>Shows the first outputs MD.ai would show for the series, as the generated mdai_deploy.py returns them.</para></example>
/// <example><code>Invoke-ClaraInference -Mmar ./mmar -Path ./studies/ct1 -OutputFormat DicomSeg -OutputPath ./out -SeriesDescription 'Spleen (AI)' -Force</code>
/// <para>Writes each series' result as a DICOM Segmentation object ./out/&lt;SeriesInstanceUID&gt;_seg.dcm, ready to store in the PACS beside the study.</para></example>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ClaraInference", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(InferenceResult))]
public sealed partial class InvokeClaraInferenceCommand : ClaraCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string InputObjectSet = "InputObject";

    private readonly List<string> _dicomFiles = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private ClaraInferenceSession? _session;
    private string? _outputDirectory;
    private int _inputs;

    /// <summary><para type="description">The model: an MMAR (an object from Get-Mmar, or the path of its folder or .zip) or a MONAI bundle
    /// (the path of its folder, holding configs/metadata.json; -Bundle is this parameter's alias). A bundle runs its own
    /// inference config with the semantics of its monai_version.</para></summary>
    [Parameter(Mandatory = true)]
    [Alias("Bundle")]
    [ValidateNotNull]
    public object Mmar { get; set; } = null!;

    /// <summary><para type="description">NIfTI files, pictures (PNG, JPEG, BMP), DICOM files or folders. Wildcards are expanded.</para></summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = null!;

    /// <summary><para type="description">Inputs taken as written. Binds PSPath and FullName from Get-ChildItem.</para></summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = null!;

    /// <summary><para type="description">Volumes from Import-MedicalImage.</para></summary>
    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public Volume[] InputObject { get; set; } = null!;

    /// <summary><para type="description">A folder to write &lt;name&gt;_seg.nii.gz into (created, with its parents, when the first result is written; not under -WhatIf). Without it nothing is written; the label map is on the result's Label property. Existing files are replaced only with -Force.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputPath { get; set; }

    /// <summary><para type="description">How DICOM series are named in results and file names: header fields in braces, e.g. '{PatientID}_{SeriesNumber}' or '{StudyDate}_{SeriesDescription}' (fields: PatientID, StudyDate, SeriesNumber, SeriesDescription, SeriesInstanceUID, StudyInstanceUID, Modality). Default '{SeriesInstanceUID}', so no patient identifier reaches a file name unless asked for. Characters file systems refuse become '_'; two series with one name get -2, -3. NIfTI files and pictures keep their file name.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string NameTemplate { get; set; } = OutputNames.DefaultTemplate;

    /// <summary><para type="description">Replace result files that already exist in -OutputPath. Without it an input whose files exist gets an OutputFileExists error and is not run.</para></summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary><para type="description">Auto (a GPU when there is one, default), Cpu, Cuda or Cuda:N.</para></summary>
    [Parameter]
    [ArgumentCompleter(typeof(DeviceCompleter))]
    [ValidateNotNullOrEmpty]
    public string Device { get; set; } = "Auto";

    /// <summary><para type="description">Also write the class probabilities (before argmax) as &lt;name&gt;_prob.nii.gz, on the input's grid.</para></summary>
    [Parameter]
    public SwitchParameter SaveProbabilities { get; set; }

    /// <summary><para type="description">Sliding-window size instead of the config's roi_size.</para></summary>
    [Parameter]
    [ValidateCount(1, 3)]
    [ValidateRange(1, 4096)]
    public long[]? RoiSize { get; set; }

    /// <summary><para type="description">Sliding-window overlap (0 ≤ overlap &lt; 1) instead of the config's.</para></summary>
    [Parameter]
    [ValidateRange(0.0, 0.99)]
    public double? Overlap { get; set; }

    /// <summary><para type="description">Windows per forward pass (sw_batch_size) instead of the config's.</para></summary>
    [Parameter]
    [ValidateRange(1, 1024)]
    public int? BatchSize { get; set; }

    /// <summary><para type="description">Result (default): an MdaiClara.InferenceResult per input. Mdai: for DICOM inputs, the list MD.ai shows (one ANNOTATION per instance and class with its mask, NONE for instances with nothing; a classifier's probabilities), exactly as the generated mdai_deploy.py returns it on MD.ai; with -OutputPath also saved as &lt;name&gt;_mdai.json. DicomSeg: for DICOM series, a binary DICOM Segmentation object referencing the series, written into -OutputPath as &lt;name&gt;_seg.dcm (as Export-DicomSeg writes it; -SegmentMap, -SeriesNumber, -SeriesDescription and -UidRoot shape it), emitting an MdaiClara.DicomSeg per series; it needs -OutputPath.</para></summary>
    [Parameter]
    [ValidateSet("Result", "Mdai", "DicomSeg")]
    public string OutputFormat { get; set; } = "Result";

    /// <summary><para type="description">With -OutputFormat Mdai: label value → MD.ai class_index (default: label − 1); labels left out are not reported.</para></summary>
    [Parameter]
    public System.Collections.Hashtable? LabelToClassIndex { get; set; }

    /// <summary><para type="description">With -OutputFormat DicomSeg: label value → segment name or @{ Label; Category; Type; Color; Description } (see Export-DicomSeg).</para></summary>
    [Parameter]
    public System.Collections.Hashtable? SegmentMap { get; set; }

    /// <summary><para type="description">With -OutputFormat DicomSeg: Series Number of the SEG series (default 9901).</para></summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? SeriesNumber { get; set; }

    /// <summary><para type="description">With -OutputFormat DicomSeg: Series Description of the SEG series (default '&lt;model&gt; segmentation').</para></summary>
    [Parameter]
    [ValidateLength(1, 64)]
    public string? SeriesDescription { get; set; }

    /// <summary><para type="description">With -OutputFormat DicomSeg: the UID root of the new UIDs (default 2.25, UUID-derived).</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? UidRoot { get; set; }

    /// <summary><para type="description">The MONAI version whose numerics to follow (0.5, 0.8.1, 1.3, …) instead of the one the MMAR's Clara version implies.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MonaiSemantics { get; set; }

    private IReadOnlyDictionary<int, int>? _classMap;
    private IReadOnlyDictionary<int, Engine.Imaging.Seg.SegmentDescription>? _segments;

    protected override void BeginProcessing()
    {
        if (OutputNames.Problem(NameTemplate) is { } problem)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-NameTemplate '{NameTemplate}' cannot be used: {problem}"), "NameTemplateInvalid", ErrorCategory.InvalidArgument, NameTemplate));
        }

        if (OutputPath is not null)
        {
            _outputDirectory = ResolveOutputPath(OutputPath, nameof(OutputPath));
        }
        else if (OutputFormat == "DicomSeg")
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-OutputFormat DicomSeg writes a file per series: give -OutputPath, the folder to write <name>_seg.dcm into."), "OutputPathMissing", ErrorCategory.InvalidArgument, OutputFormat));
        }

        try
        {
            var device = DeviceSpec.Parse(Device);
            _classMap = LabelClassMaps.From(LabelToClassIndex);
            _segments = SegmentMaps.From(SegmentMap);
            if (UidRoot is not null)
            {
                Engine.Imaging.Dicom.Writing.DicomUids.CheckRoot(UidRoot);
            }

            var semantics = MonaiSemantics is null ? (Engine.Inference.MonaiSemantics?)null : MonaiSemanticsVersions.Parse(MonaiSemantics);
            var mmarPath = MmarPaths.Resolve(this, Mmar);
            var overrides = new InferenceOverrides(RoiSize, Overlap, BatchSize);
            _session = RunOnWorker(token =>
            {
                if (MmarPaths.IsBundleFolder(mmarPath))
                {
                    using var bundle = BundleAnalyzer.Analyze(mmarPath, token);
                    var model = RunnableModels.FromBundle(bundle);
                    return ClaraInferenceSession.Create(model, new InferenceSessionOptions(device, semantics, overrides), ModuleState.Models, Log);
                }

                using var source = MmarLocator.Open(mmarPath);
                var analysis = MmarAnalyzer.Analyze(source, token);
                return ClaraInferenceSession.Create(RunnableModels.FromMmar(analysis), new InferenceSessionOptions(device, semantics, overrides), ModuleState.Models, Log);
            });
            // The semantics were reported when the session was made; say only what this adds.
            WriteVerbose($"Running on {_session.Device}{(_outputDirectory is null ? "; no output folder was given, so no file is written" : $"; writing into {_outputDirectory}")}.");
        }
        catch (MdaiClaraException ex)
        {
            ThrowEngineError(ex);
        }
    }

    protected override void ProcessRecord()
    {
        if (_session is null)
        {
            return;
        }

        if (ParameterSetName == InputObjectSet)
        {
            foreach (var volume in InputObject)
            {
                Run(InputSource.FromVolume(volume, NameOf(volume)));
            }

            return;
        }

        var literal = ParameterSetName == LiteralPathSet;
        foreach (var path in ResolvePaths(literal ? LiteralPath : Path, literal, ErrorIds.InputNotFound))
        {
            if (Directory.Exists(path) || MedicalImageSources.IsNifti(path) || ImageLoader.IsPicture(path))
            {
                RunPaths(new[] { path });
            }
            else
            {
                // DICOM files given one by one form series together: run them at the end.
                _dicomFiles.Add(path);
            }
        }
    }

    protected override void EndProcessing()
    {
        if (_session is not null && _dicomFiles.Count > 0)
        {
            RunPaths(_dicomFiles);
        }

        if (_session is not null && _inputs == 0)
        {
            WriteVerbose("No input was given or found.");
        }

        _session?.Dispose();
        _session = null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _session?.Dispose();
            _session = null;
        }

        base.Dispose(disposing);
    }

    private void RunPaths(IReadOnlyList<string> paths)
    {
        IReadOnlyList<InputSource> inputs;
        try
        {
            var (found, skipped) = RunOnWorker(token => InferenceInputs.FromPaths(paths, token, Log));
            foreach (var note in skipped)
            {
                if (note.ErrorId is ErrorIds.DicomNotDicom or ErrorIds.DicomNoPixelData)
                {
                    WriteVerbose($"Skipped {note}");
                }
                else
                {
                    WriteWarning($"Skipped {note}");
                }
            }

            inputs = found;
        }
        catch (MdaiClaraException ex)
        {
            WriteEngineError(ex);
            return;
        }

        if (inputs.Count == 0)
        {
            WriteError(new ErrorRecord(
                new ItemNotFoundException($"No NIfTI file, picture or DICOM image was found in {string.Join(", ", paths.Take(3).Select(p => $"'{p}'"))}{(paths.Count > 3 ? " …" : string.Empty)}."),
                ErrorIds.DicomNoImages, ErrorCategory.ObjectNotFound, paths[0]));
            return;
        }

        foreach (var input in inputs)
        {
            Run(input);
        }
    }

    private void Run(InputSource input)
    {
        _inputs++;
        input = Named(input);
        var name = input.Name;
        for (var n = 2; !_names.Add(name); n++)
        {
            name = $"{input.Name}-{n}";
        }

        if (name != input.Name)
        {
            // Two inputs with one name (same file name in two folders) must not overwrite each other's results.
            WriteWarning($"An earlier input of this command is also named '{input.Name}'; this one's results are named '{name}'.");
            input = input.Renamed(name);
        }

        var action = _outputDirectory is null
            ? $"Run the MMAR's inference on {_session!.Device}"
            : $"Run the MMAR's inference on {_session!.Device} and write the results into '{_outputDirectory}' as {name}_seg.nii.gz";
        if (!ShouldProcess(name, action))
        {
            return;
        }

        if (_outputDirectory is not null && !(EnsureOutputFolder(_outputDirectory, name) && OutputFilesOf(name).All(f => MayWrite(f, Force))))
        {
            return;
        }

        var progress = new LatestProgress();
        var activity = $"Invoke-ClaraInference {input.Name}";
        try
        {
            var result = RunOnWorker(
                token => _session!.Run(input, _outputDirectory, SaveProbabilities, progress, token),
                () => progress.WriteTo(this, activity));
            WriteProgress(new ProgressRecord(1, activity, "Done") { RecordType = ProgressRecordType.Completed });
            if (OutputFormat == "Mdai")
            {
                WriteMdai(result);
                return;
            }

            if (OutputFormat == "DicomSeg")
            {
                WriteDicomSeg(result);
                return;
            }

            WriteObject(TypeNames.Tag(result, TypeNames.InferenceResult));
        }
        catch (MdaiClaraException ex) when (ex.ErrorId is ErrorIds.CudaUnavailable or ErrorIds.TorchRuntimeLoadFailed)
        {
            ThrowEngineError(ex);
        }
        catch (MdaiClaraException ex)
        {
            WriteProgress(new ProgressRecord(1, activity, "Failed") { RecordType = ProgressRecordType.Completed });
            WriteEngineError(ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteError(new ErrorRecord(new IOException($"Cannot write into '{_outputDirectory}': {ex.Message}", ex), "InferenceWriteFailed", ErrorCategory.WriteError, _outputDirectory));
        }
        catch (Exception ex) when (IsUnexpected(ex))
        {
            WriteUnexpectedError(ex, input.Name);
        }
    }

    private static string NameOf(Volume volume) =>
        volume.Dicom?.SeriesInstanceUid is { Length: > 0 } uid ? uid : InferenceInputs.Stem(volume.Source);

    /// <summary>A DICOM series named by -NameTemplate; any name made safe as a file name.</summary>
    private InputSource Named(InputSource input)
    {
        var name = input.Series is { Instances.Count: > 0 } series ? OutputNames.Apply(NameTemplate, SeriesNameFields.From(series))
            : input.Volume?.Dicom is { } dicom ? OutputNames.Apply(NameTemplate, SeriesNameFields.From(dicom, input.Volume.Modality))
            : OutputNames.Sanitize(input.Name);
        return name == input.Name ? input : input.Renamed(name);
    }

    /// <summary>The files a run of this input may write into -OutputPath.</summary>
    private IEnumerable<string> OutputFilesOf(string name)
    {
        var stem = System.IO.Path.Combine(_outputDirectory!, InferenceInputs.SafeFileName(name));
        yield return stem + "_seg.nii.gz";
        if (SaveProbabilities)
        {
            yield return stem + "_prob.nii.gz";
        }

        if (OutputFormat == "Mdai")
        {
            yield return stem + "_mdai.json";
        }

        if (OutputFormat == "DicomSeg")
        {
            yield return stem + "_seg.dcm";
        }
    }

    /// <summary>The worker's latest window count; the pipeline thread turns it into progress records.</summary>
    private sealed class LatestProgress : IProgress<InferenceProgress>
    {
        // Done and total packed in one long, so the worker's write and the pipeline thread's read are atomic.
        private long _latest;
        private long _written = -1;

        public void Report(InferenceProgress value) => Interlocked.Exchange(ref _latest, ((long)value.WindowsDone << 32) | (uint)value.WindowsTotal);

        public void WriteTo(Cmdlet cmdlet, string activity)
        {
            var now = Interlocked.Read(ref _latest);
            var done = (int)(now >> 32);
            var total = (int)(now & uint.MaxValue);
            if (total == 0 || now == _written)
            {
                return;
            }

            _written = now;
            cmdlet.WriteProgress(new ProgressRecord(1, activity, $"Window {done} of {total}")
            {
                PercentComplete = (int)(100L * done / total),
            });
        }
    }
}
