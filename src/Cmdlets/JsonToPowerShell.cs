using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MdaiClara.Cmdlets;

/// <summary>
/// JSON trees as PowerShell objects that keep MD.ai's Python typing: objects become PSCustomObjects with the keys as
/// properties (in order), arrays object[], integers long, other numbers double, strings and booleans as they are.
/// </summary>
internal static class JsonToPowerShell
{
    public static object? Convert(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => ToObject(o),
        JsonArray a => a.Select(Convert).ToArray(),
        JsonValue v => Value(v),
        _ => node.ToJsonString(),
    };

    private static int DecimalScale(decimal m) => (decimal.GetBits(m)[3] >> 16) & 0xFF;

    private static PSObject ToObject(JsonObject o)
    {
        var result = new PSObject();
        foreach (var (key, value) in o)
        {
            result.Properties.Add(new PSNoteProperty(key, Convert(value)));
        }

        return result;
    }

    private static object? Value(JsonValue v) => v.GetValueKind() switch
    {
        JsonValueKind.String => v.GetValue<string>(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        JsonValueKind.Number when v.TryGetValue<decimal>(out var m) => DecimalScale(m) == 0 && m >= long.MinValue && m <= long.MaxValue ? (object)(long)m : (double)m,
        JsonValueKind.Number when v.TryGetValue<long>(out var l) => l,
        JsonValueKind.Number when v.TryGetValue<int>(out var i) => (long)i,
        JsonValueKind.Number => v.GetValue<double>(),
        _ => v.ToJsonString(),
    };
}
