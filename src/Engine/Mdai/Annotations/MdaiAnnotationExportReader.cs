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
internal sealed class MdaiAnnotationExportReader(byte[] utf8, string source, CancellationToken ct)
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

    private MdaiAnnotationData? ReadData(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var at = r.TokenStartIndex;
        Expect(ref r, JsonTokenType.StartObject, "An annotation's data", "an object or null");
        List<MdaiPoint>? vertices = null;
        List<IReadOnlyList<MdaiPoint>>? foreground = null, background = null;
        var sawMask = false;
        double? x = null, y = null, width = null, height = null;
        while (NextProperty(ref r, out var key))
        {
            switch (key)
            {
                case "vertices": vertices = Polygon(ref r, "vertices"); break;
                case "foreground": sawMask = true; foreground = Polygons(ref r, "foreground"); break;
                case "background": sawMask = true; background = Polygons(ref r, "background"); break;
                case "x": x = Number(ref r, "data.x"); break;
                case "y": y = Number(ref r, "data.y"); break;
                case "width": width = Number(ref r, "data.width"); break;
                case "height": height = Number(ref r, "data.height"); break;
                default: r.Skip(); break;
            }
        }

        if (sawMask)
        {
            return new MdaiMaskData((IReadOnlyList<IReadOnlyList<MdaiPoint>>?)foreground ?? [], (IReadOnlyList<IReadOnlyList<MdaiPoint>>?)background ?? []);
        }

        if (vertices is not null)
        {
            return new MdaiVerticesData(vertices);
        }

        if (x is { } bx && y is { } by)
        {
            return width is { } w && height is { } h ? new MdaiBoxData(bx, by, w, h) : new MdaiLocationData(bx, by);
        }

        throw Invalid(at, "this annotation's data has none of vertices, foreground/background, or x and y (mdai-contract §8.3)");
    }

    private List<IReadOnlyList<MdaiPoint>>? Polygons(ref Utf8JsonReader r, string what)
    {
        if (r.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref r, JsonTokenType.StartArray, $"data.{what}", "a list of polygons ([[[x, y], ...], ...])");
        var list = new List<IReadOnlyList<MdaiPoint>>();
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            list.Add(Polygon(ref r, what) ?? []);
        }

        return list;
    }

    private List<MdaiPoint>? Polygon(ref Utf8JsonReader r, string what)
    {
        if (r.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref r, JsonTokenType.StartArray, $"A polygon of data.{what}", "a list of [x, y] points");
        var points = new List<MdaiPoint>();
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            var at = r.TokenStartIndex;
            Expect(ref r, JsonTokenType.StartArray, $"A point of data.{what}", "[x, y]");
            r.Read();
            var px = Number(ref r, $"A point's x in data.{what}");
            r.Read();
            var py = Number(ref r, $"A point's y in data.{what}");
            if (!r.Read() || r.TokenType != JsonTokenType.EndArray)
            {
                throw Invalid(at, $"a point of data.{what} has more than two numbers; points are [x, y]");
            }

            points.Add(new MdaiPoint(px, py));
        }

        return points;
    }

    private delegate void ElementReader(ref Utf8JsonReader r);

    private void Array(ref Utf8JsonReader r, string what, ElementReader element)
    {
        if (r.TokenType == JsonTokenType.Null)
        {
            return;
        }

        Expect(ref r, JsonTokenType.StartArray, what, "a list");
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            element(ref r);
        }
    }

    private static bool NextProperty(ref Utf8JsonReader r, out string name)
    {
        if (!r.Read() || r.TokenType == JsonTokenType.EndObject)
        {
            name = string.Empty;
            return false;
        }

        name = r.GetString()!;
        r.Read();
        return true;
    }

    private string? String(ref Utf8JsonReader r, string what) => r.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => r.GetString(),
        _ => throw Invalid(ref r, $"{what} must be a string, not {Describe(r.TokenType)}"),
    };

    private int? Int(ref Utf8JsonReader r, string what)
    {
        if (r.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (r.TokenType == JsonTokenType.Number && r.TryGetInt32(out var value))
        {
            return value;
        }

        throw Invalid(ref r, $"{what} must be a whole number, not {Describe(r.TokenType)}");
    }

    private double Number(ref Utf8JsonReader r, string what)
    {
        if (r.TokenType == JsonTokenType.Number && r.TryGetDouble(out var value) && double.IsFinite(value))
        {
            return value;
        }

        throw Invalid(ref r, $"{what} must be a number, not {Describe(r.TokenType)}");
    }

    private void Expect(ref Utf8JsonReader r, JsonTokenType type, string what, string expected)
    {
        if (r.TokenType != type)
        {
            throw Invalid(ref r, $"{what} must be {expected}, not {Describe(r.TokenType)}");
        }
    }

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "a list",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "true/false",
        JsonTokenType.Null => "null",
        JsonTokenType.EndArray => "the end of a list",
        JsonTokenType.EndObject => "the end of an object",
        _ => type.ToString(),
    };

    private MdaiClaraException Invalid(ref Utf8JsonReader r, string what) => Invalid(r.TokenStartIndex, what);

    private MdaiClaraException Invalid(long index, string what)
    {
        var (line, column) = Where(index);
        return new MdaiClaraException(
            $"{source} is not an MD.ai annotation export as expected at line {line}, column {column}: {what}.",
            ErrorIds.MdaiAnnotationExportInvalid,
            ErrorKind.InvalidData,
            source);
    }

    /// <summary>1-based line and column (in bytes) of an offset into the JSON after any byte-order mark.</summary>
    /// <remarks>Offsets come in increasing order while reading, so the newline count carries on from the last one.</remarks>
    private (int Line, int Column) Where(long index)
    {
        index = Math.Clamp(index, 0, utf8.Length - _start);
        if (index < _whereIndex)
        {
            (_whereIndex, _whereLine, _whereLineStart) = (0, 1, 0);
        }

        var text = utf8.AsSpan(_start + (int)_whereIndex, (int)(index - _whereIndex));
        var newlines = text.Count((byte)'\n');
        if (newlines > 0)
        {
            _whereLine += newlines;
            _whereLineStart = _whereIndex + text.LastIndexOf((byte)'\n') + 1;
        }

        _whereIndex = index;
        return (_whereLine, (int)(index - _whereLineStart) + 1);
    }

    private long _whereIndex;
    private int _whereLine = 1;
    private long _whereLineStart;
}
