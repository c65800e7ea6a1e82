using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Mdai.Packaging;

/// <summary>What a segmentation bundle's saver writes: labels (AsDiscreted argmax before SaveImaged), one-hot or probabilities.</summary>
public enum BundleSavedContent
{
    Labels,
    OneHot,
    Probabilities,
}

/// <summary>
/// What packaging a MONAI bundle for MD.ai needs from its configs/metadata.json and configs/inference.json: the
/// versions to pin, the output classes, and the SaveImaged of the postprocessing. A small reader of its own (plain
/// JSON, no reference resolution), enough to package: the bundle itself is run by MONAI inside the package.
/// </summary>
public sealed partial record BundlePackagingFacts
{
    public const string MetadataFile = "configs/metadata.json";
    public const string InferenceFile = "configs/inference.json";

    public required string Name { get; init; }

    public required string Version { get; init; }

    public required string MonaiVersion { get; init; }

    public required string PytorchVersion { get; init; }

    /// <summary>optional_packages_version: pip name → version.</summary>
    public required IReadOnlyDictionary<string, string> OptionalPackages { get; init; }

    /// <summary>The output's channel_def: channel (label value) → name.</summary>
    public required IReadOnlyDictionary<int, string> OutputChannels { get; init; }

    public required BundleSavedContent Saved { get; init; }

    /// <summary>Reads and checks both files; anything packaging cannot rely on is refused with what to change.</summary>
    public static BundlePackagingFacts Read(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw Refused(folder, "it is not a folder. Give the bundle's root folder (the one holding configs/ and models/); unzip a bundle .zip first");
        }

        using var metadata = Parse(folder, MetadataFile);
        using var inference = Parse(folder, InferenceFile);
        var meta = metadata.RootElement;
        var name = meta.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : Path.GetFileName(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar));
        var facts = new BundlePackagingFacts
        {
            Name = name,
            Version = Text(meta, "version", folder, required: false) ?? "",
            MonaiVersion = PipVersion(Text(meta, "monai_version", folder, required: true)!, "monai_version", folder),
            PytorchVersion = PipVersion(Text(meta, "pytorch_version", folder, required: true)!, "pytorch_version", folder),
            OptionalPackages = Optional(meta, folder),
            OutputChannels = Channels(meta, folder),
            Saved = SavedContent(inference.RootElement, folder),
        };
        foreach (var id in new[] { "datalist", "output_dir", "bundle_root" })
        {
            if (!inference.RootElement.TryGetProperty(id, out _))
            {
                throw Refused(folder, $"{InferenceFile} has no top-level \"{id}\". The MD.ai interface runs the config with \"bundle_root\", \"datalist\" and \"output_dir\" overridden (as the MONAI Model Zoo's inference configs define them); add \"{id}\" and let the dataset and SaveImaged read it");
            }
        }

        return facts;
    }

    private static JsonDocument Parse(string folder, string file)
    {
        var path = Path.Combine(folder, file);
        if (!File.Exists(path))
        {
            var yaml = Path.ChangeExtension(path, ".yaml");
            throw Refused(folder, File.Exists(yaml)
                ? $"it has {Path.ChangeExtension(file, ".yaml")} but no {file}; packaging reads JSON configs only (convert it, e.g. with monai.bundle's ConfigParser.export_config_file)"
                : $"it has no {file}");
        }

        try
        {
            var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { MaxDepth = 64 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw Refused(folder, $"{file} is not a JSON object");
            }

            return document;
        }
        catch (JsonException ex)
        {
            throw Refused(folder, $"{file} is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: {ex.Message.Split('.')[0]})");
        }
        catch (IOException ex)
        {
            throw Refused(folder, $"{file} cannot be read ({ex.Message.TrimEnd('.')})");
        }
    }

    private static string? Text(JsonElement meta, string key, string folder, bool required)
    {
        if (meta.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Trim().Length > 0)
        {
            return value.GetString()!.Trim();
        }

        return required ? throw Refused(folder, $"{MetadataFile} has no \"{key}\" string; MD.ai's image installs the versions it names, so it must say which") : null;
    }

    private static string PipVersion(string version, string key, string folder) => VersionPattern().IsMatch(version)
        ? version
        : throw Refused(folder, $"{MetadataFile}'s \"{key}\" is \"{version}\", not a version pip can pin (e.g. 1.3.2)");

    private static Dictionary<string, string> Optional(JsonElement meta, string folder)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!meta.TryGetProperty("optional_packages_version", out var optional) || optional.ValueKind == JsonValueKind.Null)
        {
            return result;
        }

        if (optional.ValueKind != JsonValueKind.Object)
        {
            throw Refused(folder, $"{MetadataFile}'s \"optional_packages_version\" must be an object of package name to version");
        }

        foreach (var p in optional.EnumerateObject())
        {
            if (!PackagePattern().IsMatch(p.Name) || p.Value.ValueKind != JsonValueKind.String)
            {
                throw Refused(folder, $"{MetadataFile}'s optional package \"{p.Name}\" needs a pip name and a version string");
            }

            result[p.Name] = PipVersion(p.Value.GetString()!, "optional_packages_version." + p.Name, folder);
        }

        return result;
    }

    private static Dictionary<int, string> Channels(JsonElement meta, string folder)
    {
        if (!meta.TryGetProperty("network_data_format", out var format) || format.ValueKind != JsonValueKind.Object
            || !format.TryGetProperty("outputs", out var outputs) || outputs.ValueKind != JsonValueKind.Object
            || !outputs.EnumerateObject().Any())
        {
            throw Refused(folder, $"{MetadataFile} has no network_data_format.outputs; packaging needs the output's type and channel_def");
        }

        var output = outputs.EnumerateObject().First().Value;
        var type = output.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var kind = output.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
        if (type != "image" || kind != "segmentation")
        {
            throw Refused(folder, $"its output is type \"{type}\", format \"{kind}\"; MD.ai packages of bundles are made for segmentation (type \"image\", format \"segmentation\") only so far");
        }

        var channels = new Dictionary<int, string>();
        if (output.TryGetProperty("channel_def", out var def) && def.ValueKind == JsonValueKind.Object)
        {
            foreach (var c in def.EnumerateObject())
            {
                if (int.TryParse(c.Name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) && c.Value.ValueKind == JsonValueKind.String)
                {
                    channels[index] = c.Value.GetString()!;
                }
            }
        }

        return channels;
    }

    /// <summary>The postprocessing's one SaveImaged, and whether an AsDiscreted argmax (one-hot or not) comes before it.</summary>
    private static BundleSavedContent SavedContent(JsonElement inference, string folder)
    {
        var transforms = inference.TryGetProperty("postprocessing", out var post) && post.ValueKind == JsonValueKind.Object && post.TryGetProperty("transforms", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().ToList()
            : throw Refused(folder, $"{InferenceFile} has no \"postprocessing\" Compose with a \"transforms\" list, which MD.ai packaging reads for the SaveImaged");
        static string Target(JsonElement t) => t.ValueKind == JsonValueKind.Object && t.TryGetProperty("_target_", out var x) && x.ValueKind == JsonValueKind.String ? x.GetString()!.Split('.')[^1] : "";
        var savers = transforms.Select((t, i) => (t, i)).Where(p => Target(p.t) is "SaveImaged" or "SaveImage").ToList();
        if (savers.Count != 1)
        {
            throw Refused(folder, $"its postprocessing has {savers.Count} SaveImaged transforms; the MD.ai interface reads the one NIfTI a single SaveImaged writes");
        }

        var saved = BundleSavedContent.Probabilities;
        foreach (var t in transforms.Take(savers[0].i).Where(t => Target(t) is "AsDiscreted" or "AsDiscrete"))
        {
            if (t.TryGetProperty("argmax", out var a) && a.ValueKind == JsonValueKind.True)
            {
                saved = t.TryGetProperty("to_onehot", out var o) && o.ValueKind is JsonValueKind.Number or JsonValueKind.True ? BundleSavedContent.OneHot : BundleSavedContent.Labels;
            }
        }

        return saved;
    }

    private static MdaiClaraException Refused(string folder, string why) =>
        new($"The bundle {folder} cannot be packaged for MD.ai: {why}.", ErrorIds.MdaiPackageRefused, ErrorKind.InvalidData, folder);

    [GeneratedRegex(@"^[0-9][0-9A-Za-z.+!-]*$")]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex PackagePattern();
}
