using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace MdaiClara.Engine.Mmar.Repair;

/// <summary>
/// Adds and replaces top-level values of config/environment.json by editing its text: every other byte (order,
/// spacing, the file's indent and line ends) stays as it was, so the repaired file differs from the original by the
/// lines that changed. Values are given as JSON literals (<c>"\"test\""</c>, <c>"2"</c>).
/// </summary>
public static class EnvironmentPatcher
{
    /// <summary>
    /// The patched text. <paramref name="set"/> replaces the value of keys that exist (the last one, as Clara reads
    /// it) and appends the others before the closing brace, in the order given.
    /// </summary>
    /// <exception cref="JsonException">The text is not a JSON object.</exception>
    public static string Patch(string text, IReadOnlyList<KeyValuePair<string, string>> set)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("config/environment.json is not a JSON object.");
        }

        var valueSpans = new Dictionary<string, (int Start, int End)>(StringComparer.Ordinal);
        var lastValueEnd = -1;
        var closing = -1;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0)
            {
                closing = (int)reader.TokenStartIndex;
                break;
            }

            var key = reader.GetString()!;
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            var end = (int)reader.BytesConsumed;
            valueSpans[key] = (start, end);
            lastValueEnd = end;
        }

        if (closing < 0)
        {
            throw new JsonException("config/environment.json does not end its object.");
        }

        var newline = JsonConfigWriter.DetectNewline(text);
        var indent = JsonConfigWriter.DetectIndent(text);
        var edits = new List<(int Start, int End, string Text)>();
        var appended = new StringBuilder();
        foreach (var (key, literal) in set)
        {
            if (valueSpans.TryGetValue(key, out var span))
            {
                edits.Add((span.Start, span.End, literal));
            }
            else
            {
                var separator = lastValueEnd < 0 && appended.Length == 0 ? string.Empty : ",";
                appended.Append(separator).Append(newline).Append(indent).Append(JsonConfigWriter.Quote(key)).Append(": ").Append(literal);
            }
        }

        if (appended.Length > 0)
        {
            // After the last value (an empty object: after its '{'), then the line end the closing brace had.
            var at = lastValueEnd >= 0 ? lastValueEnd : closing;
            if (lastValueEnd < 0)
            {
                appended.Append(newline);
                at = IndexAfterOpeningBrace(bytes);
            }

            edits.Add((at, at, appended.ToString()));
        }

        var result = new StringBuilder();
        var position = 0;
        foreach (var (start, end, replacement) in edits.OrderBy(e => e.Start))
        {
            result.Append(Encoding.UTF8.GetString(bytes, position, start - position)).Append(replacement);
            position = end;
        }

        return result.Append(Encoding.UTF8.GetString(bytes, position, bytes.Length - position)).ToString();
    }

    private static int IndexAfterOpeningBrace(byte[] bytes) => Array.IndexOf(bytes, (byte)'{') + 1;
}
