using System;
using System.Collections;
using System.IO;
using System.Management.Automation;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Imaging.Seg;
using MdaiClara.Engine.Inference.Pipeline;

namespace MdaiClara.Cmdlets.Commands;

/// <summary>
/// <para type="synopsis">Writes a segmentation of a DICOM series as a DICOM Segmentation object (binary SEG) that a PACS shows beside the study.</para>
/// <para type="description">Takes an inference result of a DICOM series (from Invoke-ClaraInference) or a label volume on a
/// DICOM series' grid, and writes one binary Segmentation object (DICOM PS3.3 A.51, explicit VR little endian) that
/// references the source series: the source's patient and study, a new series (Modality SEG) with new UIDs, MdaiClara as
/// the equipment, one segment per label value present (named by the model's classes or -SegmentMap, algorithm type
/// AUTOMATIC with the model's name, version and TorchScript SHA-256), and one 1-bit frame per segmented (segment, slice)
/// pair, lined up with the source instance it references. -Path is a .dcm file, or a folder to write
/// &lt;name&gt;_seg.dcm into (created when missing). Existing files are replaced only with -Force.</para>
/// <example><code>$r = Invoke-ClaraInference -Mmar ./mmar -Path ./studies/ct1
/// $r | Export-DicomSeg -Path ./seg.dcm</code>
/// <para>Segments the series and writes the result as ./seg.dcm, with the segment names the MMAR gives its labels.</para></example>
/// <example><code>Invoke-ClaraInference -Mmar ./mmar -Path ./studies/ct1 |
///     Export-DicomSeg -Path ./segs -SegmentMap @{ 1 = @{ Label = 'Spleen'; Category = 'SCT:123037004:Anatomical Structure'; Type = 'SCT:78961009:Spleen'; Color = '#e6194b' } } -SeriesNumber 901 -SeriesDescription 'Spleen (AI)' -Force</code>
/// <para>Writes ./segs/&lt;SeriesInstanceUID&gt;_seg.dcm with SNOMED codes and a colour for the spleen segment, as series 901.</para></example>
/// <example><code>$r = Import-MedicalImage ./studies/ct1 | Invoke-ClaraInference -Mmar ./mmar
/// Export-DicomSeg -InputObject $r.Label -Path ./seg.dcm -WhatIf</code>
/// <para>Shows where the label volume's segmentation would be written, without writing it.</para></example>
/// </summary>
[Cmdlet(VerbsData.Export, "DicomSeg", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(DicomSegResult))]
public sealed class ExportDicomSegCommand : ClaraCmdlet
{
    private System.Collections.Generic.IReadOnlyDictionary<int, SegmentDescription>? _segments;

    /// <summary><para type="description">An InferenceResult of a DICOM series (Invoke-ClaraInference), or a label volume on a DICOM series' grid.</para></summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public object InputObject { get; set; } = null!;

    /// <summary><para type="description">The .dcm file to write, or a folder to write &lt;name&gt;_seg.dcm into.</para></summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = null!;

    /// <summary><para type="description">Label value → segment name, or → @{ Label; Category; Type ('SCHEME:VALUE:Meaning', e.g. 'SCT:78961009:Spleen'); Color ('#rrggbb'); Description }. Labels left out get the model's class name, category SCT 85756007 'Tissue', type SCT 113343008 'Organ' and a palette colour.</para></summary>
    [Parameter]
    public Hashtable? SegmentMap { get; set; }

    /// <summary><para type="description">Series Number of the new series (default 9901).</para></summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? SeriesNumber { get; set; }

    /// <summary><para type="description">Series Description of the new series (at most 64 characters; default '&lt;model&gt; segmentation').</para></summary>
    [Parameter]
    [ValidateLength(1, 64)]
    public string? SeriesDescription { get; set; }

    /// <summary><para type="description">Your organisation's UID root for the new UIDs (at most 36 characters); default 2.25 (UUID-derived UIDs, unique without registration).</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? UidRoot { get; set; }

    /// <summary><para type="description">Replace a file that exists.</para></summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void BeginProcessing()
    {
        try
        {
            _segments = SegmentMaps.From(SegmentMap);
            if (UidRoot is not null)
            {
                Engine.Imaging.Dicom.Writing.DicomUids.CheckRoot(UidRoot);
            }
        }
        catch (MdaiClaraException ex)
        {
            ThrowEngineError(ex);
        }
    }

    protected override void ProcessRecord()
    {
        var input = InputObject is PSObject ps ? ps.BaseObject : InputObject;
        var (labels, result, name) = input switch
        {
            InferenceResult r => (r.Label, r, r.Input),
            Volume v => (v, null, v.Dicom?.SeriesInstanceUid ?? System.IO.Path.GetFileName(v.Source)),
            _ => (null, null, input.ToString() ?? "input"),
        };
        if (labels is null)
        {
            var why = input is InferenceResult ? $"the inference result of {name} has no label map (a classification?)" : $"{input.GetType().Name} is neither an InferenceResult nor a Volume";
            WriteError(new ErrorRecord(new ArgumentException($"Cannot write a segmentation: {why}."), ErrorIds.SegLabelsInvalid, ErrorCategory.InvalidArgument, InputObject));
            return;
        }

        var full = ResolveOutputPath(Path, nameof(Path));
        var kind = ClassifyOutputPath(full, ".dcm");
        if (kind == OutputPathKind.Unknown)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-Path '{Path}' must be a .dcm file or a folder."), OutputPathInvalidErrorId, ErrorCategory.InvalidArgument, Path));
        }

        var file = kind == OutputPathKind.Folder ? System.IO.Path.Combine(full, InferenceInputs.SafeFileName(name) + "_seg.dcm") : full;
        if (!ShouldProcess(file, $"Write a DICOM segmentation of {name}"))
        {
            return;
        }

        if (!EnsureOutputFolder(System.IO.Path.GetDirectoryName(file)!, InputObject) || !MayWrite(file, Force))
        {
            return;
        }

        try
        {
            var options = SegmentMaps.Options(result, _segments!, SeriesNumber, SeriesDescription, UidRoot);
            var written = RunOnWorker(token => DicomSegWriter.Write(labels, options, file, token));
            WriteObject(TypeNames.Tag(written, TypeNames.DicomSeg));
        }
        catch (MdaiClaraException ex) when (ex.ErrorId == ErrorIds.SegSourceNotDicom)
        {
            WriteEngineError(new MdaiClaraException(
                ex.Message + " Run Invoke-ClaraInference on the DICOM series (a folder or its files), or import the series with Import-MedicalImage.", ex.ErrorId, ex.Kind, ex.Target, ex));
        }
        catch (MdaiClaraException ex)
        {
            WriteEngineError(ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteError(new ErrorRecord(new IOException($"Cannot write '{file}': {ex.Message}", ex), "DicomSegWriteFailed", ErrorCategory.WriteError, file));
        }
        catch (Exception ex) when (IsUnexpected(ex))
        {
            WriteUnexpectedError(ex, name);
        }
    }
}
