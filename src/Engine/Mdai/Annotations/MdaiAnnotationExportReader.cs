using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Mdai.Annotations;

/// <summary>
/// Reads MD.ai's annotation export with a forward JSON reader straight into typed records (no document tree, so a
/// large export costs about its own size), checking shapes as it goes: anything out of place is an
/// MdaiAnnotationExportInvalid error naming the file, line:column and what was expected. Unknown keys are skipped.
/// </summary>
internal sealed partial class MdaiAnnotationExportReader(byte[] utf8, string source, CancellationToken ct)
{
    private readonly int _start = utf8.Length >= 3 && utf8[0] == 0xEF && utf8[1] == 0xBB && utf8[2] == 0xBF ? 3 : 0;
    private readonly List<MdaiLabel> _labels = [];
    private readonly List<MdaiDataset> _datasets = [];
    private readonly List<MdaiAnnotation> _annotations = [];
    private string? _projectId;
    private string? _name;

    public MdaiAnnotationExport Read()
    {
        if (utf8.AsSpan(_start).Trim(" \t\r\n"u8).IsEmpty)
        {
            throw Invalid(0, "the file is empty; an MD.ai annotation export is a JSON object with labelGroups and datasets");
        }

        var reader = new Utf8JsonReader(utf8.AsSpan(_start), new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            reader.Read();
            ReadRoot(ref reader);
            if (reader.Read())
            {
                throw Invalid(ref reader, "more JSON follows the export's closing brace");
            }
        }
        catch (JsonException ex)
        {
            var line = (ex.LineNumber ?? 0) + 1;
            var column = (ex.BytePositionInLine ?? 0) + 1;
            var what = ex.Message;
            var cut = what.IndexOf(" LineNumber:", StringComparison.Ordinal);
            what = cut > 0 ? what[..cut].TrimEnd('.', ' ') : what;
            throw new MdaiClaraException($"{source} is not valid JSON at line {line}, column {column}: {what}. Export it again from MD.ai (Project → Export → Annotations, JSON).", ErrorIds.MdaiAnnotationExportInvalid, ErrorKind.InvalidData, source, ex);
        }

        return new MdaiAnnotationExport(source, _projectId, _name, _labels, _datasets, _annotations);
    }

    private void ReadRoot(ref Utf8JsonReader r)
    {
        Expect(ref r, JsonTokenType.StartObject, "The export", "an object with labelGroups and datasets (an MD.ai annotation export)");
        var sawLabels = false;
        var sawDatasets = false;
        while (NextProperty(ref r, out var name))
        {
            switch (name)
            {
                case "id": _projectId = String(ref r, "The project id"); break;
                case "name": _name = String(ref r, "The project name"); break;
                case "labelGroups": sawLabels = true; Array(ref r, "labelGroups", ReadLabelGroup); break;
                case "datasets": sawDatasets = true; Array(ref r, "datasets", ReadDataset); break;
                default: r.Skip(); break;
            }
        }

        if (!sawLabels && !sawDatasets)
        {
            throw Invalid(0, "it has neither labelGroups nor datasets, so it is not an MD.ai annotation export (a model-outputs or DICOM-metadata export?)");
        }
    }

    private void ReadLabelGroup(ref Utf8JsonReader r)
    {
        Expect(ref r, JsonTokenType.StartObject, "A label group", "an object");
        string? id = null, name = null;
        var first = _labels.Count;
        while (NextProperty(ref r, out var key))
        {
            switch (key)
            {
                case "id": id = String(ref r, "A label group's id"); break;
                case "name": name = String(ref r, "A label group's name"); break;
                case "labels": Array(ref r, "labels", ReadLabel); break;
                default: r.Skip(); break;
            }
        }

        for (var i = first; i < _labels.Count; i++)
        {
            _labels[i] = _labels[i] with { GroupId = id, GroupName = name };
        }
    }

    private void ReadLabel(ref Utf8JsonReader r)
    {
        var at = r.TokenStartIndex;
        Expect(ref r, JsonTokenType.StartObject, "A label", "an object");
        string? id = null, name = null, shortName = null, parentId = null, type = null, scope = null, mode = null, color = null;
        while (NextProperty(ref r, out var key))
        {
            switch (key)
            {
                case "id": id = String(ref r, "A label's id"); break;
                case "name": name = String(ref r, "A label's name"); break;
                case "shortName": shortName = String(ref r, "A label's shortName"); break;
                case "parentId": parentId = String(ref r, "A label's parentId"); break;
                case "type": type = String(ref r, "A label's type"); break;
                case "scope": scope = String(ref r, "A label's scope"); break;
                case "annotationMode": mode = String(ref r, "A label's annotationMode"); break;
                case "color": color = String(ref r, "A label's color"); break;
                default: r.Skip(); break;
            }
        }

        if (string.IsNullOrEmpty(id))
        {
            throw Invalid(at, "this label has no id (L_…)");
        }

        _labels.Add(new MdaiLabel
        {
            Id = id,
            Name = name ?? id,
            ShortName = shortName,
            ParentId = parentId,
            Type = type,
            Scope = scope,
            AnnotationMode = mode is null ? MdaiAnnotationMode.Global : ParseMode(mode) ?? MdaiAnnotationMode.Global,
            AnnotationModeText = mode,
            Color = color,
        });
    }

    internal static MdaiAnnotationMode? ParseMode(string mode) => mode.ToLowerInvariant() switch
    {
        "bbox" => MdaiAnnotationMode.Bbox,
        "polygon" => MdaiAnnotationMode.Polygon,
        "freeform" => MdaiAnnotationMode.Freeform,
        "line" => MdaiAnnotationMode.Line,
        "location" => MdaiAnnotationMode.Location,
        "mask" => MdaiAnnotationMode.Mask,
        _ => null,
    };

    private void ReadDataset(ref Utf8JsonReader r)
    {
        Expect(ref r, JsonTokenType.StartObject, "A dataset", "an object");
        string? id = null, name = null, type = null;
        var studies = new List<MdaiStudy>();
        var first = _annotations.Count;
        while (NextProperty(ref r, out var key))
        {
            switch (key)
            {
                case "id": id = String(ref r, "A dataset's id"); break;
                case "name": name = String(ref r, "A dataset's name"); break;
                case "type": type = String(ref r, "A dataset's type"); break;
                case "studies": Array(ref r, "studies", (ref Utf8JsonReader s) => studies.Add(ReadStudy(ref s))); break;
                case "annotations": Array(ref r, "annotations", ReadAnnotation); break;
                default: r.Skip(); break;
            }
        }

        id ??= $"dataset {_datasets.Count + 1}";
        for (var i = first; i < _annotations.Count; i++)
        {
            _annotations[i] = _annotations[i] with { DatasetId = id };
        }

        _datasets.Add(new MdaiDataset(id, name, type, studies, _annotations.Count - first));
    }

    private MdaiStudy ReadStudy(ref Utf8JsonReader r)
    {
        var at = r.TokenStartIndex;
        Expect(ref r, JsonTokenType.StartObject, "A study", "an object");
        string? uid = null;
        int? number = null;
        while (NextProperty(ref r, out var key))
        {
            switch (key)
            {
                case "StudyInstanceUID": uid = String(ref r, "A study's StudyInstanceUID"); break;
                case "number": number = Int(ref r, "A study's number"); break;
                default: r.Skip(); break;
            }
        }

        return new MdaiStudy(uid ?? throw Invalid(at, "this study has no StudyInstanceUID"), number);
    }

    private void ReadAnnotation(ref Utf8JsonReader r)
    {
        ct.ThrowIfCancellationRequested();
        var at = r.TokenStartIndex;
        Expect(ref r, JsonTokenType.StartObject, "An annotation", "an object");
        string? id = null, labelId = null, study = null, series = null, sop = null, note = null, createdBy = null;
        int? frame = null, width = null, height = null;
        MdaiAnnotationData? data = null;
        while (NextProperty(ref r, out var key))
        {
            switch (key)
            {
                case "id": id = String(ref r, "An annotation's id"); break;
                case "labelId": labelId = String(ref r, "An annotation's labelId"); break;
                case "StudyInstanceUID": study = String(ref r, "An annotation's StudyInstanceUID"); break;
                case "SeriesInstanceUID": series = String(ref r, "An annotation's SeriesInstanceUID"); break;
                case "SOPInstanceUID": sop = String(ref r, "An annotation's SOPInstanceUID"); break;
                case "frameNumber": frame = Int(ref r, "An annotation's frameNumber"); break;
                case "width": width = Int(ref r, "An annotation's width"); break;
                case "height": height = Int(ref r, "An annotation's height"); break;
                case "data": data = ReadData(ref r); break;
                case "note": note = r.TokenType == JsonTokenType.String ? r.GetString() : SkipValue(ref r); break;
                case "createdById": createdBy = String(ref r, "An annotation's createdById"); break;
                default: r.Skip(); break;
            }
        }

        var (line, column) = Where(at);
        id ??= $"annotation at line {line}";
        if (string.IsNullOrEmpty(labelId))
        {
            throw Invalid(at, $"annotation {id} has no labelId");
        }

        _annotations.Add(new MdaiAnnotation
        {
            Id = id,
            LabelId = labelId,
            StudyInstanceUid = study,
            SeriesInstanceUid = series,
            SopInstanceUid = sop,
            FrameNumber = frame,
            Width = width,
            Height = height,
            Data = data,
            Note = note,
            CreatedById = createdBy,
            Line = line,
            Column = column,
        });
    }

    private static string? SkipValue(ref Utf8JsonReader r)
    {
        r.Skip();
        return null;
    }
}
