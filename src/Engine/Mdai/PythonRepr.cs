using System;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MdaiClara.Engine.IO;

namespace MdaiClara.Engine.Mdai;

/// <summary>
/// Python 3's <c>str()</c> and <c>repr()</c> of the values a JSON node stands for, so the texts MD.ai's validator
/// formats from values (<c>"... got {}".format(value)</c>) can be reproduced character for character.
/// </summary>
internal static class PythonRepr
{
    /// <summary>The name Python gives the type: <c>int</c>, <c>NoneType</c>…</summary>
    public static string TypeName(PythonType type) => type switch
    {
        PythonType.None => "NoneType",
        PythonType.Bool => "bool",
        PythonType.Int => "int",
        PythonType.Float => "float",
        PythonType.Str => "str",
        PythonType.Bytes => "bytes",
        PythonType.List => "list",
        PythonType.Dict => "dict",
        _ => "object",
    };

    /// <summary>What <c>str(type)</c> prints: <c>&lt;class 'int'&gt;</c>.</summary>
    public static string Class(PythonType type) => $"<class '{TypeName(type)}'>";

    /// <summary>What <c>str([int, float])</c> prints: <c>[&lt;class 'int'&gt;, &lt;class 'float'&gt;]</c>.</summary>
    public static string ClassList(params PythonType[] types)
    {
        var parts = new string[types.Length];
        for (var i = 0; i < types.Length; i++)
        {
            parts[i] = Class(types[i]);
        }

        return "[" + string.Join(", ", parts) + "]";
    }

    /// <summary>Python's <c>str(v)</c>: a string as it is, anything else as its repr.</summary>
    public static string Str(JsonNode? node) =>
        PythonValues.TypeOf(node) == PythonType.Str ? PythonValues.GetString(node!) : Repr(node);

    /// <summary>Python's <c>repr(v)</c>.</summary>
    public static string Repr(JsonNode? node)
    {
        var sb = new StringBuilder();
        AppendRepr(sb, node);
        return sb.ToString();
    }

    /// <summary>A repr cut to about <paramref name="max"/> characters, for human messages.</summary>
    public static string Preview(JsonNode? node, int max = 60)
    {
        var sb = new StringBuilder();
        AppendRepr(sb, node, max + 1);
        return sb.Length > max ? sb.ToString(0, max) + "…" : sb.ToString();
    }

    /// <summary>Python's <c>repr(float)</c>: the shortest digits that round-trip, laid out as Python lays them out.</summary>
    public static string Float(double value) => PythonFloatText.Float64(value);

    /// <summary>Python's <c>repr(str)</c>: single quotes unless the text has ' and no ", escapes for what is not printable.</summary>
    public static string String(string text)
    {
        var quote = text.Contains('\'', StringComparison.Ordinal) && !text.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var sb = new StringBuilder(text.Length + 2);
        sb.Append(quote);
        for (var i = 0; i < text.Length; i++)
        {
            int codePoint = text[i];
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                codePoint = char.ConvertToUtf32(text[i], text[i + 1]);
                i++;
            }

            AppendCodePoint(sb, codePoint, quote);
        }

        sb.Append(quote);
        return sb.ToString();
    }

    /// <summary>Python's <c>repr(bytes)</c>: <c>b'...'</c> with \x escapes outside printable ASCII.</summary>
    public static string Bytes(byte[] bytes)
    {
        var hasSingle = Array.IndexOf(bytes, (byte)'\'') >= 0;
        var hasDouble = Array.IndexOf(bytes, (byte)'"') >= 0;
        var quote = hasSingle && !hasDouble ? '"' : '\'';
        var sb = new StringBuilder(bytes.Length + 3);
        sb.Append('b').Append(quote);
        foreach (var b in bytes)
        {
            if (b == quote || b == '\\')
            {
                sb.Append('\\').Append((char)b);
            }
            else if (b == '\t')
            {
                sb.Append("\\t");
            }
            else if (b == '\n')
            {
                sb.Append("\\n");
            }
            else if (b == '\r')
            {
                sb.Append("\\r");
            }
            else if (b < 0x20 || b >= 0x7F)
            {
                sb.Append("\\x").Append(b.ToString("x2", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append((char)b);
            }
        }

        sb.Append(quote);
        return sb.ToString();
    }

    private static void AppendRepr(StringBuilder sb, JsonNode? node, int limit = int.MaxValue)
    {
        if (sb.Length >= limit)
        {
            return;
        }

        switch (PythonValues.TypeOf(node))
        {
            case PythonType.None:
                sb.Append("None");
                break;
            case PythonType.Bool:
                sb.Append(PythonValues.GetBool(node!) ? "True" : "False");
                break;
            case PythonType.Int:
                sb.Append(PythonValues.GetInteger(node!).ToString(CultureInfo.InvariantCulture));
                break;
            case PythonType.Float:
                sb.Append(Float(PythonValues.GetFloat(node!)));
                break;
            case PythonType.Str:
                sb.Append(String(PythonValues.GetString(node!)));
                break;
            case PythonType.Bytes:
                sb.Append(Bytes(((JsonValue)node!).GetValue<byte[]>()));
                break;
            case PythonType.List:
                sb.Append('[');
                var first = true;
                foreach (var item in (JsonArray)node!)
                {
                    if (!first)
                    {
                        sb.Append(", ");
                    }

                    first = false;
                    AppendRepr(sb, item, limit);
                    if (sb.Length >= limit)
                    {
                        return;
                    }
                }

                sb.Append(']');
                break;
            case PythonType.Dict:
                sb.Append('{');
                var firstEntry = true;
                foreach (var (key, value) in (JsonObject)node!)
                {
                    if (!firstEntry)
                    {
                        sb.Append(", ");
                    }

                    firstEntry = false;
                    sb.Append(String(key)).Append(": ");
                    AppendRepr(sb, value, limit);
                    if (sb.Length >= limit)
                    {
                        return;
                    }
                }

                sb.Append('}');
                break;
            default:
                sb.Append("<object>");
                break;
        }
    }

    private static void AppendCodePoint(StringBuilder sb, int codePoint, char quote)
    {
        if (codePoint == quote || codePoint == '\\')
        {
            sb.Append('\\').Append((char)codePoint);
        }
        else if (codePoint == '\t')
        {
            sb.Append("\\t");
        }
        else if (codePoint == '\n')
        {
            sb.Append("\\n");
        }
        else if (codePoint == '\r')
        {
            sb.Append("\\r");
        }
        else if (codePoint < 0x20 || codePoint == 0x7F)
        {
            sb.Append("\\x").Append(codePoint.ToString("x2", CultureInfo.InvariantCulture));
        }
        else if (codePoint < 0x7F || IsPrintable(codePoint))
        {
            sb.Append(char.ConvertFromUtf32(codePoint));
        }
        else if (codePoint <= 0xFF)
        {
            sb.Append("\\x").Append(codePoint.ToString("x2", CultureInfo.InvariantCulture));
        }
        else if (codePoint <= 0xFFFF)
        {
            sb.Append("\\u").Append(codePoint.ToString("x4", CultureInfo.InvariantCulture));
        }
        else
        {
            sb.Append("\\U").Append(codePoint.ToString("x8", CultureInfo.InvariantCulture));
        }
    }

    private static bool IsSurrogate(int codePoint) => codePoint is >= 0xD800 and <= 0xDFFF;

    /// <summary>Python's str.isprintable for one character: not a control, format, surrogate, private-use,
    /// unassigned or separator character (the plain space excepted).</summary>
    private static bool IsPrintable(int codePoint)
    {
        if (IsSurrogate(codePoint))
        {
            return false;
        }

        return CharUnicodeInfo.GetUnicodeCategory(codePoint) switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => false,
            UnicodeCategory.SpaceSeparator => codePoint == ' ',
            _ => true,
        };
    }
}
