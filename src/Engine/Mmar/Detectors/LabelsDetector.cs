using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MdaiClara.Engine.Configs;

namespace MdaiClara.Engine.Mmar.Detectors;

/// <summary>An MMAR's class names by output channel, from the dataset JSON's labels or config_aiaa.json.</summary>
internal static class LabelsDetector
{
    /// <summary>The class names, or null when neither the dataset JSON nor config_aiaa.json lists them.</summary>
    internal static Detection<IReadOnlyList<string>?> Detect(ParsedJsonFile? datasetJson, Dictionary<string, ParsedJsonFile> json, string task)
    {
        if (ReadDatasetLabels(datasetJson) is { } fromDataset)
        {
            return new(fromDataset, $"labels in {datasetJson!.RelativePath}");
        }

        var fromAiaa = ReadAiaaLabels(json, task);
        return new(fromAiaa, fromAiaa is null ? null : "labels in config/config_aiaa.json");
    }

    /// <summary>AIAA lists the foreground labels only; a segmentation's channel 0 is the background.</summary>
    private static IReadOnlyList<string>? ReadAiaaLabels(Dictionary<string, ParsedJsonFile> json, string task)
    {
        if (json.TryGetValue("config/config_aiaa.json", out var aiaa) && aiaa.RootObject?.TryGetValue("labels", out var l) == true && l is object?[] names && names.All(n => n is string))
        {
            var list = names.Cast<string>().ToList();
            if (task == "segmentation")
            {
                list.Insert(0, "background");
            }

            return list;
        }

        return null;
    }

    /// <summary>The dataset JSON's "labels" ({"0": "background", "1": "spleen"}) by index; gaps are named "class N".</summary>
    private static IReadOnlyList<string>? ReadDatasetLabels(ParsedJsonFile? datasetJson)
    {
        if (datasetJson?.RootObject?.GetObject("labels") is { Count: > 0 } labels)
        {
            var byIndex = new SortedDictionary<int, string>();
            foreach (var (k, v) in labels)
            {
                if (int.TryParse(k, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i >= 0 && v is string name)
                {
                    byIndex[i] = name;
                }
            }

            if (byIndex.Count > 0 && byIndex.Keys.Last() < 10_000)
            {
                var result = new string[byIndex.Keys.Last() + 1];
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] = byIndex.TryGetValue(i, out var n) ? n : $"class {i}";
                }

                return result;
            }
        }

        return null;
    }
}
