using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MdaiClara.Engine.Configs;

/// <summary>A 1-based line and column (in characters) inside a text file.</summary>
public sealed record SourceLocation(int Line, int Column)
{
    public override string ToString() => $"{Line}:{Column}";
}

/// <summary>Why a JSON file does not parse, and where.</summary>
public sealed record JsonSyntaxError(string Message, int Line, int Column);

/// <summary>
/// A parsed JSON file with the location of every value, so findings can name the line and column of the
/// key they are about. Parsing follows Python's json module, which is what Clara uses: no comments, no
/// trailing commas, no byte-order mark, and the last of duplicate keys wins.
/// </summary>
public sealed class ParsedJsonFile
{
    private readonly Dictionary<string, int> _offsets;
    private readonly byte[] _text;
    private int[]? _lineStarts;

    internal ParsedJsonFile(string relativePath, object? root, JsonSyntaxError? error, Dictionary<string, int> offsets, IReadOnlyList<string> duplicateKeys, byte[] text)
    {
        RelativePath = relativePath;
        Root = root;
        SyntaxError = error;
        _offsets = offsets;
        DuplicateKeys = duplicateKeys;
        _text = text;
    }

    /// <summary>Path inside the MMAR, with '/' separators.</summary>
    public string RelativePath { get; }

    /// <summary>The parsed value (null when the file does not parse).</summary>
    public object? Root { get; }

    public ConfigObject? RootObject => Root as ConfigObject;

    public JsonSyntaxError? SyntaxError { get; }

    /// <summary>JSON pointers of keys that occur more than once in their object.</summary>
    public IReadOnlyList<string> DuplicateKeys { get; }

    public bool IsValid => SyntaxError is null;

    /// <summary>
    /// Where the value at a JSON pointer (for example <c>/pre_transforms/3/args/pixdim</c>) starts; the
    /// nearest existing ancestor when the pointer itself does not exist.
    /// </summary>
    public SourceLocation? Locate(string pointer)
    {
        var p = pointer;
        while (true)
        {
            if (_offsets.TryGetValue(p, out var offset))
            {
                return ToLocation(offset);
            }

            if (p.Length == 0)
            {
                return null;
            }

            var cut = p.LastIndexOf('/');
            p = cut <= 0 ? string.Empty : p[..cut];
        }
    }

    internal SourceLocation ToLocation(int byteOffset)
    {
        _lineStarts ??= ComputeLineStarts(_text);
        var line = Array.BinarySearch(_lineStarts, byteOffset);
        if (line < 0)
        {
            line = ~line - 1;
        }

        var start = _lineStarts[line];
        var column = Encoding.UTF8.GetCharCount(_text, start, Math.Max(0, Math.Min(byteOffset, _text.Length) - start)) + 1;
        return new SourceLocation(line + 1, column);
    }

    private static int[] ComputeLineStarts(byte[] text)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        return starts.ToArray();
    }

    public static string EscapePointerToken(string key) => key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}

/// <summary>Parses MMAR JSON files into <see cref="ParsedJsonFile"/>; never throws for bad content.</summary>
public static partial class JsonConfigParser
{
    /// <summary>Python's json nests as deep as its recursion limit (about 1000).</summary>
    public const int DefaultMaxDepth = 990;

    /// <summary>Parses <paramref name="utf8"/>; nesting deeper than <paramref name="maxDepth"/> is a syntax error at its line and column.</summary>
    public static ParsedJsonFile Parse(string relativePath, byte[] utf8, int maxDepth = DefaultMaxDepth)
    {
        var options = new JsonReaderOptions
        {
            AllowTrailingCommas = false,
            CommentHandling = JsonCommentHandling.Disallow,
            MaxDepth = maxDepth,
        };
        var offsets = new Dictionary<string, int>(StringComparer.Ordinal);
        var duplicates = new List<string>();

        if (utf8.Length >= 3 && utf8[0] == 0xEF && utf8[1] == 0xBB && utf8[2] == 0xBF)
        {
            return Failed(relativePath, utf8, offsets, duplicates, "the file starts with a UTF-8 byte-order mark, which Python's json module (used by Clara) rejects; save it as UTF-8 without BOM", 1, 1);
        }

        if (IsBlank(utf8))
        {
            return Failed(relativePath, utf8, offsets, duplicates, "the file is empty; it must hold a JSON value", 1, 1);
        }

        try
        {
            // Python's json reads NaN, Infinity and -Infinity (and json.dump writes them); System.Text.Json does not.
            // They are swapped for numbers of the same length, so every position stays as in the file.
            var special = new Dictionary<int, double>();
            var text = ReplaceNonFiniteLiterals(utf8, special);
            var reader = new Utf8JsonReader(text, options);
            reader.Read();
            var root = ReadValue(ref reader, string.Empty, offsets, duplicates, special);

            // Anything after the root value is an error (Python: "Extra data").
            if (reader.Read())
            {
                throw new JsonException("unexpected data after the end of the JSON value");
            }

            return new ParsedJsonFile(relativePath, root, null, offsets, duplicates, utf8);
        }
        catch (JsonException ex)
        {
            var line = (int)(ex.LineNumber ?? 0);
            var bytePos = (int)(ex.BytePositionInLine ?? 0);
            var probe = new ParsedJsonFile(relativePath, null, null, offsets, duplicates, utf8);
            var lineStart = LineStartOffset(utf8, line);
            var location = probe.ToLocation(Math.Min(utf8.Length, lineStart + bytePos));
            return Failed(relativePath, utf8, offsets, duplicates, CleanMessage(ex.Message), location.Line, location.Column);
        }
        catch (InvalidOperationException ex)
        {
            // Utf8JsonReader reports some malformed strings (bad escapes, invalid UTF-8) this way.
            return Failed(relativePath, utf8, offsets, duplicates, CleanMessage(ex.Message), 1, 1);
        }
    }

    private static ParsedJsonFile Failed(string path, byte[] text, Dictionary<string, int> offsets, List<string> duplicates, string message, int line, int column) =>
        new(path, null, new JsonSyntaxError(message, line, column), offsets, duplicates, text);

    private static object? ReadValue(ref Utf8JsonReader reader, string pointer, Dictionary<string, int> offsets, List<string> duplicates, Dictionary<int, double> special)
    {
        offsets[pointer] = (int)reader.TokenStartIndex;
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var entries = new List<KeyValuePair<string, object?>>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var key = GetStringLenient(ref reader);
                    var child = pointer + "/" + ParsedJsonFile.EscapePointerToken(key);
                    if (!seen.Add(key))
                    {
                        duplicates.Add(child);
                    }

                    reader.Read();
                    entries.Add(new KeyValuePair<string, object?>(key, ReadValue(ref reader, child, offsets, duplicates, special)));
                }

                return new ConfigObject(entries);

            case JsonTokenType.StartArray:
                var items = new List<object?>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader, pointer + "/" + items.Count.ToString(CultureInfo.InvariantCulture), offsets, duplicates, special));
                }

                return items.ToArray();

            case JsonTokenType.String:
                return GetStringLenient(ref reader);

            case JsonTokenType.Number:
                if (special.TryGetValue((int)reader.TokenStartIndex, out var nonFinite))
                {
                    return nonFinite;
                }

                // Keep Python's int/float distinction: 2 is an int, 2.0 a float.
                var raw = Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray());
                if (raw.IndexOfAny(new[] { '.', 'e', 'E' }) < 0 && reader.TryGetInt64(out var l))
                {
                    return l;
                }

                return reader.GetDouble();

            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            case JsonTokenType.Null:
                return null;
            default:
                throw new JsonException($"unexpected token {reader.TokenType}");
        }
    }

    /// <summary>Python accepts lone surrogate escapes (\\ud800); they become U+FFFD here rather than an error.</summary>
    private static string GetStringLenient(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString() ?? string.Empty;
        }
        catch (InvalidOperationException)
        {
            var raw = Encoding.UTF8.GetString(reader.ValueSpan);
            var sb = new StringBuilder(raw.Length);
            for (var i = 0; i < raw.Length; i++)
            {
                if (raw[i] != '\\' || i + 1 >= raw.Length)
                {
                    sb.Append(raw[i]);
                    continue;
                }

                var c = raw[++i];
                switch (c)
                {
                    case 'n': sb.Append('\n'); break;
                    case 't': sb.Append('\t'); break;
                    case 'r': sb.Append('\r'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'u' when i + 4 < raw.Length && int.TryParse(raw.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code):
                        sb.Append(char.IsSurrogate((char)code) ? '\uFFFD' : (char)code);
                        i += 4;
                        break;
                    default: sb.Append(c); break;
                }
            }

            return sb.ToString();
        }
    }

    private static byte[] ReplaceNonFiniteLiterals(byte[] utf8, Dictionary<int, double> special)
    {
        byte[]? copy = null;
        var inString = false;
        for (var i = 0; i < utf8.Length; i++)
        {
            var b = utf8[i];
            if (inString)
            {
                if (b == (byte)'\\')
                {
                    i++;
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                }

                continue;
            }

            if (b == (byte)'"')
            {
                inString = true;
                continue;
            }

            foreach (var (literal, value, replacement) in NonFinite)
            {
                if (Matches(utf8, i, literal))
                {
                    copy ??= (byte[])utf8.Clone();
                    Encoding.ASCII.GetBytes(replacement, 0, replacement.Length, copy, i);
                    special[i] = value;
                    i += literal.Length - 1;
                    break;
                }
            }
        }

        return copy ?? utf8;
    }

    private static readonly (string Literal, double Value, string Replacement)[] NonFinite =
    {
        ("-Infinity", double.NegativeInfinity, "-0.000000"),
        ("Infinity", double.PositiveInfinity, "0.000000"),
        ("NaN", double.NaN, "0.0"),
    };

    private static bool Matches(byte[] text, int at, string literal)
    {
        if (at + literal.Length > text.Length)
        {
            return false;
        }

        for (var k = 0; k < literal.Length; k++)
        {
            if (text[at + k] != (byte)literal[k])
            {
                return false;
            }
        }

        var before = at == 0 ? (byte)' ' : text[at - 1];
        var after = at + literal.Length < text.Length ? text[at + literal.Length] : (byte)' ';
        return !IsWordByte(before) && !IsWordByte(after);
    }

    private static bool IsWordByte(byte b) => b is >= (byte)'0' and <= (byte)'9' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or (byte)'_' or (byte)'.';

    private static bool IsBlank(byte[] utf8)
    {
        foreach (var b in utf8)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }

    private static int LineStartOffset(byte[] text, int zeroBasedLine)
    {
        var line = 0;
        for (var i = 0; i < text.Length && line < zeroBasedLine; i++)
        {
            if (text[i] == (byte)'\n')
            {
                line++;
                if (line == zeroBasedLine)
                {
                    return i + 1;
                }
            }
        }

        return zeroBasedLine == 0 ? 0 : text.Length;
    }

    /// <summary>
    /// System.Text.Json's message in the user's terms: its line/position suffix and path are dropped (we report our
    /// own line:column), and messages that speak of its reader settings ("Change the reader options", "maximum
    /// configured depth") say what is wrong with the file instead.
    /// </summary>
    internal static string CleanMessage(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        }

        var text = (cut >= 0 ? message[..cut] : message).Trim().TrimEnd('.');
        if (text.StartsWith("The JSON array contains a trailing comma", StringComparison.Ordinal)
            || text.StartsWith("The JSON object contains a trailing comma", StringComparison.Ordinal))
        {
            var container = text.Contains(" array ", StringComparison.Ordinal) ? "list" : "object";
            return $"the {container} ends with a comma after its last {(container == "list" ? "item" : "entry")}, which JSON (and Python's json module) does not allow; remove that comma";
        }

        if (MaxDepthMessage().Match(text) is { Success: true } depth)
        {
            return $"the JSON is nested more than {depth.Groups[1].Value} levels deep (lists or objects inside each other)";
        }

        return text;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^The maximum configured depth of (\d+) has been exceeded", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex MaxDepthMessage();
}
