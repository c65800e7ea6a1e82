using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Mmar;

/// <summary>
/// Reads an MMAR's configs and files into an <see cref="MmarAnalysis"/>. Handles the spread of real MMARs from
/// Clara 3.0 to 4.1: inference config in config_inference.json or only config_validation.json (or whatever
/// commands/infer.sh names), environment keys that vary, and <c>{VAR}</c> placeholders.
/// </summary>
public static partial class MmarAnalyzer
{
    private const string EnvironmentDefault = "config/environment.json";
    private const long MaxScriptBytes = 1024 * 1024;

    private static readonly string[] TensorFlowComponentNames =
    {
        "LoadNifti", "LoadPng", "LoadJpg", "ConvertToChannelsFirst", "ConvertToChannelsLast", "ScaleByResolution", "ScaleByFactor",
        "ScaleToShape", "NormalizeNonzeroIntensities", "CenterData", "FastCropByPosNegRatio", "ArgmaxAcrossChannels",
        "SplitBasedOnLabel", "CopyProperties", "RestoreOriginalShape", "WriteNifti", "WriteClassificationResult",
        "ProcessMulticlassPreds", "RepeatChannel", "FrozenGraphModelLoader", "CheckpointModelLoader",
    };

    private static readonly string[] SegmentationMarkers =
    {
        "SaveImaged", "SaveImage", "SegmentationSaver", "Invertd", "TransformInverter", "WriteNifti", "ArgmaxAcrossChannels",
        "KeepLargestConnectedComponentd", "RestoreOriginalShape",
    };

    private static readonly string[] ClassificationMarkers =
    {
        "WriteClassificationResult", "SaveClassificationd", "ClassificationSaver", "ProcessMulticlassPreds", "ComputeAUC", "Accuracy", "ROCAUC",
    };

    /// <summary>Opens and analyses the MMAR at <paramref name="path"/>; the caller owns the returned source.</summary>
    public static MmarAnalysis Open(string path, CancellationToken cancellationToken = default)
    {
        var source = MmarLocator.Open(path);
        try
        {
            return Analyze(source, cancellationToken);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    public static MmarAnalysis Analyze(MmarFileSource source, CancellationToken cancellationToken = default)
    {
        try
        {
            return AnalyzeCore(source, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new MdaiClaraException(
                $"Cannot read the MMAR at '{source.Location}': {ex.Message.TrimEnd('.')}. Check that the files are readable and the zip is complete.",
                ErrorIds.MmarReadFailed, ex is UnauthorizedAccessException ? ErrorKind.SecurityError : ErrorKind.InvalidData, source.Location, ex);
        }
    }

    private static MmarAnalysis AnalyzeCore(MmarFileSource source, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        var missingNamed = new List<(string, string)>();
        var unreadable = source.Skipped.Select(e => new UnreadableFile(e.RelativePath, e.Reason)).ToList();

        var json = ParseAllJson(source, unreadable, cancellationToken);

        var inferScript = ReadInferScript(source, unreadable);
        var environmentFile = EnvironmentDefault;
        if (inferScript?.EnvironmentFile is { } e)
        {
            var inside = MmarFileSource.NormalizeInside(e);
            if (inside is not null && source.FileExists(inside))
            {
                environmentFile = inside;
            }
            else
            {
                missingNamed.Add((e, $"{inferScript.File} (-e)"));
            }
        }

        json.TryGetValue(environmentFile, out var envFile);
        var environment = envFile?.RootObject ?? ConfigObject.Empty;

        var (inferenceFile, selectedBecause) = SelectInferenceConfig(source, inferScript, missingNamed);
        ParsedJsonFile? inferenceJson = inferenceFile is not null && json.TryGetValue(inferenceFile, out var ij) ? ij : null;
        var inferenceRoot = inferenceJson?.RootObject;

        var trainFile = SelectTrainConfig(source);
        ParsedJsonFile? trainJson = trainFile is not null && json.TryGetValue(trainFile, out var tj) ? tj : null;

        var mdaiConfig = ReadConfigMdai(source, json);

        var unresolved = new List<UnresolvedReference>();
        var variables = MmarVariables.Build(inferenceRoot, inferenceFile, environment, inferScript?.SetValues, environmentFile, inferScript?.SetLocations);
        var trainVariables = MmarVariables.Build(trainJson?.RootObject, trainFile, environment, inferScript?.SetValues, environmentFile, inferScript?.SetLocations);

        var inference = inferenceRoot is not null && inferenceJson is not null
            ? ReadInferenceConfig(inferenceJson, inferenceRoot, selectedBecause!, variables, unresolved)
            : null;

        var (generation, version, versionSource, evidence) = DetectGeneration(source, json, environment, inferenceRoot, trainJson?.RootObject, inference, inferScript, mdaiConfig);
        var framework = generation switch
        {
            ClaraGeneration.Clara3TensorFlow => "TensorFlow",
            ClaraGeneration.Unknown => "Unknown",
            _ => "PyTorch",
        };

        var (task, taskSource) = DetectTask(variables, environment, mdaiConfig, json, inference);
        var trainNetworkArgs = FindNetworkArgs(trainJson?.RootObject, trainVariables, trainFile);

        var (inChannels, inSource) = FirstChannelCount(
            (variables["INPUT_CHANNELS"], "INPUT_CHANNELS in config/environment.json"),
            (trainNetworkArgs.Args?.GetValueOrDefault("in_channels"), $"in_channels of the network in {trainNetworkArgs.File}"));
        (inChannels, inSource) = ExtraModelInputs.InputChannels(inChannels, inSource, inference);

        var (outChannels, outSource) = FirstChannelCount(
            (variables["OUTPUT_CHANNELS"], "OUTPUT_CHANNELS in config/environment.json"),
            (mdaiConfig?.GetValueOrDefault("out_classes"), "out_classes in config_mdai.json"),
            (trainNetworkArgs.Args?.GetValueOrDefault("out_channels"), $"out_channels of the network in {trainNetworkArgs.File}"),
            (trainNetworkArgs.Args?.GetValueOrDefault("num_classes"), $"num_classes of the network in {trainNetworkArgs.File}"),
            (trainNetworkArgs.Args?.GetValueOrDefault("out_classes"), $"out_classes of the network in {trainNetworkArgs.File}"),
            (OneHotClasses(inference), $"the one-hot class count of AsDiscreted in {inferenceFile}"));

        var (dataListKey, dataListKeySource) = FirstString(
            (variables.ResolveString(variables["INFER_DATALIST_KEY"]), "INFER_DATALIST_KEY in config/environment.json"),
            (mdaiConfig?.GetString("data_list_key"), "data_list_key in config_mdai.json"),
            (inference?.Dataset?.DataListKey, $"dataset.data_list_key in {inferenceFile}"),
            (inferenceRoot is null ? null : variables.ResolveString(variables["data_list_key"]), $"data_list_key in {inferenceFile}"));

        // Paths the MMAR names, classified against its root. Values come through the variables, so an infer.sh --set
        // override counts, and findings point at the file (and line) that defines the value.
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
            var reference = Classify(source, key, value ?? string.Empty, variable.Source, location, data);
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
            var reference = Classify(source, $"dataset.{key}", resolved ?? raw, inferenceFile!, inferenceJson.Locate(pointer), data);
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
                paths.Add(Classify(source, $"model {(model.Kind == ModelReferenceKind.TorchScript ? "ts_path" : "ckpt_path")}", model.ResolvedPath ?? model.RawPath!, model.File, model.Location, data: false));
            }
        }

        var torchScript = LocateModel(source, inference, torchScriptRef, ModelReferenceKind.TorchScript, "models/model.ts", cancellationToken);
        var checkpoint = LocateModel(source, inference, checkpointRef, ModelReferenceKind.Checkpoint, "models/model.pt", cancellationToken);

        ParsedJsonFile? datasetJson = null;
        if (datasetRef is { Kind: MmarPathKind.InsideMmar, RelativePath: { } dsPath })
        {
            json.TryGetValue(dsPath, out datasetJson);
        }

        var labels = ReadLabels(datasetJson, json, task);

        foreach (var file in unreadable)
        {
            notes.Add($"{file.Path}: not read, because {file.Reason}.");
        }

        foreach (var file in json.Values.Where(f => !f.IsValid))
        {
            notes.Add($"{file.RelativePath}:{file.SyntaxError!.Line}:{file.SyntaxError.Column}: {file.SyntaxError.Message}");
        }

        if (inferenceFile is null)
        {
            notes.Add("No inference config found (config/config_inference.json or config/config_validation.json).");
        }

        var info = new MmarInfo
        {
            Name = MmarName(source),
            Path = source.Location,
            SourceKind = source.Kind,
            RootPrefix = source.RootPrefix,
            ClaraVersion = version,
            Generation = generation,
            ClaraVersionSource = versionSource,
            Framework = framework,
            Task = task,
            TaskSource = taskSource,
            InputChannels = inChannels,
            InputChannelsSource = inSource,
            OutputChannels = outChannels,
            OutputChannelsSource = outSource,
            DataListKey = dataListKey,
            DataListKeySource = dataListKeySource,
            DatasetJson = datasetRef,
            DataRoot = dataRootRef,
            TorchScript = torchScript,
            Checkpoint = checkpoint,
            InferenceConfig = inference,
            Labels = labels,
            ConfigFiles = source.FilesUnder("config").ToList(),
            Environment = environment,
            InferScript = inferScript,
            Notes = notes,
        };

        // Placeholders are only worth reporting where they are used: the environment and the inference pipeline.
        var envUnresolved = new List<UnresolvedPlaceholder>();
        variables.Resolve(environment, string.Empty, envUnresolved);
        unresolved.AddRange(envUnresolved.Select(u => new UnresolvedReference(environmentFile, u.Name, u.JsonPointer, envFile?.Locate(u.JsonPointer))));

        return new MmarAnalysis
        {
            Source = source,
            Info = info,
            JsonFiles = json,
            MissingNamedFiles = missingNamed,
            EnvironmentFile = environmentFile,
            TrainConfigFile = trainFile,
            InferenceConfigFile = inferenceFile,
            PathReferences = paths,
            UnresolvedPlaceholders = unresolved.DistinctBy(u => (u.File, u.Name, u.JsonPointer)).ToList(),
            UnreadableFiles = unreadable,
            GenerationEvidence = evidence,
            DatasetJsonFile = datasetJson,
        };
    }

    private static Dictionary<string, ParsedJsonFile> ParseAllJson(MmarFileSource source, List<UnreadableFile> unreadable, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, ParsedJsonFile>(StringComparer.Ordinal);
        foreach (var file in source.Files.Where(f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                result[file] = JsonConfigParser.Parse(file, source.ReadAllBytes(file, MmarFileSource.MaxJsonBytes));
            }
            catch (MdaiClaraException ex) when (ex.ErrorId == ErrorIds.MmarFileTooLarge)
            {
                unreadable.Add(new UnreadableFile(file, $"it is {source.GetLength(file):N0} bytes, more than the {MmarFileSource.MaxJsonBytes:N0} bytes allowed for a JSON file"));
            }
            catch (MdaiClaraException ex) when (ex.ErrorId == ErrorIds.MmarZipCorrupt)
            {
                unreadable.Add(new UnreadableFile(file, DamagedEntryReason(ex)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                unreadable.Add(new UnreadableFile(file, $"it cannot be read ({ex.Message.TrimEnd('.')})"));
            }
        }

        return result;
    }

    private static InferScript? ReadInferScript(MmarFileSource source, List<UnreadableFile> unreadable)
    {
        const string path = "commands/infer.sh";
        if (!source.FileExists(path))
        {
            return null;
        }

        try
        {
            var bytes = source.ReadAllBytes(path, MaxScriptBytes);
            return InferScript.Parse(path, Encoding.UTF8.GetString(bytes));
        }
        catch (MdaiClaraException ex) when (ex.ErrorId == ErrorIds.MmarZipCorrupt)
        {
            unreadable.Add(new UnreadableFile(path, DamagedEntryReason(ex)));
            return null;
        }
        catch (Exception ex) when (ex is MdaiClaraException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            unreadable.Add(new UnreadableFile(path, $"it cannot be read ({ex.Message.TrimEnd('.')})"));
            return null;
        }
    }

    /// <summary>Why a damaged zip entry cannot be read, in the words of the zip reader.</summary>
    private static string DamagedEntryReason(MdaiClaraException ex) =>
        $"its entry in the zip is damaged ({(ex.InnerException is { } inner ? ZipEntryReadStream.ZipReason(inner) : "unreadable")}); re-download the .zip or re-create it from the MMAR folder";

    private static (string? File, string? Because) SelectInferenceConfig(MmarFileSource source, InferScript? script, List<(string, string)> missingNamed)
    {
        if (script?.ConfigFile is { } named)
        {
            var inside = MmarFileSource.NormalizeInside(named);
            if (inside is not null && source.FileExists(inside))
            {
                return (inside, $"named by {script.File} (-c {named})");
            }

            missingNamed.Add((named, $"{script.File} (-c)"));
        }

        foreach (var candidate in new[] { "config/config_inference.json", "config/config_validation.json" })
        {
            if (source.FileExists(candidate))
            {
                var because = candidate.EndsWith("config_inference.json", StringComparison.Ordinal)
                    ? "the standard inference config"
                    : "no config/config_inference.json; config/config_validation.json runs the same pipeline with the TorchScript model";
                return (candidate, because);
            }
        }

        var other = source.FilesUnder("config").FirstOrDefault(f => Path.GetFileName(f).StartsWith("config_validation", StringComparison.Ordinal) && f.EndsWith(".json", StringComparison.Ordinal));
        return other is null ? (null, null) : (other, $"the only validation config ({other})");
    }

    private static string? SelectTrainConfig(MmarFileSource source)
    {
        var configFiles = source.FilesUnder("config").Where(f => f.EndsWith(".json", StringComparison.Ordinal)).ToList();
        return configFiles.FirstOrDefault(f => f == "config/config_train.json")
            ?? configFiles.FirstOrDefault(f => Path.GetFileName(f).StartsWith("config_train", StringComparison.Ordinal))
            ?? configFiles.FirstOrDefault(f => Path.GetFileName(f).StartsWith("trn_", StringComparison.Ordinal));
    }

    private static ConfigObject? ReadConfigMdai(MmarFileSource source, Dictionary<string, ParsedJsonFile> json)
    {
        if (json.TryGetValue("config_mdai.json", out var inside))
        {
            return inside.RootObject;
        }

        // MD.ai's Clara 4.0 layout keeps config_mdai.json beside the MMAR folder (in a folder or a zip).
        var beside = source.TryReadBesideRoot("config_mdai.json", MmarFileSource.MaxJsonBytes);
        return beside is null ? null : JsonConfigParser.Parse("config_mdai.json", beside).RootObject;
    }

    private static InferenceConfig ReadInferenceConfig(ParsedJsonFile file, ConfigObject root, string because, MmarVariables variables, List<UnresolvedReference> unresolved)
    {
        List<ComponentSpec> Components(string key, bool partOfPipeline)
        {
            var list = new List<ComponentSpec>();
            if (root.TryGetValue(key, out var value) && value is object?[] items)
            {
                for (var i = 0; i < items.Length; i++)
                {
                    if (items[i] is ConfigObject o && ReadComponent(file, o, $"/{key}/{i}", variables, unresolved, partOfPipeline) is { } c)
                    {
                        list.Add(c);
                    }
                }
            }

            return list;
        }

        ComponentSpec? inferer = null;
        if (root.GetObject("inferer") is { } infererObject)
        {
            inferer = ReadComponent(file, infererObject, "/inferer", variables, unresolved, partOfPipeline: true);
        }

        var handlers = Components("handlers", partOfPipeline: false);
        handlers.AddRange(Components("writers", partOfPipeline: false));

        var post = Components("post_transforms", partOfPipeline: true);

        var models = new List<ModelReference>();
        void AddModel(ConfigObject o, string pointer)
        {
            var disabled = IsTrue(variables.Resolve(o.TryGetValue("disabled", out var d) ? d : null, pointer + "/disabled", null));
            foreach (var (key, kind) in new[] { ("ts_path", ModelReferenceKind.TorchScript), ("ckpt_path", ModelReferenceKind.Checkpoint) })
            {
                if (o.TryGetValue(key, out var raw) && raw is string s)
                {
                    var list = new List<UnresolvedPlaceholder>();
                    var resolved = variables.ResolveString(s, pointer + "/" + key, list);
                    unresolved.AddRange(list.Select(u => new UnresolvedReference(file.RelativePath, u.Name, u.JsonPointer, file.Locate(u.JsonPointer), StopsInference: !disabled)));
                    models.Add(new ModelReference(kind, s, resolved, disabled, file.RelativePath, pointer + "/" + key, file.Locate(pointer + "/" + key)));
                }
            }
        }

        if (root.TryGetValue("model", out var model))
        {
            if (model is ConfigObject single)
            {
                AddModel(single, "/model");
            }
            else if (model is object?[] many)
            {
                for (var i = 0; i < many.Length; i++)
                {
                    if (many[i] is ConfigObject o)
                    {
                        AddModel(o, $"/model/{i}");
                    }
                }
            }
        }

        if (root.GetObject("model_loader") is { } loader)
        {
            var args = loader.GetObject("args");
            var raw = args?.GetString("model_file_path");
            models.Add(new ModelReference(ModelReferenceKind.TensorFlow, raw, raw is null ? null : variables.ResolveString(raw), false, file.RelativePath, "/model_loader", file.Locate("/model_loader")));
        }

        DatasetSpec? dataset = null;
        if (root.GetObject("dataset") is { } ds)
        {
            var dsArgs = ds.GetObject("args");
            object? Pick(string key) => ds.TryGetValue(key, out var v) ? v : dsArgs is not null && dsArgs.TryGetValue(key, out var a) ? a : null;
            string? Resolve(string key)
            {
                var pointer = ds.ContainsKey(key) ? $"/dataset/{key}" : $"/dataset/args/{key}";
                var list = new List<UnresolvedPlaceholder>();
                var value = variables.ResolveString(Pick(key), pointer, list);
                unresolved.AddRange(list.Select(u => new UnresolvedReference(file.RelativePath, u.Name, u.JsonPointer, file.Locate(u.JsonPointer), StopsInference: true)));
                return value;
            }

            var keyRaw = Pick("data_list_key");
            var key = Resolve("data_list_key");
            dataset = new DatasetSpec(
                Resolve("data_list_file_path"),
                Resolve("data_file_base_dir"),
                key is not null && key.Contains('{', StringComparison.Ordinal) ? null : key,
                keyRaw as string);
        }

        bool? amp = variables.Resolve(root.TryGetValue("amp", out var ampRaw) ? ampRaw : root.TryGetValue("use_amp", out var useAmp) ? useAmp : null, "/amp", null) switch
        {
            bool b => b,
            _ => null,
        };

        return new InferenceConfig(file.RelativePath, because, Components("pre_transforms", partOfPipeline: true), inferer, post, handlers, models, dataset, amp);
    }

    private static ComponentSpec? ReadComponent(ParsedJsonFile file, ConfigObject o, string pointer, MmarVariables variables, List<UnresolvedReference> unresolved, bool partOfPipeline)
    {
        var name = o.GetString("name");
        var customPath = o.GetString("path");
        if (name is null && customPath is null)
        {
            return null;
        }

        var list = new List<UnresolvedPlaceholder>();
        var args = variables.Resolve(o.GetObject("args") ?? ConfigObject.Empty, pointer + "/args", list) as ConfigObject ?? ConfigObject.Empty;
        var disabled = IsTrue(variables.Resolve(o.TryGetValue("disabled", out var d) ? d : null, pointer + "/disabled", list));
        unresolved.AddRange(list.Select(u => new UnresolvedReference(file.RelativePath, u.Name, u.JsonPointer, file.Locate(u.JsonPointer), StopsInference: partOfPipeline && !disabled)));

        var display = name ?? customPath!;
        return new ComponentSpec(
            display,
            name is not null ? ComponentSpec.Canonicalize(name) : customPath!,
            IsCustomCode: name is null,
            args,
            disabled,
            file.RelativePath,
            pointer,
            file.Locate(pointer));
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

    private static (ConfigObject? Args, string? File) FindNetworkArgs(ConfigObject? trainRoot, MmarVariables variables, string? trainFile)
    {
        if (trainRoot is null)
        {
            return (null, null);
        }

        // Breadth-first for a "model" entry with name/path and args, as MONAI's MMAR loader searches.
        var queue = new Queue<object?>();
        queue.Enqueue(trainRoot);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            if (node is ConfigObject o)
            {
                if (o.GetObject("model") is { } model && (model.ContainsKey("name") || model.ContainsKey("path")) && model.GetObject("args") is { } args)
                {
                    return (variables.Resolve(args, "/model/args", null) as ConfigObject, trainFile);
                }

                foreach (var v in o.Values)
                {
                    queue.Enqueue(v);
                }
            }
            else if (node is object?[] list)
            {
                foreach (var item in list)
                {
                    queue.Enqueue(item);
                }
            }
        }

        return (null, trainFile);
    }

    private static object? OneHotClasses(InferenceConfig? inference)
    {
        var discrete = inference?.PostTransforms.FirstOrDefault(c => c.CanonicalName is "AsDiscreted" or "AsDiscrete");
        if (discrete is null)
        {
            return null;
        }

        if (discrete.Args.TryGetValue("to_onehot", out var onehot) && onehot is long or double)
        {
            return onehot;
        }

        foreach (var key in new[] { "n_classes", "num_classes" })
        {
            if (discrete.Args.TryGetValue(key, out var n) && n is long or double)
            {
                return n;
            }
        }

        return null;
    }

    private static (int?, string?) FirstChannelCount(params (object? Value, string Source)[] candidates)
    {
        foreach (var (value, source) in candidates)
        {
            var n = value switch
            {
                long l when l is > 0 and <= int.MaxValue => (int?)l,
                double d when d > 0 && d == Math.Floor(d) && d <= int.MaxValue => (int)d,
                string s when int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i > 0 => i,
                _ => null,
            };
            if (n is not null)
            {
                return (n, source);
            }
        }

        return (null, null);
    }

    private static (string?, string?) FirstString(params (string? Value, string Source)[] candidates)
    {
        foreach (var (value, source) in candidates)
        {
            if (!string.IsNullOrWhiteSpace(value) && !value.Contains('{', StringComparison.Ordinal))
            {
                return (value, source);
            }
        }

        return (null, null);
    }

    internal static MmarPathReference Classify(MmarFileSource source, string key, string value, string definedIn, SourceLocation? location, bool data)
    {
        var raw = value.Trim();
        if (raw.Length == 0 || raw.Contains('{', StringComparison.Ordinal))
        {
            return new MmarPathReference(key, value, MmarPathKind.Invalid, null, false, definedIn, location);
        }

        foreach (var prefix in new[] { "$MMAR_ROOT/", "${MMAR_ROOT}/" })
        {
            if (raw.StartsWith(prefix, StringComparison.Ordinal))
            {
                raw = raw[prefix.Length..];
            }
        }

        if (raw.StartsWith('/') || raw.StartsWith('\\') || (raw.Length >= 2 && char.IsLetter(raw[0]) && raw[1] == ':') || raw.StartsWith('~'))
        {
            return new MmarPathReference(key, value, MmarPathKind.External, null, false, definedIn, location);
        }

        var inside = MmarFileSource.NormalizeInside(raw);
        if (inside is null)
        {
            return new MmarPathReference(key, value, MmarPathKind.EscapesMmar, null, false, definedIn, location);
        }

        var exists = inside.Length == 0 || source.FileExists(inside) || source.DirectoryExists(inside);
        return new MmarPathReference(key, value, MmarPathKind.InsideMmar, inside, exists, definedIn, location);
    }

    private static ModelFileInfo? LocateModel(MmarFileSource source, InferenceConfig? inference, MmarPathReference? envReference, ModelReferenceKind kind, string conventional, CancellationToken cancellationToken)
    {
        string? relative = null;
        string origin;
        var configured = inference?.Models.FirstOrDefault(m => m.Kind == kind && !m.Disabled) ?? inference?.Models.FirstOrDefault(m => m.Kind == kind);
        if (configured?.ResolvedPath is { } unresolvedPath && unresolvedPath.Contains('{', StringComparison.Ordinal))
        {
            // Clara would stop here; do not quietly run some other model file instead.
            return new ModelFileInfo(unresolvedPath, unresolvedPath, false, null, null, ModelFileFormat.Unknown,
                $"not a usable path: it holds a placeholder no variable defines", $"{(kind == ModelReferenceKind.TorchScript ? "ts_path" : "ckpt_path")} in {configured.File}");
        }

        if (configured?.ResolvedPath is { } configuredPath)
        {
            var reference = Classify(source, "model", configuredPath, configured.File, configured.Location, data: false);
            if (reference.Kind != MmarPathKind.InsideMmar)
            {
                return new ModelFileInfo(configuredPath, configuredPath, false, null, null, ModelFileFormat.Unknown, "outside the MMAR", $"{(kind == ModelReferenceKind.TorchScript ? "ts_path" : "ckpt_path")} in {configured.File}");
            }

            relative = reference.RelativePath;
            origin = $"{(kind == ModelReferenceKind.TorchScript ? "ts_path" : "ckpt_path")} in {configured.File}";
        }
        else if (envReference is not null)
        {
            if (envReference.Kind != MmarPathKind.InsideMmar)
            {
                return new ModelFileInfo(envReference.RawValue, envReference.RawValue, false, null, null, ModelFileFormat.Unknown, envReference.Kind == MmarPathKind.Invalid ? "not a usable path" : "outside the MMAR", $"{envReference.Key} in {envReference.DefinedIn}");
            }

            relative = envReference.RelativePath;
            origin = $"{envReference.Key} in {envReference.DefinedIn}";
        }
        else if (source.FileExists(conventional))
        {
            relative = conventional;
            origin = "found at the conventional path";
        }
        else
        {
            return null;
        }

        if (relative is null || !source.FileExists(relative))
        {
            return new ModelFileInfo(relative ?? string.Empty, source.DisplayPath(relative ?? string.Empty), false, null, null, ModelFileFormat.Unknown, "the file does not exist", origin);
        }

        var bytes = source.GetLength(relative);
        string sha;
        ModelFileInspection inspection;
        try
        {
            using (var stream = source.OpenRead(relative))
            {
                sha = Sha256Hex(stream, cancellationToken);
            }

            using (var stream = OpenSeekable(source, relative))
            {
                inspection = ModelFileInspector.Inspect(stream, relative);
            }
        }
        catch (MdaiClaraException ex) when (ex.ErrorId == ErrorIds.MmarZipCorrupt)
        {
            return new ModelFileInfo(relative, source.DisplayPath(relative), true, bytes, null, ModelFileFormat.NotAModel, DamagedEntryReason(ex), origin);
        }

        return new ModelFileInfo(relative, source.DisplayPath(relative), true, bytes, sha, inspection.Format, inspection.Detail, origin);
    }

    /// <summary>Zip entry streams cannot seek; model files are spooled to a temp file that deletes itself.</summary>
    internal static Stream OpenSeekable(MmarFileSource source, string relative)
    {
        var stream = source.OpenRead(relative);
        if (stream.CanSeek)
        {
            return stream;
        }

        var temp = new FileStream(Path.Combine(Path.GetTempPath(), "mdaiclara-" + Guid.NewGuid().ToString("N") + ".tmp"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
        using (stream)
        {
            stream.CopyTo(temp);
        }

        temp.Position = 0;
        return temp;
    }

    private static string Sha256Hex(Stream stream, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            hash.AppendData(buffer, 0, n);
        }

        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    private static IReadOnlyList<string>? ReadLabels(ParsedJsonFile? datasetJson, Dictionary<string, ParsedJsonFile> json, string task)
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

        // AIAA lists the foreground labels only.
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

    private static string MmarName(MmarFileSource source)
    {
        if (source.RootPrefix.Length > 0)
        {
            return source.RootPrefix.TrimEnd('/').Split('/').Last();
        }

        var location = source.Location.TrimEnd('/', '\\');
        return source.Kind == MmarSourceKind.Zip ? Path.GetFileNameWithoutExtension(location) : Path.GetFileName(Path.GetFullPath(location));
    }

    private static bool IsTrue(object? value) => value switch
    {
        bool b => b,
        string s => s.Equals("true", StringComparison.OrdinalIgnoreCase),
        long l => l != 0,
        _ => false,
    };

    private static bool IsWholePlaceholder(string s) => s.Length > 2 && s[0] == '{' && s[^1] == '}' && s.IndexOf('{', 1) < 0;
}
