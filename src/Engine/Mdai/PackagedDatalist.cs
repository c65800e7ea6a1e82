using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Mdai;

/// <summary>
/// The inference datalist as the packaged interface code writes it (mdai_clara_workspace.write_datalist: one entry per
/// input, shaped by datalist_entry) and as Clara 4.1 reads it back (MONAI 0.8.1's load_decathlon_datalist, then
/// LoadImaged): every "test" item is wrapped as {"image": item}, every item must then be an object, and its "image"
/// must be a file name (an object is iterated as its keys, so {"image": {"image": p}} is a file named "image").
/// </summary>
public static class PackagedDatalist
{
    /// <summary>The key whose items MONAI wraps as {"image": item}.</summary>
    public const string TestKey = "test";

    /// <summary>One entry as the interface code writes it for an input file.</summary>
    public static JsonNode Entry(string shape, string path) => shape switch
    {
        "path" => JsonValue.Create(path),
        "image" => new JsonObject { ["image"] = path },
        _ => new JsonObject { ["image"] = path, ["label"] = null },
    };

    /// <summary>The files Clara's LoadImaged would read for the key, or the error MONAI 0.8.1 would stop with.</summary>
    public static IReadOnlyList<string> ClaraReads(JsonObject datalist, string key, string where)
    {
        if (datalist[key] is not JsonArray items)
        {
            throw Fails(where, $"ValueError: Data list {key} not specified in \"{where}\".");
        }

        var paths = new List<string>();
        foreach (var raw in items)
        {
            var item = key == TestKey ? new JsonObject { ["image"] = raw?.DeepClone() } : raw;
            if (item is not JsonObject entry)
            {
                throw Fails(where, $"TypeError: Every item in items must be a dict but got {PythonType(item)}.");
            }

            var names = entry["image"] switch
            {
                JsonValue v when v.TryGetValue<string>(out var s) => [s],
                JsonObject o => o.Select(p => p.Key).ToList(),
                JsonArray a => a.Select(n => n?.ToString() ?? "None").ToList(),
                var other => new List<string> { other?.ToJsonString() ?? "None" },
            };
            if (names.Count != 1 || entry["image"] is JsonObject)
            {
                // MONAI names one file as it is and several as the Python tuple it made of them.
                throw Fails(where, $"RuntimeError: cannot find a suitable reader for file: {(names.Count == 1 ? names[0] : "(" + string.Join(", ", names.Select(n => $"'{n}'")) + ")")}.");
            }

            paths.Add(names[0]);
        }

        return paths;
    }

    private static string PythonType(JsonNode? node) => node switch
    {
        null => "NoneType",
        JsonArray => "list",
        JsonValue v when v.TryGetValue<string>(out _) => "str",
        JsonValue v when v.TryGetValue<bool>(out _) => "bool",
        _ => "float",
    };

    private static MdaiClaraException Fails(string where, string monai) =>
        new($"Clara would not read the input the packaged code lists in {where}: MONAI 0.8.1 stops with \"{monai}\"", ErrorIds.MdaiOutputUnavailable, ErrorKind.InvalidData, where);
}
