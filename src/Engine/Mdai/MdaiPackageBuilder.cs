using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.IO;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Mdai.Packaging;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Validation;

namespace MdaiClara.Engine.Mdai;

/// <summary>Bytes written of bytes to write, for Write-Progress.</summary>
public readonly record struct MdaiPackageProgress(long BytesDone, long BytesTotal, string CurrentFile);

/// <summary>One file of a package: its path in the zip and its size.</summary>
public sealed record MdaiPackageEntry(string Path, long Bytes)
{
    public override string ToString() => $"{Path} ({Bytes:N0} bytes)";
}

/// <summary>
/// Builds MD.ai's deployment zip from an MMAR, right by construction: model/.mdai/ holds config.yaml (YamlDotNet),
/// the interface code for the MMAR's task with its settings (mdai_clara.json) and requirements.txt; model/workspace/
/// holds the MMAR (Clara 4.1 layout), or the MMAR in a subfolder beside config_mdai.json (Clara 4.0 layout), with
/// environment.json carrying OUTPUT_CHANNELS, INFER_DATALIST_KEY and DATASET_JSON. Of the MMAR, only what inference
/// needs goes in (<see cref="PackageContentPolicy"/>); the record lists what was left out. The zip is deterministic (entries
/// sorted, fixed times and permissions), files are streamed into it, and it is written to a temporary file and renamed.
/// </summary>
public static class MdaiPackageBuilder
{
    /// <summary>The MMAR's folder name in the Clara 4.0 layout.</summary>
    public static string Clara40FolderName(MmarInfo info)
    {
        // The same name on every platform (the zip's bytes depend on it): letters, digits, '.', '-', '_' only.
        var name = new string(info.Name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray()).Trim('.');
        // data/ and eval/ beside the MMAR are the interface code's own folders, emptied on every call.
        return name.Length == 0 ? "mmar" : name.ToLowerInvariant() is "data" or "eval" ? name + "_mmar" : name;
    }

    /// <summary>
    /// Packages only what Test-Mmar passes: its errors (every refusal of packaging among them, see MdaiDeploymentChecks)
    /// stop the build, all listed. The Clara 4.0 layout targets an MD.ai that still runs Clara 4.0, where a Clara 4.0
    /// config is right.
    /// </summary>
    private static void RefuseInvalid(MmarAnalysis analysis, MdaiPackageOptions options, IEngineLog? log, CancellationToken cancellationToken)
    {
        var errors = BlockingErrors(MmarValidator.Validate(analysis, new MmarValidationOptions(), null, log, cancellationToken), options);
        if (errors.Count > 0)
        {
            throw new MmarFindingsException($"{analysis.Info.Name} cannot be packaged for MD.ai", errors, ErrorIds.MdaiPackageRefused, analysis.Info.Path);
        }
    }

    /// <summary>The findings that stop packaging in this layout: every error, but a Clara 4.0 config in the Clara 4.0 layout.</summary>
    public static IReadOnlyList<MmarFinding> BlockingErrors(IEnumerable<MmarFinding> findings, MdaiPackageOptions options) =>
        findings.Where(f => f.Severity == FindingSeverity.Error)
            .Where(f => !(options.ClaraVersion == MdaiPackageOptions.Clara40 && f.RuleId == MmarRuleIds.ClaraGenerationMismatch))
            .ToList();

    public static MdaiPackage Build(
        MmarAnalysis analysis,
        string zipPath,
        MdaiPackageOptions options,
        IProgress<MdaiPackageProgress>? progress = null,
        IEngineLog? log = null,
        CancellationToken cancellationToken = default,
        IReadOnlyDictionary<string, byte[]>? templates = null)
    {
        if (options.DeviceType is not ("gpu" or "cpu"))
        {
            throw new MdaiClaraException($"device_type '{options.DeviceType}' is not one MD.ai accepts (gpu, cpu).", ErrorIds.MdaiPackageOptionInvalid, ErrorKind.InvalidArgument, options.DeviceType);
        }

        if (options.ClaraVersion is not (MdaiPackageOptions.Clara41 or MdaiPackageOptions.Clara40))
        {
            throw new MdaiClaraException(
                $"Clara version '{options.ClaraVersion}' has no MD.ai layout; use {MdaiPackageOptions.Clara41} (what MD.ai's builder accepts) or {MdaiPackageOptions.Clara40} (the 2021 layout).",
                ErrorIds.MdaiPackageOptionInvalid, ErrorKind.InvalidArgument, options.ClaraVersion);
        }

        var info = analysis.Info;
        RefuseInvalid(analysis, options, log, cancellationToken);
        var settings = MdaiDeploySettingsFactory.Create(analysis, options);
        var warnings = new List<string>();
        if (options.ClaraVersion == MdaiPackageOptions.Clara40)
        {
            warnings.Add("The Clara 4.0 layout was requested: MD.ai's current builder accepts clara_version 4.1.0 only, so this package is for an MD.ai that still takes the 2021 layout.");
        }
        else if (info.Generation == ClaraGeneration.Clara40)
        {
            warnings.Add($"{info.Name} is a Clara 4.0 MMAR; MD.ai runs it in its Clara 4.1 container (MONAI 0.8.1), whose numerics differ slightly from Clara 4.0's.");
        }

        var source = analysis.Source;
        var channels = MdaiDeploymentChecks.OutputChannels(info);
        if (channels is null)
        {
            throw new MdaiClaraException(
                $"{info.Name} cannot be packaged for MD.ai: its number of output channels is unknown. Add \"OUTPUT_CHANNELS\" to config/environment.json (Test-Mmar -Deep measures it).",
                ErrorIds.MdaiPackageRefused, ErrorKind.InvalidData, info.Path);
        }

        // What goes where: the MMAR's files inference needs (two replaced), then the generated ones.
        var mmarPrefix = MmarPrefix(options, settings);
        var environment = Environment(analysis, settings, channels.Value);
        var contents = PackageContentPolicy.Select(analysis, settings, options.Include, options.Exclude, cancellationToken);
        warnings.AddRange(contents.Warnings);
        var entries = new List<PackageZipEntry>();
        foreach (var file in contents.Files)
        {
            if (file == settings.EnvironmentJson)
            {
                continue;
            }

            var length = source.GetLength(file);
            entries.Add(new PackageZipEntry(mmarPrefix + file, length, () => source.OpenRead(file), file));
        }

        void AddBytes(string path, byte[] bytes) => entries.Add(PackageZipEntry.FromBytes(path, bytes));
        AddBytes(mmarPrefix + settings.EnvironmentJson, environment);
        if (!source.FileExists(settings.DatasetJson))
        {
            var dataset = new JsonObject { [settings.DatalistKey] = new JsonArray() };
            AddBytes(mmarPrefix + settings.DatasetJson, Encoding.UTF8.GetBytes(dataset.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"));
            warnings.Add($"{info.Name} has no dataset JSON inside it; the package carries an empty {settings.DatasetJson} for the interface code to fill.");
        }

        if (options.ClaraVersion == MdaiPackageOptions.Clara40)
        {
            var mdaiConfig = new JsonObject
            {
                ["type"] = settings.Task,
                ["root_folder"] = settings.MmarRoot,
                ["out_classes"] = channels.Value,
                ["data_list_key"] = settings.DatalistKey,
            };
            AddBytes("model/workspace/config_mdai.json", Encoding.UTF8.GetBytes(mdaiConfig.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"));
        }

        var config = MdaiConfigYaml.Build(options.DeviceType, options.ClaraVersion);
        AddBytes("model/.mdai/config.yaml", Encoding.UTF8.GetBytes(config));
        AddBytes("model/.mdai/mdai_clara.json", JsonSerializer.SerializeToUtf8Bytes(settings, new JsonSerializerOptions { WriteIndented = true, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull }));
        var packagedFiles = MdaiTemplates.ForTask(templates ?? MdaiTemplates.Embedded(), settings.Task);
        foreach (var (name, bytes) in packagedFiles)
        {
            AddBytes("model/.mdai/" + name, bytes);
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        var duplicate = entries.Zip(entries.Skip(1)).FirstOrDefault(p => p.First.Path == p.Second.Path);
        if (duplicate.First is not null)
        {
            throw new MdaiClaraException($"{info.Name}: two files would land at {duplicate.First.Path} in the package.", ErrorIds.MdaiPackageRefused, ErrorKind.InvalidData, info.Path);
        }

        PackageZipWriter.Write(zipPath, entries, progress, PackageContentPolicy.Unreadable, cancellationToken);
        foreach (var w in warnings)
        {
            log.Warning(w);
        }

        return new MdaiPackage
        {
            Path = zipPath,
            Sha256 = Sha256Of(zipPath),
            Bytes = new FileInfo(zipPath).Length,
            Files = entries.Select(e => new MdaiPackageEntry(e.Path, e.Bytes)).ToList(),
            Config = config,
            Requirements = packagedFiles.TryGetValue("requirements.txt", out var requirements) ? Encoding.UTF8.GetString(requirements) : string.Empty,
            Settings = settings,
            Mmar = info.Name,
            Warnings = warnings,
            LeftOut = contents.LeftOut,
        };
    }

    /// <summary>Where the MMAR's root sits in the zip: model/workspace/, or a folder below it in the Clara 4.0 layout.</summary>
    public static string MmarPrefix(MdaiPackageOptions options, MdaiDeploySettings settings) =>
        options.ClaraVersion == MdaiPackageOptions.Clara40 ? $"model/workspace/{settings.MmarRoot}/" : "model/workspace/";

    public static string Sha256Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Sha256Of(stream);
    }

    /// <summary>Lower-case hex SHA-256 of the stream from its position to its end.</summary>
    public static string Sha256Of(Stream stream) => Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();

    /// <summary>environment.json with the keys MD.ai's Clara 4.1 interface reads, from the analysis where the MMAR lacks them.</summary>
    private static byte[] Environment(MmarAnalysis analysis, MdaiDeploySettings settings, int channels)
    {
        JsonObject environment;
        try
        {
            using var stream = analysis.Source.OpenRead(settings.EnvironmentJson);
            using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = JsonConfigParser.DefaultMaxDepth });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException("not an object");
            }

            // Rebuilt key by key: a repeated key keeps its last value, as Clara's reader does (JsonNode would throw).
            environment = new JsonObject();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                environment[property.Name] = JsonNode.Parse(property.Value.GetRawText());
            }
        }
        catch (Exception ex) when (ex is JsonException or IOException or FileNotFoundException)
        {
            throw new MdaiClaraException(
                $"{analysis.Info.Name} cannot be packaged for MD.ai: {settings.EnvironmentJson} cannot be read as a JSON object ({JsonConfigParser.CleanMessage(ex.Message)}). Test-Mmar -Detailed shows where.",
                ErrorIds.MdaiPackageRefused, ErrorKind.InvalidData, analysis.Info.Path, ex);
        }

        environment["OUTPUT_CHANNELS"] ??= channels;
        environment["INFER_DATALIST_KEY"] ??= settings.DatalistKey;
        environment["DATASET_JSON"] = settings.DatasetJson;
        return Encoding.UTF8.GetBytes(environment.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
