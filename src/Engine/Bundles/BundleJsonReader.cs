using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MdaiClara.Engine.Bundles;

/// <summary>
/// Reads a bundle's JSON config with the position of every value. Follows Python's json module, which MONAI uses: no
/// comments, no trailing commas, no byte-order mark; integers stay integers, and the last of duplicate keys wins.
/// </summary>
public static class BundleJsonReader
{
    private const int MaxDepth = 256;

    public static ConfigFile Read(string relativePath, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var positions = new TextPositions(bytes);
        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
        {
            return new ConfigFile(relativePath, ConfigFileFormat.Json, null,
                new ConfigSyntaxError(relativePath, 1, 1, "The file starts with a UTF-8 byte-order mark, which Python's json module (and so MONAI) refuses; save it as UTF-8 without BOM."));
        }

        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false, MaxDepth = MaxDepth });
        try
        {
            if (!reader.Read())
            {
                return new ConfigFile(relativePath, ConfigFileFormat.Json, null, new ConfigSyntaxError(relativePath, 1, 1, "The file is empty; a JSON value was expected."));
            }

            var root = ReadValue(ref reader, relativePath, positions);
            if (reader.Read())
            {
                var (line, column) = positions.At(reader.TokenStartIndex);
                return new ConfigFile(relativePath, ConfigFileFormat.Json, null, new ConfigSyntaxError(relativePath, line, column, "Extra data after the JSON value."));
            }

            return new ConfigFile(relativePath, ConfigFileFormat.Json, root, null);
        }
        catch (JsonException ex)
        {
            var line = (int)(ex.LineNumber ?? 0);
            var column = positions.ColumnOf(line, ex.BytePositionInLine ?? 0);
            return new ConfigFile(relativePath, ConfigFileFormat.Json, null, new ConfigSyntaxError(relativePath, line + 1, column, Reason(ex.Message)));
        }
    }

    private static ConfigNode ReadValue(ref Utf8JsonReader reader, string file, TextPositions positions)
    {
        var (line, column) = positions.At(reader.TokenStartIndex);
        var at = new ConfigPosition(file, line, column);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var entries = new List<KeyValuePair<string, ConfigNode>>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var key = reader.GetString()!;
                    reader.Read();
                    entries.Add(new(key, ReadValue(ref reader, file, positions)));
                }

                return ConfigNode.Object(at, entries);
            case JsonTokenType.StartArray:
                var items = new List<ConfigNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader, file, positions));
                }

                return ConfigNode.List(at, items);
            case JsonTokenType.String:
                return ConfigNode.Of(at, reader.GetString());
            case JsonTokenType.Number:
                var raw = Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray());
                if (raw.IndexOfAny(new[] { '.', 'e', 'E' }) < 0 && long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                {
                    return ConfigNode.Of(at, integer);
                }

                return ConfigNode.Of(at, double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture));
            case JsonTokenType.True:
                return ConfigNode.Of(at, true);
            case JsonTokenType.False:
                return ConfigNode.Of(at, false);
            default:
                return ConfigNode.Of(at, null);
        }
    }

    /// <summary>The reader's message without its own position suffix (the finding carries line and column).</summary>
    private static string Reason(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        }

        return (cut > 0 ? message[..cut] : message).Trim().TrimEnd('|').Trim();
    }
}
