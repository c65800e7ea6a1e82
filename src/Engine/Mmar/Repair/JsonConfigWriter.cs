using System;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MdaiClara.Engine.Mmar.Repair;

/// <summary>
/// Writes a config back in the layout Clara's own files use: one key per line, the file's indent (4 spaces when it
/// cannot be told), short lists of scalars on one line (<c>"keys": ["image"]</c>), numbers exactly as they were
/// written, and strings escaped only where JSON requires it (lambdas keep their quotes readable).
/// </summary>
public static class JsonConfigWriter
{
    private const int InlineLimit = 100;

    public static string Write(JsonNode? root, string indent, string newline)
    {
        var builder = new StringBuilder();
        WriteNode(builder, root, indent, newline, 0);
        builder.Append(newline);
        return builder.ToString();
    }

    /// <summary>The indent of the first indented line of <paramref name="text"/> (spaces or tabs), else 4 spaces.</summary>
    public static string DetectIndent(string text)
    {
        foreach (var line in text.Split('\n').Skip(1))
        {
            var width = line.TakeWhile(c => c is ' ' or '\t').Count();
            if (width > 0 && width < line.TrimEnd('\r').Length)
            {
                return line[..width];
            }
        }

        return "    ";
    }

    public static string DetectNewline(string text) => text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";

    /// <summary>A JSON string literal with only the escapes JSON requires.</summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case < ' ': builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: builder.Append(c); break;
            }
        }

        return builder.Append('"').ToString();
    }

    private static void WriteNode(StringBuilder builder, JsonNode? node, string indent, string newline, int depth)
    {
        switch (node)
        {
            case null:
                builder.Append("null");
                break;
            case JsonObject o when o.Count == 0:
                builder.Append("{}");
                break;
            case JsonObject o:
                builder.Append('{');
                var first = true;
                foreach (var (key, value) in o)
                {
                    builder.Append(first ? string.Empty : ",").Append(newline).Append(Repeat(indent, depth + 1)).Append(Quote(key)).Append(": ");
                    WriteNode(builder, value, indent, newline, depth + 1);
                    first = false;
                }

                builder.Append(newline).Append(Repeat(indent, depth)).Append('}');
                break;
            case JsonArray a when a.Count == 0:
                builder.Append("[]");
                break;
            case JsonArray a when a.All(v => v is null or JsonValue) && Inline(a) is { Length: <= InlineLimit } inline:
                builder.Append(inline);
                break;
            case JsonArray a:
                builder.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    builder.Append(i == 0 ? string.Empty : ",").Append(newline).Append(Repeat(indent, depth + 1));
                    WriteNode(builder, a[i], indent, newline, depth + 1);
                }

                builder.Append(newline).Append(Repeat(indent, depth)).Append(']');
                break;
            case JsonValue v:
                builder.Append(Scalar(v));
                break;
        }
    }

    private static string Inline(JsonArray array) => "[" + string.Join(", ", array.Select(v => v is JsonValue s ? Scalar(s) : "null")) + "]";

    private static string Scalar(JsonValue value)
    {
        if (value.TryGetValue<string>(out var s))
        {
            return Quote(s);
        }

        if (value.TryGetValue<JsonElement>(out var element))
        {
            return element.ValueKind switch
            {
                JsonValueKind.String => Quote(element.GetString()!),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Null => "null",
                _ => element.GetRawText(), // numbers exactly as written
            };
        }

        return value.ToJsonString();
    }

    private static string Repeat(string indent, int depth) => string.Concat(Enumerable.Repeat(indent, depth));
}
