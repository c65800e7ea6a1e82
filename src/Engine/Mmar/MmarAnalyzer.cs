using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Mmar.Detectors;

namespace MdaiClara.Engine.Mmar;

/// <summary>
/// Reads an MMAR's configs and files into an <see cref="MmarAnalysis"/>. Handles the spread of real MMARs from
/// Clara 3.0 to 4.1: inference config in config_inference.json or only config_validation.json (or whatever
/// commands/infer.sh names), environment keys that vary, and <c>{VAR}</c> placeholders. It composes the detectors of
/// <see cref="Detectors"/> (config selection, inference config, generation, task, channels, datalist key, paths, model
/// file, labels), each of which returns its value with the evidence it was found from.
/// </summary>
public static partial class MmarAnalyzer
{
    private const long MaxScriptBytes = 1024 * 1024;

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
        var environmentFile = ConfigSelectionDetector.EnvironmentFile(source, inferScript, missingNamed).Value;

        json.TryGetValue(environmentFile, out var envFile);
        var environment = envFile?.RootObject ?? ConfigObject.Empty;

        var (inferenceFile, selectedBecause) = ConfigSelectionDetector.InferenceConfig(source, inferScript, missingNamed);
        ParsedJsonFile? inferenceJson = inferenceFile is not null && json.TryGetValue(inferenceFile, out var ij) ? ij : null;
        var inferenceRoot = inferenceJson?.RootObject;

        var trainFile = ConfigSelectionDetector.TrainConfig(source);
        ParsedJsonFile? trainJson = trainFile is not null && json.TryGetValue(trainFile, out var tj) ? tj : null;

        var mdaiConfig = ConfigSelectionDetector.MdaiConfig(source, json);

        var unresolved = new List<UnresolvedReference>();
        var variables = MmarVariables.Build(inferenceRoot, inferenceFile, environment, inferScript?.SetValues, environmentFile, inferScript?.SetLocations);
        var trainVariables = MmarVariables.Build(trainJson?.RootObject, trainFile, environment, inferScript?.SetValues, environmentFile, inferScript?.SetLocations);

        var inference = inferenceRoot is not null && inferenceJson is not null
            ? InferenceConfigReader.Read(inferenceJson, inferenceRoot, selectedBecause!, variables, unresolved)
            : null;

        var (generation, version, versionSource, evidence) = GenerationDetector.Detect(source, json, environment, inferenceRoot, trainJson?.RootObject, inference, inferScript, mdaiConfig);
        var framework = generation switch
        {
            ClaraGeneration.Clara3TensorFlow => "TensorFlow",
            ClaraGeneration.Unknown => "Unknown",
            _ => "PyTorch",
        };

        var (task, taskSource) = TaskDetector.Detect(variables, environment, mdaiConfig, json, inference);
        var trainNetworkArgs = ChannelsDetector.NetworkArgs(trainJson?.RootObject, trainVariables, trainFile);
        var (inChannels, inSource) = ChannelsDetector.Input(variables, trainNetworkArgs, inference);
        var (outChannels, outSource) = ChannelsDetector.Output(variables, mdaiConfig, trainNetworkArgs, inference, inferenceFile);
        var (dataListKey, dataListKeySource) = DataListKeyDetector.Detect(variables, mdaiConfig, inference, inferenceRoot, inferenceFile);

        var paths = PathsDetector.Detect(source, variables, environmentFile, envFile, inferenceFile, inferenceJson, inference);
        var (torchScriptRef, checkpointRef, datasetRef, dataRootRef) = (paths.TorchScript, paths.Checkpoint, paths.DatasetJson, paths.DataRoot);

        var torchScript = ModelFileDetector.Locate(source, inference, torchScriptRef, ModelReferenceKind.TorchScript, "models/model.ts", cancellationToken);
        var checkpoint = ModelFileDetector.Locate(source, inference, checkpointRef, ModelReferenceKind.Checkpoint, "models/model.pt", cancellationToken);

        ParsedJsonFile? datasetJson = null;
        if (datasetRef is { Kind: MmarPathKind.InsideMmar, RelativePath: { } dsPath })
        {
            json.TryGetValue(dsPath, out datasetJson);
        }

        var labels = LabelsDetector.Detect(datasetJson, json, task).Value;

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
            PathReferences = paths.All,
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
    internal static string DamagedEntryReason(MdaiClaraException ex) =>
        $"its entry in the zip is damaged ({(ex.InnerException is { } inner ? ZipEntryReadStream.ZipReason(inner) : "unreadable")}); re-download the .zip or re-create it from the MMAR folder";

    private static string MmarName(MmarFileSource source)
    {
        if (source.RootPrefix.Length > 0)
        {
            return source.RootPrefix.TrimEnd('/').Split('/').Last();
        }

        var location = source.Location.TrimEnd('/', '\\');
        return source.Kind == MmarSourceKind.Zip ? Path.GetFileNameWithoutExtension(location) : Path.GetFileName(Path.GetFullPath(location));
    }
}
