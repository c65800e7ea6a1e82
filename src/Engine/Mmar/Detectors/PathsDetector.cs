using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Configs;

namespace MdaiClara.Engine.Mmar.Detectors;

/// <summary>The paths an MMAR names that inference and validation rely on, each classified, and every path named (for the path rules).</summary>
/// <param name="TorchScript">MMAR_TORCHSCRIPT, when a variable defines it.</param>
/// <param name="Checkpoint">MMAR_CKPT, when a variable defines it.</param>
/// <param name="DatasetJson">The datalist file: the config's dataset.data_list_file_path, else DATASET_JSON.</param>
/// <param name="DataRoot">The data root: the config's dataset.data_file_base_dir, else DATA_ROOT.</param>
/// <param name="All">Every path named, in the order read, with where it is defined (file, line:column).</param>
internal sealed record MmarPaths(
    MmarPathReference? TorchScript,
    MmarPathReference? Checkpoint,
    MmarPathReference? DatasetJson,
    MmarPathReference? DataRoot,
    IReadOnlyList<MmarPathReference> All);

/// <summary>
/// Reads the paths an MMAR names, classified against its root. Values come through the variables, so an infer.sh --set
/// override counts, and each reference points at the file (and line) that defines the value.
/// </summary>
internal static class PathsDetector
{
    internal static MmarPaths Detect(
        MmarFileSource source,
        MmarVariables variables,
        string environmentFile,
        ParsedJsonFile? envFile,
        string? inferenceFile,
        ParsedJsonFile? inferenceJson,
        InferenceConfig? inference)
    {
        var paths = new List<MmarPathReference>();
        MmarPathReference? VariablePath(string key, bool data)
        {
            if (!variables.TryGet(key, out var variable) || variable.Value is null)
            {
                return null;
            }

            var value = variables.ResolveString(variable.Value, "/" + key);
            var location = variable.Source == environmentFile ? envFile?.Locate("/" + key)
                : variable.Source == inferenceFile ? inferenceJson?.Locate("/" + key)
                : variable.Location;
            var reference = PathClassifier.Classify(source, key, value ?? string.Empty, variable.Source, location, data);
            paths.Add(reference);
            return reference;
        }

        MmarPathReference? ConfigDatasetPath(string key, string variable, string? resolved, bool data)
        {
            var raw = inferenceJson?.RootObject?.GetObject("dataset") is { } ds ? (ds.GetString(key) ?? ds.GetObject("args")?.GetString(key)) : null;
            if (raw is null || raw == "{" + variable + "}")
            {
                return VariablePath(variable, data);
            }

            var pointer = inferenceJson!.RootObject!.GetObject("dataset")!.ContainsKey(key) ? $"/dataset/{key}" : $"/dataset/args/{key}";
            var reference = PathClassifier.Classify(source, $"dataset.{key}", resolved ?? raw, inferenceFile!, inferenceJson.Locate(pointer), data);
            paths.Add(reference);
            return reference;
        }

        var torchScriptRef = VariablePath("MMAR_TORCHSCRIPT", data: false);
        var checkpointRef = VariablePath("MMAR_CKPT", data: false);
        VariablePath("MMAR_CKPT_DIR", data: false);
        var datasetRef = ConfigDatasetPath("data_list_file_path", "DATASET_JSON", inference?.Dataset?.DataListFilePath, data: true);
        var dataRootRef = ConfigDatasetPath("data_file_base_dir", "DATA_ROOT", inference?.Dataset?.DataFileBaseDir, data: true);
        VariablePath("MMAR_EVAL_OUTPUT_PATH", data: true);

        // Model paths written literally in the inference config (not through an environment placeholder).
        if (inference is not null)
        {
            foreach (var model in inference.Models.Where(m => m.Kind != ModelReferenceKind.TensorFlow && m.RawPath is not null && !IsWholePlaceholder(m.RawPath)))
            {
                paths.Add(PathClassifier.Classify(source, $"model {(model.Kind == ModelReferenceKind.TorchScript ? "ts_path" : "ckpt_path")}", model.ResolvedPath ?? model.RawPath!, model.File, model.Location, data: false));
            }
        }

        return new MmarPaths(torchScriptRef, checkpointRef, datasetRef, dataRootRef, paths);
    }

    private static bool IsWholePlaceholder(string s) => s.Length > 2 && s[0] == '{' && s[^1] == '}' && s.IndexOf('{', 1) < 0;
}
