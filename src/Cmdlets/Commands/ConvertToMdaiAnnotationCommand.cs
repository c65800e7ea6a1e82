using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Mdai.Annotations;

namespace MdaiClara.Cmdlets.Commands;

/// <summary>
/// <para type="synopsis">Turns model results into MD.ai annotation import items (pre-annotation): masks as exact foreground/background polygons.</para>
/// <para type="description">Takes Invoke-ClaraInference results, label volumes on a DICOM series (or on the grid of a series given
/// with -Series), or the per-instance outputs of Invoke-ClaraInference -OutputFormat Mdai, and makes the items MD.ai's annotation
/// import takes (what mdai-client-py's import_annotations sends): labelId, StudyInstanceUID, SeriesInstanceUID, SOPInstanceUID,
/// frameNumber for multi-frame instances, and data with foreground and background polygon lists. -LabelId maps each class to the
/// project's label id (L_…): label values of a segmentation (1 = the first structure), class_index of -OutputFormat Mdai outputs,
/// class indexes of a classifier, or class names of a result. One mask annotation is made per instance and class.</para>
/// <para type="description">The polygons are exact: drawn as MD.ai draws them (foreground polygons filled, then background polygons
/// cleared, OpenCV fillPoly) they give the mask back pixel for pixel, holes, islands inside holes, one-pixel parts and diagonal
/// contacts included (mdai-client-py's own convert_mask_data loses pixels around every hole). Classes without a label id are named
/// in a warning. Without -Path the items are emitted; with -Path they are written, as one JSON list, to that file.</para>
/// <example><code>$truth = Import-MdaiAnnotation ./mdai_annotations.json -Study ./studies/ct1 -LabelName Organ, Lesion
/// $truth | ConvertTo-MdaiAnnotation -LabelId @{ 1 = 'L_phOrgan'; 2 = 'L_phLesion' } | Select-Object -First 3</code>
/// <para>Turns a label volume on the phantom series back into MD.ai annotation items, one per instance and label.</para></example>
/// <example><code>Invoke-ClaraInference -Mmar ./mmar -Path ./studies/ct1 |
///     ConvertTo-MdaiAnnotation -LabelId @{ 1 = 'L_phOrgan'; 2 = 'L_phLesion' } -Path ./preannotations.json
/// (Get-Content ./preannotations.json | ConvertFrom-Json).Count</code>
/// <para>Runs the sample model on the phantom series and writes its segmentation as an MD.ai annotation import file (for
/// mdai-client-py's import_annotations), so radiologists correct the model's result instead of drawing from scratch.</para></example>
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "MdaiAnnotation", SupportsShouldProcess = true)]
[OutputType(typeof(MdaiImportAnnotation), typeof(FileInfo))]
public sealed class ConvertToMdaiAnnotationCommand : ClaraCmdlet
{
    private readonly List<MdaiImportAnnotation> _collected = [];
    private readonly List<string> _warnings = [];
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);
    private string? _outputFile;

    /// <summary><para type="description">An InferenceResult, a label Volume, or an output of Invoke-ClaraInference -OutputFormat Mdai.</para></summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public PSObject InputObject { get; set; } = null!;

    /// <summary><para type="description">Class → MD.ai label id, e.g. @{ 1 = 'L_abc123' }: label value, class_index or class name.</para></summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNull]
    public Hashtable LabelId { get; set; } = null!;

    /// <summary><para type="description">The DICOM series (Import-MedicalImage) a label volume belongs to, when the volume itself carries no DICOM geometry (e.g. read from NIfTI).</para></summary>
    [Parameter]
    public Volume? Series { get; set; }

    /// <summary><para type="description">Write the items to this JSON file (one list) instead of emitting them; emits the file.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary><para type="description">Replace the -Path file when it exists.</para></summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void BeginProcessing()
    {
        if (Path is not null)
        {
            _outputFile = ResolveOutputPath(Path, nameof(Path));
        }
    }

    protected override void ProcessRecord()
    {
        var input = InputObject.BaseObject;
        try
        {
            var items = input switch
            {
                InferenceResult result => MdaiAnnotationImportBuilder.FromInferenceResult(result, Ids(result.Classes.Select(c => (c.Label, c.Name)).Concat(result.Probabilities.Select(p => (p.Index, p.Name))).Concat(result.Decided.Select(d => (d.Index, d.Name)))), _warnings, StopToken),
                Volume volume => MdaiAnnotationImportBuilder.FromLabelVolume(volume, Series, Ids([]), _warnings, StopToken),
                _ when InputObject.Properties["class_index"] is not null || InputObject.Properties["type"]?.Value is string => MdaiAnnotationImportBuilder.FromOutputs([Output(InputObject)], Ids([]), _warnings, StopToken),
                _ => throw new MdaiClaraException(
                    $"{input.GetType().Name} is not a result ConvertTo-MdaiAnnotation knows: give Invoke-ClaraInference results, label volumes, or Invoke-ClaraInference -OutputFormat Mdai outputs.",
                    ErrorIds.MdaiAnnotationConversionFailed,
                    ErrorKind.InvalidArgument,
                    input),
            };
            foreach (var item in RunOnWorker(_ => items.ToList()))
            {
                if (_outputFile is null)
                {
                    WriteObject(TypeNames.Tag(item, TypeNames.MdaiImportAnnotation));
                }
                else
                {
                    _collected.Add(item);
                }
            }
        }
        catch (MdaiClaraException ex)
        {
            WriteEngineError(ex);
        }
        catch (Exception ex) when (IsUnexpected(ex))
        {
            WriteUnexpectedError(ex, input.ToString() ?? "input");
        }

        FlushWarnings();
    }

    protected override void EndProcessing()
    {
        if (_outputFile is null || !MayWrite(_outputFile, Force) || !ShouldProcess(_outputFile, $"Write {_collected.Count} MD.ai annotation(s)"))
        {
            return;
        }

        try
        {
            MdaiAnnotationImportBuilder.Write(_collected, _outputFile);
            WriteObject(new FileInfo(_outputFile));
        }
        catch (MdaiClaraException ex)
        {
            WriteEngineError(ex);
        }
    }

    private void FlushWarnings()
    {
        foreach (var warning in _warnings.Where(_warned.Add))
        {
            WriteWarning($"{warning.TrimEnd('.')} (-LabelId).");
        }

        _warnings.Clear();
    }

    /// <summary>-LabelId as class → id; names are looked up among the result's classes.</summary>
    private Dictionary<int, string> Ids(IEnumerable<(int Value, string Name)> classes)
    {
        var byName = classes.GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.OrdinalIgnoreCase);
        var ids = new Dictionary<int, string>();
        foreach (DictionaryEntry entry in LabelId)
        {
            var key = entry.Key is PSObject ps ? ps.BaseObject : entry.Key;
            int? value = key switch
            {
                int i => i,
                long l when l is >= 0 and <= int.MaxValue => (int)l,
                string s when int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
                string s when byName.TryGetValue(s, out var named) => named,
                _ => null,
            };
            if (value is null || entry.Value?.ToString() is not { Length: > 0 } id)
            {
                throw new MdaiClaraException(
                    $"-LabelId entry '{entry.Key}' = '{entry.Value}' is not a class (a label value, class_index{(byName.Count > 0 ? ", or one of " + string.Join(", ", byName.Keys) : string.Empty)}) with an MD.ai label id: write it as @{{ 1 = 'L_abc123' }}.",
                    ErrorIds.MdaiAnnotationConversionFailed,
                    ErrorKind.InvalidArgument,
                    entry.Key);
            }

            ids[value.Value] = id;
        }

        return ids;
    }

    /// <summary>An -OutputFormat Mdai output (or the same dict from ConvertFrom-Json) as its parts.</summary>
    private static (string, string?, string?, int?, int?, int, int, byte[]?) Output(PSObject o)
    {
        string? Text(string name) => o.Properties[name]?.Value?.ToString();
        int? Int(string name) => o.Properties[name]?.Value is { } v && v is not string ? Convert.ToInt32(v is PSObject p ? p.BaseObject : v, CultureInfo.InvariantCulture) : null;
        var study = Text("study_uid") ?? throw Bad("it has no study_uid");
        var classIndex = Int("class_index");
        if (classIndex is null)
        {
            return (study, Text("series_uid"), Text("instance_uid"), Int("frame_number"), null, 0, 0, null);
        }

        var data = o.Properties["data"]?.Value;
        var mask = (data is PSObject pd ? pd.Properties["mask"]?.Value : (data as IDictionary)?["mask"]) ?? throw Bad("its data has no mask (only segmentation outputs become mask annotations)");
        var rows = ((IEnumerable)(mask is PSObject pm ? pm.BaseObject : mask)).Cast<object>().Select(r => ((IEnumerable)(r is PSObject pr ? pr.BaseObject : r)).Cast<object>().Select(v => Convert.ToByte(Convert.ToDouble(v is PSObject pv ? pv.BaseObject : v, CultureInfo.InvariantCulture) != 0)).ToArray()).ToList();
        if (rows.Count == 0 || rows.Any(r => r.Length != rows[0].Length || r.Length == 0))
        {
            throw Bad("its mask is not a rectangular list of rows");
        }

        return (study, Text("series_uid"), Text("instance_uid"), Int("frame_number"), classIndex, rows.Count, rows[0].Length, rows.SelectMany(r => r).ToArray());
    }

    private static MdaiClaraException Bad(string why) =>
        new($"An MD.ai output cannot become an annotation: {why}.", ErrorIds.MdaiAnnotationConversionFailed, ErrorKind.InvalidData);
}
