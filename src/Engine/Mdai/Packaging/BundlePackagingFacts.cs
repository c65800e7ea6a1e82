using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using MdaiClara.Engine.Bundles;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Mdai.Packaging;

/// <summary>What a bundle's saver writes: labels (an argmax before it), one-hot (argmax with to_onehot) or probabilities.</summary>
public enum BundleSavedContent
{
    Labels,
    OneHot,
    Probabilities,
}

/// <summary>What file each instance becomes for a classifier bundle: the DICOM as sent, or a PNG where its LoadImaged reads with PILReader.</summary>
public enum BundleClassifierInput
{
    Dicom,
    Png,
}

/// <summary>
/// What packaging a MONAI bundle for MD.ai needs beyond the bundle's analysis (<see cref="BundleAnalyzer"/>, the one
/// reading of configs/metadata.json and the inference config): the versions to pin, checked as pip takes them, the task
/// and classes, the ids the interface code overrides, and the saver of the resolved pipeline (<see cref="BundleSaverFacts"/>).
/// Anything the interface code cannot rely on is refused with where it is and what to change.
/// </summary>
public sealed partial record BundlePackagingFacts
{
    /// <summary>configs/metadata.json, which the interface code passes MONAI as meta_file.</summary>
    public const string MetadataFile = BundleLayout.MetadataFile;

    /// <summary>The inference config of the Model Zoo's bundles (a bundle may have configs/inference.yaml instead: see <see cref="ConfigFile"/>).</summary>
    public const string InferenceFile = "configs/inference.json";


    public required string Name { get; init; }

    public required string Version { get; init; }

    public required string MonaiVersion { get; init; }

    public required string PytorchVersion { get; init; }

    /// <summary>optional_packages_version: pip name → version.</summary>
    public required IReadOnlyDictionary<string, string> OptionalPackages { get; init; }

    public required BundleTask Task { get; init; }

    /// <summary>channel_def's names by channel ("background", "spleen"; "red", "green", "blue").</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>The output's channels (num_channels, else the channel_def entries).</summary>
    public int? OutputChannels { get; init; }

    /// <summary>The inference config, relative to the bundle root (configs/inference.json|yaml).</summary>
    public required string ConfigFile { get; init; }

    public required BundleSaverFacts Saver { get; init; }

    /// <summary>Which id of the config the interface code gives the input files, and in what form.</summary>
    public required BundleDatalistOverride Datalist { get; init; }

    public BundleSavedContent Saved => Saver.Content;

    public static BundlePackagingFacts From(BundleAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var where = analysis.Source.Location;
        if (analysis.UnreadableFiles.Count > 0)
        {
            throw Refused(where, $"{analysis.UnreadableFiles[0].TrimEnd('.')}");
        }

        var metadata = Parsed(where, analysis.MetadataFile, BundleLayout.MetadataFile);
        var info = analysis.Info;
        var inference = Parsed(where, analysis.InferenceFile, InferenceFile);
        var task = PackagedTask(where, metadata, info);
        foreach (var id in new[] { "bundle_root", "output_dir" })
        {
            if (inference.Get(id) is null)
            {
                throw Refused(where, $"{info.InferenceConfigFile} has no top-level \"{id}\". The MD.ai interface runs the config with \"bundle_root\", \"output_dir\" and the datalist overridden (as the MONAI Model Zoo's inference configs define them); add \"{id}\" and let the bundle's paths and the saver read it");
            }
        }

        var datalist = BundleDatalistOverride.Find(analysis, why => Refused(where, why));

        var saver = BundleSaverFacts.Read(analysis, task, why => Refused(where, why));
        if (task == BundleTask.Classification && saver.Content == BundleSavedContent.Labels && info.OutputChannels is null)
        {
            throw Refused(where, $"its postprocessing's argmax writes one class index per image, and {BundleLayout.MetadataFile} gives neither num_channels nor channel_def for its output, so the number of classes is unknown; add them to network_data_format.outputs");
        }

        return new BundlePackagingFacts
        {
            Name = info.Name,
            Version = info.Version ?? string.Empty,
            MonaiVersion = PipVersion(where, metadata, "monai_version"),
            PytorchVersion = PipVersion(where, metadata, "pytorch_version"),
            OptionalPackages = Optional(where, metadata),
            Task = task,
            ClassNames = info.Labels,
            OutputChannels = info.OutputChannels,
            ConfigFile = info.InferenceConfigFile!,
            Saver = saver,
            Datalist = datalist,
        };
    }

    /// <summary>The root object of a config file, or the refusal that says why there is none.</summary>
    private static ConfigNode Parsed(string where, ConfigFile? file, string expected)
    {
        if (file is null)
        {
            throw Refused(where, expected == BundleLayout.MetadataFile
                ? $"it has no {expected}"
                : $"it has no {expected} (nor configs/inference.yaml), the inference config the MD.ai interface runs");
        }

        if (file.SyntaxError is { } error)
        {
            throw Refused(where, $"{file.RelativePath} is not valid {file.Format.ToString().ToUpperInvariant()} (line {error.Line}, column {error.Column}: {error.Message.TrimEnd('.')}); fix it there");
        }

        return file.Root is { IsObject: true } root ? root : throw Refused(where, $"{file.RelativePath} is not a {file.Format.ToString().ToUpperInvariant()} object");
    }

    private static BundleTask PackagedTask(string where, ConfigNode metadata, BundleInfo info)
    {
        var outputs = metadata.Get("network_data_format")?.Get("outputs");
        if (outputs is not { IsObject: true } || outputs.Entries.Count == 0)
        {
            throw Refused(where, $"{BundleLayout.MetadataFile} has no network_data_format.outputs; packaging needs the output's type, format and channel_def");
        }

        // BundleAnalyzer has told a label map (type "image", format "labels", saved by a SaveImaged) from class labels.
        var output = outputs.Get("pred") ?? outputs.Entries[0].Value;
        if (info.Task == BundleTask.Other)
        {
            throw Refused(where, $"its output ({output.Position}) is type \"{output.Get("type")?.Text}\", format \"{output.Get("format")?.Text}\"; MD.ai packages of bundles are made for segmentation (format \"segmentation\") and classification (type \"probabilities\", or format \"classes\", \"labels\" or \"classification\") models");
        }

        return info.Task;
    }

    private static string PipVersion(string where, ConfigNode metadata, string key)
    {
        var node = metadata.Get(key);
        if (node?.Text is not { } text || text.Trim().Length == 0)
        {
            throw Refused(where, $"{BundleLayout.MetadataFile} has no \"{key}\" string; MD.ai's image installs the versions it names, so it must say which");
        }

        return Checked(where, text.Trim(), $"\"{key}\" ({node.Position})");
    }

    private static string Checked(string where, string version, string what) => VersionPattern().IsMatch(version)
        ? version
        : throw Refused(where, $"{BundleLayout.MetadataFile}'s {what} is \"{version}\", not a version pip can pin (e.g. 1.3.2)");

    private static Dictionary<string, string> Optional(string where, ConfigNode metadata)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var optional = metadata.Get("optional_packages_version");
        if (optional is null || optional.Kind == ConfigNodeKind.Null)
        {
            return result;
        }

        if (!optional.IsObject)
        {
            throw Refused(where, $"{BundleLayout.MetadataFile}'s \"optional_packages_version\" ({optional.Position}) must be an object of package name to version");
        }

        foreach (var (name, value) in optional.Entries)
        {
            if (!PackagePattern().IsMatch(name) || value.Text is not { } version)
            {
                throw Refused(where, $"{BundleLayout.MetadataFile}'s optional package \"{name}\" ({value.Position}) needs a pip name and a version string");
            }

            result[name] = Checked(where, version.Trim(), $"optional package \"{name}\" ({value.Position})");
        }

        return result;
    }

    internal static MdaiClaraException Refused(string where, string why) =>
        new($"The bundle {where} cannot be packaged for MD.ai: {why}.", ErrorIds.MdaiPackageRefused, ErrorKind.InvalidData, where);

    [GeneratedRegex(@"^[0-9][0-9A-Za-z.+!-]*$")]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex PackagePattern();
}
