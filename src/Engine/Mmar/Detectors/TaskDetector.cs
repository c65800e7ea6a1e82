using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MdaiClara.Engine.Configs;

namespace MdaiClara.Engine.Mmar.Detectors;

/// <summary>What an MMAR computes (PROCESSING_TASK, config_mdai.json, config_aiaa.json, else its components), with where that was read.</summary>
internal static class TaskDetector
{
    private static readonly string[] SegmentationMarkers =
    {
        "SaveImaged", "SaveImage", "SegmentationSaver", "Invertd", "TransformInverter", "WriteNifti", "ArgmaxAcrossChannels",
        "KeepLargestConnectedComponentd", "RestoreOriginalShape",
    };

    private static readonly string[] ClassificationMarkers =
    {
        "WriteClassificationResult", "SaveClassificationd", "ClassificationSaver", "ProcessMulticlassPreds", "ComputeAUC", "Accuracy", "ROCAUC",
    };

    /// <summary>"segmentation", "classification", another PROCESSING_TASK value, or "unknown" (no source).</summary>
    internal static Detection<string> Detect(MmarVariables variables, ConfigObject environment, ConfigObject? mdaiConfig, Dictionary<string, ParsedJsonFile> json, InferenceConfig? inference)
    {
        var (task, source) = DetectTask(variables, environment, mdaiConfig, json, inference);
        return new(task, source);
    }

    private static (string Task, string? Source) DetectTask(MmarVariables variables, ConfigObject environment, ConfigObject? mdaiConfig, Dictionary<string, ParsedJsonFile> json, InferenceConfig? inference)
    {
        if (environment.ContainsKey("PROCESSING_TASK") && variables.ResolveString(variables["PROCESSING_TASK"]) is { Length: > 0 } task)
        {
            return (task.Trim().ToLowerInvariant(), "PROCESSING_TASK in config/environment.json");
        }

        if (mdaiConfig?.GetString("type") is { Length: > 0 } mdaiType)
        {
            return (mdaiType.Trim().ToLowerInvariant(), "type in config_mdai.json");
        }

        if (json.TryGetValue("config/config_aiaa.json", out var aiaa) && aiaa.RootObject?.GetString("type") is { Length: > 0 } aiaaType)
        {
            return (aiaaType.Trim().ToLowerInvariant(), "type in config/config_aiaa.json");
        }

        if (inference is not null)
        {
            var names = inference.PreTransforms.Concat(inference.PostTransforms).Concat(inference.Handlers).Select(c => c.CanonicalName).ToList();
            if (names.Any(n => SegmentationMarkers.Contains(n, StringComparer.Ordinal)))
            {
                return ("segmentation", $"inferred from the components of {inference.File}");
            }

            if (names.Any(n => ClassificationMarkers.Contains(n, StringComparer.Ordinal)))
            {
                return ("classification", $"inferred from the components of {inference.File}");
            }
        }

        return ("unknown", null);
    }
}
