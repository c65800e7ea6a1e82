using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using MdaiClara.Engine.Configs;

namespace MdaiClara.Engine.Mmar.Detectors;

/// <summary>Which Clara generation and version an MMAR is (CLARA_TRAIN_VERSION, else inferred from its components and keys), with the evidence.</summary>
internal static class GenerationDetector
{
    private static readonly string[] TensorFlowComponentNames =
    {
        "LoadNifti", "LoadPng", "LoadJpg", "ConvertToChannelsFirst", "ConvertToChannelsLast", "ScaleByResolution", "ScaleByFactor",
        "ScaleToShape", "NormalizeNonzeroIntensities", "CenterData", "FastCropByPosNegRatio", "ArgmaxAcrossChannels",
        "SplitBasedOnLabel", "CopyProperties", "RestoreOriginalShape", "WriteNifti", "WriteClassificationResult",
        "ProcessMulticlassPreds", "RepeatChannel", "FrozenGraphModelLoader", "CheckpointModelLoader",
    };

    /// <summary>The generation and version, from CLARA_TRAIN_VERSION when a config states it, else inferred, with the evidence.</summary>
    internal static GenerationDetection Detect(
        MmarFileSource source,
        Dictionary<string, ParsedJsonFile> json,
        ConfigObject environment,
        ConfigObject? inferenceRoot,
        ConfigObject? trainRoot,
        InferenceConfig? inference,
        InferScript? script,
        ConfigObject? mdaiConfig)
    {
        var (generation, version, because, evidence) = DetectGeneration(source, json, environment, inferenceRoot, trainRoot, inference, script, mdaiConfig);
        return new GenerationDetection(generation, version, because, evidence);
    }

    private static (ClaraGeneration, string?, string, IReadOnlyList<string>) DetectGeneration(
        MmarFileSource source,
        Dictionary<string, ParsedJsonFile> json,
        ConfigObject environment,
        ConfigObject? inferenceRoot,
        ConfigObject? trainRoot,
        InferenceConfig? inference,
        InferScript? script,
        ConfigObject? mdaiConfig)
    {
        // An explicit CLARA_TRAIN_VERSION wins: environment.json first, then the configs (NVIDIA's 4.1 example keeps it there).
        string? explicitVersion = null;
        string? explicitSource = null;
        if (environment.TryGetValue("CLARA_TRAIN_VERSION", out var envVersion) && envVersion is not null)
        {
            explicitVersion = ConfigObject.Format(envVersion);
            explicitSource = "CLARA_TRAIN_VERSION in config/environment.json";
        }
        else
        {
            foreach (var file in json.Values.Where(f => f.RelativePath.StartsWith("config/", StringComparison.Ordinal)).OrderBy(f => f.RelativePath, StringComparer.Ordinal))
            {
                if (file.RootObject?.TryGetValue("CLARA_TRAIN_VERSION", out var v) == true && v is not null)
                {
                    explicitVersion = ConfigObject.Format(v);
                    explicitSource = $"CLARA_TRAIN_VERSION in {file.RelativePath}";
                    break;
                }
            }
        }

        var tf = new List<string>();
        var pt = new List<string>();
        var v41 = new List<string>();
        var v40 = new List<string>();

        foreach (var root in new[] { inferenceRoot, trainRoot })
        {
            if (root is null)
            {
                continue;
            }

            foreach (var key in new[] { "model_loader", "image_pipeline", "writers", "val_metrics", "label_transforms", "use_scanning_window" })
            {
                if (root.ContainsKey(key))
                {
                    tf.Add($"'{key}' key");
                }
            }

            WalkComponents(root, component =>
            {
                var name = component.GetString("name") ?? string.Empty;
                var args = component.GetObject("args");
                if (TensorFlowComponentNames.Contains(name, StringComparer.Ordinal) || name.StartsWith("TF", StringComparison.Ordinal))
                {
                    tf.Add(name);
                }

                if (args?.ContainsKey("fields") == true || args?.ContainsKey("field") == true)
                {
                    tf.Add($"{name} with 'fields'");
                }

                if (args?.ContainsKey("keys") == true)
                {
                    pt.Add($"{name} with 'keys'");
                }

                var canonical = ComponentSpec.Canonicalize(name);
                if (canonical is "Invertd" or "SaveImaged")
                {
                    v41.Add(canonical);
                }

                if (canonical is "SegmentationSaver" or "TransformInverter")
                {
                    v40.Add(canonical);
                }
            });

            if (ContainsReference(root))
            {
                v41.Add("'@' references");
            }
        }

        if (inference?.Models.Any(m => m.Kind != ModelReferenceKind.TensorFlow) == true)
        {
            pt.Add("model ts_path/ckpt_path");
        }

        if (environment.ContainsKey("MMAR_TORCHSCRIPT") || environment.ContainsKey("MMAR_CKPT"))
        {
            pt.Add("MMAR_TORCHSCRIPT/MMAR_CKPT in environment.json");
        }

        if (script?.EntryModule is { } module)
        {
            if (module.StartsWith("medl.", StringComparison.Ordinal))
            {
                pt.Add($"{script.File} runs {module}");
            }
            else if (module.StartsWith("nvmidl.", StringComparison.Ordinal))
            {
                tf.Add($"{script.File} runs {module}");
            }
        }

        if (source.Files.Any(f => f.StartsWith("models/", StringComparison.Ordinal) && ModelFileInspector.IsTensorFlowName(f)))
        {
            tf.Add("TensorFlow files in models/");
        }

        if (source.FileExists("models/model.ts") || source.FileExists("models/model.pt"))
        {
            pt.Add("models/model.ts or model.pt");
        }

        if (mdaiConfig is not null)
        {
            v40.Add("config_mdai.json (MD.ai's Clara 4.0 layout)");
        }

        var evidence = new List<string>();
        if (explicitVersion is not null)
        {
            var parts = explicitVersion.Split('.');
            var major = parts.Length > 0 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var mj) ? mj : -1;
            var minor = parts.Length > 1 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var mn) ? mn : -1;
            var generation = (major, minor) switch
            {
                (4, 1) => ClaraGeneration.Clara41,
                (4, 0) => ClaraGeneration.Clara40,
                (4, _) => ClaraGeneration.Clara4Other,
                (2 or 3, _) => ClaraGeneration.Clara3TensorFlow,
                _ => ClaraGeneration.Unknown,
            };
            evidence.Add(explicitSource!);
            return (generation, explicitVersion, explicitSource!, evidence);
        }

        if (tf.Count > 0 && tf.Count >= pt.Count)
        {
            evidence.AddRange(tf.Distinct().Take(4));
            return (ClaraGeneration.Clara3TensorFlow, "3.x", "inferred (Clara 3.x TensorFlow): " + string.Join(", ", evidence), evidence);
        }

        if (pt.Count > 0)
        {
            if (v41.Count > 0)
            {
                evidence.AddRange(v41.Distinct().Take(4));
                return (ClaraGeneration.Clara41, "4.1", "inferred (Clara 4.1, MONAI 0.8): " + string.Join(", ", evidence), evidence);
            }

            if (v40.Count > 0)
            {
                evidence.AddRange(v40.Distinct().Take(4));
                return (ClaraGeneration.Clara40, "4.0", "inferred (Clara 4.0, MONAI 0.5): " + string.Join(", ", evidence), evidence);
            }

            evidence.AddRange(pt.Distinct().Take(4));
            return (ClaraGeneration.Clara4Other, "4.x", "inferred (Clara 4.x PyTorch; nothing tells 4.0 from 4.1): " + string.Join(", ", evidence), evidence);
        }

        return (ClaraGeneration.Unknown, null, "unknown: no CLARA_TRAIN_VERSION, and the configs show neither Clara 3.x nor 4.x components", evidence);
    }

    private static void WalkComponents(object? node, Action<ConfigObject> visit)
    {
        switch (node)
        {
            case ConfigObject o:
                if (o.ContainsKey("name") && o.GetString("name") is not null)
                {
                    visit(o);
                }

                foreach (var value in o.Values)
                {
                    WalkComponents(value, visit);
                }

                break;
            case object?[] list:
                foreach (var item in list)
                {
                    WalkComponents(item, visit);
                }

                break;
        }
    }

    private static bool ContainsReference(object? node) => node switch
    {
        string s => s.StartsWith('@') && s.Length > 1 && char.IsLetter(s[1]),
        ConfigObject o => o.Values.Any(ContainsReference),
        object?[] list => list.Any(ContainsReference),
        _ => false,
    };
}
