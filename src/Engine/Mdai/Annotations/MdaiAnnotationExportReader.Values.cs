using System;
using System.Collections.Generic;
using System.Text.Json;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Mdai.Annotations;

/// <summary>The export reader's drawing data (mdai-contract §8.3), JSON value checks and error locations.</summary>
internal sealed partial class MdaiAnnotationExportReader
{
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
