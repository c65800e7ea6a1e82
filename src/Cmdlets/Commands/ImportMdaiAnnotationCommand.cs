using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Mdai.Annotations;

namespace MdaiClara.Cmdlets.Commands;

/// <summary>
/// <para type="synopsis">Reads an MD.ai annotation export: typed annotations, or with -Study label volumes on the DICOM series' grids.</para>
/// <para type="description">Reads the JSON MD.ai's Project → Export → Annotations writes (labels, datasets, annotations) and emits one
/// MdaiClara.MdaiAnnotation per annotation, with its label, mode (mask, freeform, polygon, bbox, location, line, or global for
/// classification labels), instance and drawing. A malformed export is an error naming the file, line and column.</para>
/// <para type="description">With -Study (DICOM folders or files), the annotations of each series become a label volume on that
/// series' own grid (an MdaiClara.Volume like Import-MedicalImage's, ready for Export-MedicalImage or Measure-ClaraModel): each
/// annotation is matched to its slice by SOPInstanceUID and frame and drawn exactly as MD.ai's own client draws it (OpenCV fillPoly
/// with int32 vertices, background polygons cleared after foreground; boxes, 7-pixel location discs and 12-pixel lines as its
/// load_mask). -LabelName picks labels (values 1, 2, … in the order given) and -LabelMap sets the values; without either every
/// drawable label gets 1, 2, … in the export's order. Annotations that cannot be placed (instance not in the series, unknown label
/// id, frame out of range, global labels) are named in warnings, never dropped silently. Series with none of the chosen
/// annotations are skipped (see -Verbose).</para>
/// <example><code>Import-MdaiAnnotation ./mdai_annotations.json | Group-Object LabelName | Select-Object Name, Count</code>
/// <para>Counts the annotations of each label in the export.</para></example>
/// <example><code>Import-MdaiAnnotation ./mdai_annotations.json -Study ./studies/ct1 -LabelName Organ, Lesion | Export-MedicalImage ./truth</code>
/// <para>Turns the Organ (1) and Lesion (2) annotations into a label volume on the phantom series' grid and saves it as NIfTI ground truth.</para></example>
/// <example><code>$truth = Import-MdaiAnnotation ./mdai_annotations.json -Study ./studies/ct1 -LabelMap @{ Organ = 1; Lesion = 1 }
/// $truth.Shape -join 'x'</code>
/// <para>Makes a binary mask (organ and lesion both 1) on the series' grid and shows its shape.</para></example>
/// </summary>
[Cmdlet(VerbsData.Import, "MdaiAnnotation", DefaultParameterSetName = PathSet)]
[OutputType(typeof(MdaiAnnotation), typeof(Volume))]
public sealed class ImportMdaiAnnotationCommand : ClaraCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    /// <summary><para type="description">The annotation export JSON file(s). Wildcards are expanded.</para></summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = null!;

    /// <summary><para type="description">The export file(s), taken as written. Binds PSPath and FullName from Get-ChildItem.</para></summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = null!;

    /// <summary><para type="description">DICOM folders or files of the annotated studies. Given: one label volume per series that has annotations.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Study { get; set; }

    /// <summary><para type="description">Label names, short names or ids (L_…) to keep. With -Study their class values are 1, 2, … in this order.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? LabelName { get; set; }

    /// <summary><para type="description">With -Study: label name or id → class value, e.g. @{ Spleen = 1; Liver = 2 }. Labels sharing a value merge.</para></summary>
    [Parameter]
    [ValidateNotNull]
    public Hashtable? LabelMap { get; set; }

    protected override void BeginProcessing()
    {
        if (LabelName is not null && LabelMap is not null)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("Give -LabelName or -LabelMap, not both: -LabelMap already names the labels."), ErrorIds.MdaiAnnotationLabelOptionsConflict, ErrorCategory.InvalidArgument, LabelMap));
        }
    }

    protected override void ProcessRecord()
    {
        var literal = ParameterSetName == LiteralPathSet;
        foreach (var path in ResolvePaths(literal ? LiteralPath : Path, literal, ErrorIds.MdaiAnnotationExportNotFound))
        {
            try
            {
                var export = RunOnWorker(token => MdaiAnnotationExport.Read(path, token));
                WriteVerbose($"{path}: {export}.");
                if (Study is null)
                {
                    EmitAnnotations(export);
                }
                else
                {
                    EmitLabelVolumes(export);
                }
            }
            catch (MdaiClaraException ex)
            {
                WriteEngineError(ex);
            }
            catch (Exception ex) when (IsUnexpected(ex))
            {
                WriteUnexpectedError(ex, path);
            }
        }
    }

    private void EmitAnnotations(MdaiAnnotationExport export)
    {
        var names = (LabelName ?? []).Concat(LabelMap?.Keys.Cast<object>().Select(k => k.ToString()!) ?? []).ToList();
        var keep = names.Count == 0 ? null : names.SelectMany(export.ResolveLabel).Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var annotation in export.Annotations)
        {
            if (keep is not null && !keep.Contains(annotation.LabelId))
            {
                continue;
            }

            var label = export.FindLabel(annotation.LabelId);
            var item = TypeNames.Tag(annotation, TypeNames.MdaiAnnotation);
            item.Properties.Add(new PSNoteProperty("LabelName", label?.Name));
            item.Properties.Add(new PSNoteProperty("Mode", label is null ? null : label.IsDrawable || label.IsGlobal ? label.AnnotationMode.ToString().ToLowerInvariant() : label.AnnotationModeText));
            item.Properties.Add(new PSNoteProperty("Label", label));
            WriteObject(item);
        }
    }

    private void EmitLabelVolumes(MdaiAnnotationExport export)
    {
        var labelMap = LabelValues();
        var files = new List<string>();
        foreach (var study in ResolvePaths(Study!, literal: false, ErrorIds.InputNotFound))
        {
            files.AddRange(Directory.Exists(study) ? MedicalImageSources.From([study]).DicomCandidates : [study]);
        }

        var scan = RunOnWorker(token => DicomSeriesAssembler.Scan(files.Distinct(StringComparer.Ordinal).ToList(), token, Log));
        var annotatedSeries = export.Annotations.Select(a => a.SeriesInstanceUid).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var emitted = 0;
        foreach (var series in scan.Series)
        {
            if (!annotatedSeries.Contains(series.SeriesInstanceUid))
            {
                WriteVerbose($"Series {series.SeriesInstanceUid} has no annotations in {export.Source}; skipped.");
                continue;
            }

            var volume = RunOnWorker(token => DicomSeriesAssembler.Assemble(series, token, Log));
            var result = RunOnWorker(token => AnnotationRasterizer.ToLabelVolume(export, volume, labelMap, token));
            foreach (var warning in result.Warnings)
            {
                WriteWarning(warning);
            }

            WriteVerbose($"Series {series.SeriesInstanceUid}: {result.DrawnCount} annotation(s) drawn ({string.Join(", ", result.LabelValues.Select(p => $"{export.FindLabel(p.Key)?.Name ?? p.Key} = {p.Value}"))}).");
            WriteObject(TypeNames.Tag(result.Labels, TypeNames.Volume));
            emitted++;
        }

        if (emitted == 0)
        {
            WriteError(new ErrorRecord(
                new ItemNotFoundException($"No series under -Study ({string.Join(", ", Study!)}) has annotations in {export.Source}; the export's annotations are on series {string.Join(", ", annotatedSeries.Take(5))}{(annotatedSeries.Count > 5 ? ", …" : string.Empty)}."),
                ErrorIds.MdaiAnnotationNoSeries, ErrorCategory.ObjectNotFound, Study));
        }
    }

    private Dictionary<string, int> LabelValues()
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        if (LabelName is not null)
        {
            for (var i = 0; i < LabelName.Length; i++)
            {
                map[LabelName[i]] = i + 1;
            }
        }

        foreach (DictionaryEntry entry in LabelMap ?? [])
        {
            var value = entry.Value is PSObject ps ? ps.BaseObject : entry.Value;
            if (value is not (int or long or short or byte) || Convert.ToInt64(value, CultureInfo.InvariantCulture) is < 1 or > ushort.MaxValue)
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-LabelMap value '{entry.Value}' for '{entry.Key}' is not a class value (a whole number from 1 to 65535): write it as @{{ Spleen = 1 }}."), ErrorIds.MdaiAnnotationLabelUnknown, ErrorCategory.InvalidArgument, entry.Value));
            }

            map[entry.Key.ToString()!] = Convert.ToInt32(value, CultureInfo.InvariantCulture);
        }

        return map;
    }
}
