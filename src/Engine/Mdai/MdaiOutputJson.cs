using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Mdai;

/// <summary>
/// Builds the JSON tree <see cref="MdaiOutputValidator"/> reads from JSON text or from CLR values, keeping the Python
/// type of every value: int stays int, float stays float, bool stays bool.
/// </summary>
public static class MdaiOutputJson
{
    /// <summary>Deeper than this is taken for a cycle (a mask is only five levels down).</summary>
    public const int MaxDepth = 256;

    private static readonly JsonTypeInfo<byte[]> BytesInfo =
        JsonMetadataServices.CreateValueInfo<byte[]>(new JsonSerializerOptions { TypeInfoResolver = JsonTypeInfoResolver.Combine() }, JsonMetadataServices.ByteArrayConverter);

    /// <summary>
    /// Converts CLR values to the tree: null is None; string and char are str; bool is bool; the integer types
    /// (and a decimal without a fraction, as PowerShell makes of big integer literals) are int; float, double, Half
    /// and other decimals are float; byte[] is bytes; IDictionary (and string-keyed dictionaries) is dict, its keys
    /// turned into strings; any other IEnumerable is list. DateTime and DateTimeOffset become ISO 8601 str
    /// (ConvertFrom-Json makes them of date strings). A JsonNode is copied as it is.
    /// </summary>
    /// <exception cref="MdaiClaraException">A value of another type (MdaiOutputValueUnsupported, naming where it is),
    /// or nesting deeper than <see cref="MaxDepth"/>.</exception>
    public static JsonNode? FromObject(object? value) => Convert(value, string.Empty, 0);

    /// <summary>
    /// Parses JSON text the way Python's json module reads it: integers without '.', 'e' or 'E' are int, NaN and
    /// Infinity are accepted, the last of duplicate keys wins. A leading byte-order mark is ignored.
    /// </summary>
    /// <param name="json">The text.</param>
    /// <param name="source">What to call the text in an error (a file name); null for "the JSON text".</param>
    /// <exception cref="MdaiClaraException">MdaiOutputJsonInvalid, with the line and column.</exception>
    public static JsonNode? Parse(string json, string? source = null) => Parse(Encoding.UTF8.GetBytes(json), source);

    /// <summary>Reads and parses a JSON file (see <see cref="Parse(string, string?)"/>).</summary>
    /// <exception cref="MdaiClaraException">MdaiOutputNotFound, MdaiOutputReadFailed or MdaiOutputJsonInvalid.</exception>
    public static JsonNode? Load(string path)
    {
        if (Directory.Exists(path))
        {
            throw new MdaiClaraException($"'{path}' is a folder; give the JSON file that holds the model's output.", ErrorIds.MdaiOutputReadFailed, ErrorKind.InvalidArgument, path);
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new MdaiClaraException($"Cannot find the model output file '{path}'.", ErrorIds.MdaiOutputNotFound, ErrorKind.ObjectNotFound, path, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            var kind = ex is UnauthorizedAccessException ? ErrorKind.SecurityError : ErrorKind.ResourceUnavailable;
            throw new MdaiClaraException($"Cannot read the model output file '{path}': {ex.Message}", ErrorIds.MdaiOutputReadFailed, kind, path, ex);
        }

        return Parse(bytes, path);
    }

    private static JsonNode? Parse(byte[] utf8, string? source)
    {
        if (utf8.Length >= 3 && utf8[0] == 0xEF && utf8[1] == 0xBB && utf8[2] == 0xBF)
        {
            // Harmless here (the file only carries the value to check); Python's json.loads would refuse it.
            utf8 = utf8[3..];
        }

        if (!Utf8.IsValid(utf8))
        {
            // System.Text.Json checks string contents only when a value is read, deep inside a check: refuse up front,
            // as Python's json.loads does (UnicodeDecodeError).
            throw NotUtf8(utf8, source);
        }

        if (PlainJsonScan.IsPlain(utf8))
        {
            // Built lazily from a JsonDocument: a big mask stays compact until a strict check walks it.
            return JsonNode.Parse(utf8);
        }

        // NaN/Infinity, duplicate keys, odd escapes or a syntax error: the Python-faithful reader decides and locates.
        var parsed = JsonConfigParser.Parse(source ?? "JSON text", utf8, MaxDepth);
        if (parsed.SyntaxError is { } error)
        {
            var where = source ?? "The JSON text";
            throw new MdaiClaraException(
                $"{where} is not valid JSON at line {error.Line}, column {error.Column}: {error.Message}. It must hold the list that predict returned, as Python's json.dump writes it.",
                ErrorIds.MdaiOutputJsonInvalid,
                ErrorKind.InvalidData,
                source);
        }

        return FromObject(parsed.Root);
    }

    private static MdaiClaraException NotUtf8(byte[] utf8, string? source)
    {
        Utf8.ToUtf16(utf8, new char[utf8.Length], out var valid, out _, replaceInvalidSequences: false);
        var before = utf8.AsSpan(0, valid);
        var line = before.Count((byte)'\n') + 1;
        var column = valid - before.LastIndexOf((byte)'\n');
        return new MdaiClaraException(
            $"{source ?? "The JSON text"} is not valid UTF-8 at line {line}, column {column} (byte offset {valid}, byte 0x{utf8[valid]:X2}). "
                + "JSON text must be UTF-8, as Python's json.dump writes it; re-write the file from the list that predict returned.",
            ErrorIds.MdaiOutputJsonInvalid,
            ErrorKind.InvalidData,
            source);
    }

    private static JsonNode? Convert(object? value, string at, int depth)
    {
        if (depth > MaxDepth)
        {
            var head = at[..ShortPath(at)];
            throw Unsupported($"The value is nested more than {MaxDepth} levels deep (lists or dictionaries inside each other, from {Where(head)} down); it probably refers to itself.", head);
        }

        switch (value)
        {
            case null or DBNull:
                return null;
            case JsonNode node:
                return node.DeepClone();
            case JsonElement element:
                return element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : JsonNode.Parse(element.GetRawText());
            case string s:
                return JsonValue.Create(s);
            case char c:
                return JsonValue.Create(c.ToString());
            case bool b:
                return JsonValue.Create(b);
            case byte[] bytes:
                return JsonValue.Create(bytes, BytesInfo);
            case sbyte or byte or short or ushort or int or uint or long:
                return JsonValue.Create(((IConvertible)value).ToInt64(CultureInfo.InvariantCulture));
            case ulong u:
                return JsonValue.Create(u);
            case BigInteger big:
                // JSON text without a fraction is int however large.
                return JsonNode.Parse(big.ToString(CultureInfo.InvariantCulture));
            case float f:
                return JsonValue.Create((double)f);
            case double d:
                return JsonValue.Create(d);
            case Half h:
                return JsonValue.Create((double)h);
            case decimal m:
                // The scale decides, as PowerShell's literals do: 12345678901234567890 is int, 1.0d is float.
                return JsonNode.Parse(m.ToString(CultureInfo.InvariantCulture));
            case DateTime dt:
                return JsonValue.Create(dt.ToString("o", CultureInfo.InvariantCulture));
            case DateTimeOffset dto:
                return JsonValue.Create(dto.ToString("o", CultureInfo.InvariantCulture));
            case IDictionary dictionary:
                return ConvertDictionary(dictionary, at, depth);
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                var obj = new JsonObject();
                foreach (var (key, item) in pairs)
                {
                    obj[key] = Convert(item, OutputLocation.Key(at, key), depth + 1);
                }

                return obj;
            case IEnumerable sequence:
                var array = new JsonArray();
                foreach (var item in sequence)
                {
                    array.Add(Convert(item, OutputLocation.Index(at, array.Count), depth + 1));
                }

                return array;
            default:
                throw Unsupported(
                    $"The value at {Where(at)} is a {value.GetType().FullName}, which has no Python counterpart in a model output. Use strings, numbers, booleans, null, lists and dictionaries (hashtables or objects with properties).",
                    at);
        }
    }

    private static JsonObject ConvertDictionary(IDictionary dictionary, string at, int depth)
    {
        var obj = new JsonObject();
        foreach (DictionaryEntry entry in dictionary)
        {
            var key = entry.Key as string ?? System.Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
            obj[key] = Convert(entry.Value, OutputLocation.Key(at, key), depth + 1);
        }

        return obj;
    }

    private static string Where(string at) => at.Length == 0 ? "the top level" : at;

    /// <summary>The length of the first few steps of a deep path (a message must not list 256 indexes).</summary>
    private static int ShortPath(string at)
    {
        var steps = 0;
        for (var i = 1; i < at.Length; i++)
        {
            if ((at[i] == '[' || at[i] == '.') && ++steps == 4)
            {
                return i;
            }
        }

        return at.Length;
    }

    private static MdaiClaraException Unsupported(string message, string at) =>
        new(message, ErrorIds.MdaiOutputValueUnsupported, ErrorKind.InvalidArgument, at.Length == 0 ? null : at);
}
