using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Mmar;

namespace MdaiClara.Engine.Mdai.Packaging;

/// <summary>
/// What the analysis says each part of an MMAR is for, as packaging needs it: the files inference cannot run without,
/// the model file the inference config loads (and those it does not), the folders the MMAR declares for inference, the
/// files the inference config names, and the folders that hold evaluation output or a dataset.
/// </summary>
internal sealed partial class MmarFileRoles
{
    /// <summary>The folders every Clara MMAR keeps for what inference reads: configs, scripts, resources, docs, BYOC code.</summary>
    public static readonly IReadOnlyList<string> StandardFolders = ["config", "commands", "resources", "docs", "custom"];

    private static readonly string[] ModelExtensions = [".pt", ".pth", ".ts", ".ckpt", ".onnx", ".pb", ".h5", ".hdf5", ".trt", ".engine", ".plan", ".safetensors"];

    private static readonly string[] DatasetFolderNames = ["data", "dataset", "datasets", "imagesTr", "imagesTs", "labelsTr", "labelsTs", "sampleData"];

    /// <summary>Files inference cannot run without, each with what needs it. They are always packaged.</summary>
    public required IReadOnlyDictionary<string, string> Required { get; init; }

    /// <summary>The model file the inference config loads, when the analysis can tell.</summary>
    public string? LoadedModel { get; init; }

    /// <summary>Model files the analysis knows and the config does not load, each with why.</summary>
    public required IReadOnlyDictionary<string, string> ModelsNotLoaded { get; init; }

    /// <summary>Folders that hold model files (models/, MMAR_CKPT_DIR): other checkpoints in them are not loaded.</summary>
    public required IReadOnlyList<string> ModelFolders { get; init; }

    /// <summary>Folders packaged as they are (the standard ones, those the scripts name under $MMAR_ROOT).</summary>
    public required IReadOnlyList<string> DeclaredFolders { get; init; }

    /// <summary>Single files the scripts name under $MMAR_ROOT.</summary>
    public required IReadOnlySet<string> DeclaredFiles { get; init; }

    /// <summary>Files the inference config's components name (a lookup table, an atlas), each with where.</summary>
    public required IReadOnlyDictionary<string, string> NamedByConfig { get; init; }

    /// <summary>Folders of evaluation output, each with what makes it one.</summary>
    public required IReadOnlyDictionary<string, string> EvaluationFolders { get; init; }

    /// <summary>Dataset folders, each with what makes it one.</summary>
    public required IReadOnlyDictionary<string, string> DatasetFolders { get; init; }

    public static bool IsModelFile(string path)
    {
        var name = path[(path.LastIndexOf('/') + 1)..].ToLowerInvariant();
        return ModelExtensions.Any(e => name.EndsWith(e, StringComparison.Ordinal)) || name.Contains(".ckpt.", StringComparison.Ordinal);
    }

    public static bool IsUnder(string path, string folder) =>
        folder.Length == 0 || path.StartsWith(folder + "/", StringComparison.Ordinal);

    public static MmarFileRoles Of(MmarAnalysis analysis, MdaiDeploySettings settings)
    {
        var source = analysis.Source;
        var info = analysis.Info;
        string? Inside(string? path) => path is null ? null : MmarFileSource.NormalizeInside(path) is { Length: > 0 } p ? p : null;
        string? Folder(MmarPathReference? reference) =>
            reference is { Kind: MmarPathKind.InsideMmar, RelativePath: { Length: > 0 } r } && source.DirectoryExists(r) ? r : null;

        var required = new Dictionary<string, string>(StringComparer.Ordinal);
        void Require(string? path, string why)
        {
            if (Inside(path) is { } p && source.FileExists(p))
            {
                required.TryAdd(p, why);
            }
        }

        Require(settings.InferenceConfig, "the inference config");
        Require(settings.EnvironmentJson, "the environment the inference config reads");
        Require(info.InferScript?.ConfigFile, "the config commands/infer.sh runs");
        Require(info.InferScript?.EnvironmentFile, "the environment commands/infer.sh passes");
        Require("commands/infer.sh", "what MD.ai's interface code runs");
        Require("commands/set_env.sh", "what commands/infer.sh sources");
        Require(settings.DatasetJson, "the datalist the interface code fills");

        // The model the config loads: its first model entry that is not disabled (Clara's rule), else the TorchScript
        // MdaiClara runs when the config names none.
        var active = info.InferenceConfig?.ActiveModel;
        var (loaded, other) = active?.Kind switch
        {
            ModelReferenceKind.Checkpoint => (info.Checkpoint, info.TorchScript),
            ModelReferenceKind.TorchScript or null => (info.TorchScript, info.Checkpoint),
            _ => (null, null),
        };
        var loadedPath = loaded is { Exists: true } ? Inside(loaded.RelativePath) : null;
        var loadedWhy = active is null
            ? "the TorchScript model (no model entry in the inference config)"
            : $"the model {active.File} loads ({(active.Kind == ModelReferenceKind.Checkpoint ? "ckpt_path" : "ts_path")})";
        Require(loadedPath, loadedWhy);

        var notLoaded = new Dictionary<string, string>(StringComparer.Ordinal);
        var modelFolders = new List<string>();
        var declared = new List<string>(StandardFolders);
        if (loadedPath is not null)
        {
            if (other is { Exists: true } && Inside(other.RelativePath) is { } otherPath && otherPath != loadedPath)
            {
                notLoaded[otherPath] = $"{active?.File ?? "the inference config"} loads {loadedPath}; inference never reads this {(active?.Kind == ModelReferenceKind.Checkpoint ? "TorchScript" : "checkpoint")}";
            }

            modelFolders.Add(loadedPath.Contains('/') ? loadedPath[..loadedPath.LastIndexOf('/')] : string.Empty);
            modelFolders.Add(Folder(analysis.PathReferences.FirstOrDefault(r => r.Key == "MMAR_CKPT_DIR")) ?? "models");
            modelFolders.Add("models");
            modelFolders.RemoveAll(f => f.Length == 0);
        }
        else
        {
            // Which file is loaded is not known: every model file stays, wherever the MMAR keeps them.
            declared.Add("models");
            declared.AddRange(new[] { info.TorchScript, info.Checkpoint }.Where(m => m is { Exists: true }).Select(m => Inside(m!.RelativePath)).OfType<string>().Where(p => p.Contains('/')).Select(p => p[..p.LastIndexOf('/')]));
        }

        var declaredFiles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var named in ScriptNamedPaths(source))
        {
            if (source.FileExists(named))
            {
                declaredFiles.Add(named);
            }
            else if (source.DirectoryExists(named))
            {
                declared.Add(named);
            }
        }

        var evaluation = new Dictionary<string, string>(StringComparer.Ordinal);
        if (analysis.PathReferences.FirstOrDefault(r => r.Key == "MMAR_EVAL_OUTPUT_PATH") is { } evalRef && Folder(evalRef) is { } evalFolder)
        {
            evaluation[evalFolder] = $"MMAR_EVAL_OUTPUT_PATH ({evalRef.DefinedIn}): earlier predictions and metrics, possibly of patients";
        }

        if (source.DirectoryExists("eval"))
        {
            evaluation.TryAdd("eval", "where Clara writes predictions and metrics: earlier results, possibly of patients");
        }

        var datasets = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Folder(info.DataRoot) is { } dataRoot)
        {
            datasets[dataRoot] = $"DATA_ROOT ({info.DataRoot!.DefinedIn}) points into the MMAR: the dataset, not the model";
        }

        foreach (var top in source.Files.Where(f => f.Contains('/')).Select(f => f[..f.IndexOf('/')]).Distinct(StringComparer.Ordinal))
        {
            if (DatasetFolderNames.Contains(top, StringComparer.OrdinalIgnoreCase))
            {
                datasets.TryAdd(top, "a folder named as datasets are");
            }
        }

        return new MmarFileRoles
        {
            Required = required,
            LoadedModel = loadedPath,
            ModelsNotLoaded = notLoaded,
            ModelFolders = modelFolders.Distinct(StringComparer.Ordinal).ToList(),
            DeclaredFolders = declared.Distinct(StringComparer.Ordinal).ToList(),
            DeclaredFiles = declaredFiles,
            NamedByConfig = FilesNamedByConfig(analysis, required),
            EvaluationFolders = evaluation,
            DatasetFolders = datasets,
        };
    }

    /// <summary>Paths under $MMAR_ROOT that commands/infer.sh and set_env.sh name (set_env.sh puts custom/ on PYTHONPATH).</summary>
    private static IEnumerable<string> ScriptNamedPaths(MmarFileSource source)
    {
        foreach (var script in new[] { "commands/infer.sh", "commands/set_env.sh" }.Where(source.FileExists))
        {
            string text;
            try
            {
                text = Encoding.UTF8.GetString(source.ReadAllBytes(script, 1 << 20));
            }
            catch (Exception ex) when (ex is Errors.MdaiClaraException or System.IO.IOException or UnauthorizedAccessException or System.IO.InvalidDataException)
            {
                // Too large or unreadable: the writer reports an unreadable file; a huge script names nothing here.
                continue;
            }

            foreach (Match match in MmarRootPath().Matches(text))
            {
                if (MmarFileSource.NormalizeInside(match.Groups["path"].Value) is { Length: > 0 } path)
                {
                    yield return path;
                }
            }
        }
    }

    /// <summary>Files the enabled components of the inference config name by a path inside the MMAR.</summary>
    private static Dictionary<string, string> FilesNamedByConfig(MmarAnalysis analysis, IReadOnlyDictionary<string, string> required)
    {
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        var config = analysis.Info.InferenceConfig;
        if (config is null)
        {
            return named;
        }

        var components = config.PreTransforms.Concat(config.PostTransforms).Concat(config.Handlers).Append(config.Inferer).OfType<ComponentSpec>().Where(c => !c.Disabled);
        foreach (var component in components)
        {
            foreach (var text in Strings(component.Args))
            {
                if (text.Length is > 0 and < 1024 && MmarFileSource.NormalizeInside(text) is { Length: > 0 } path && !required.ContainsKey(path) && analysis.Source.FileExists(path))
                {
                    named.TryAdd(path, $"{component.File}{(component.Location is { } at ? ":" + at : string.Empty)} ({component.Name}) names it");
                }
            }
        }

        return named;
    }

    private static IEnumerable<string> Strings(object? value) => value switch
    {
        string s => [s],
        ConfigObject o => o.SelectMany(p => Strings(p.Value)),
        object?[] list => list.SelectMany(Strings),
        _ => [],
    };

    [GeneratedRegex(@"\$\{?MMAR_ROOT\}?/+(?<path>[A-Za-z0-9_.\-][A-Za-z0-9_.\-/]*)")]
    private static partial Regex MmarRootPath();
}
