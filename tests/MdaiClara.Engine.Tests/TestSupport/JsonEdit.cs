using System.IO;
using System.Text.Json.Nodes;

namespace MdaiClara.Engine.Tests.TestSupport;

/// <summary>Edits a JSON file of an MMAR copy.</summary>
internal static class JsonEdit
{
    public static void Set(string file, string key, JsonNode? value)
    {
        var root = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        root[key] = value;
        File.WriteAllText(file, root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    public static void Remove(string file, string key)
    {
        var root = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        root.Remove(key);
        File.WriteAllText(file, root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    public static void Edit(string file, System.Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        edit(root);
        File.WriteAllText(file, root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }
}
