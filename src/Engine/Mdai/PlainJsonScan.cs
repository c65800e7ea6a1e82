using System;
using System.Collections.Generic;
using System.Text.Json;

namespace MdaiClara.Engine.Mdai;

/// <summary>
/// Tells whether System.Text.Json reads a JSON text exactly as Python's json module does, so it can be parsed into
/// a lazily built JsonNode (a 512×512 mask then costs little until something walks it). It does not when the text
/// has NaN/Infinity literals, duplicate keys (Python keeps the last), unpaired surrogate escapes, or does not parse;
/// those texts go to the Python-faithful reader, which also locates syntax errors.
/// </summary>
internal static class PlainJsonScan
{
    public static bool IsPlain(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        var keys = new Stack<HashSet<string>?>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        keys.Push(null);
                        break;
                    case JsonTokenType.EndObject:
                        keys.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        var seen = keys.Pop() ?? new HashSet<string>(StringComparer.Ordinal);
                        keys.Push(seen);
                        if (!seen.Add(reader.GetString()!))
                        {
                            return false;
                        }

                        break;
                    case JsonTokenType.String when reader.ValueIsEscaped:
                        // Throws on an unpaired surrogate escape, which Python reads without complaint.
                        _ = reader.GetString();
                        break;
                }
            }

            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }
    }
}
