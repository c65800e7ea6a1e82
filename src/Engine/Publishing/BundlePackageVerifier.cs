using System;
using System.Collections.Generic;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Mdai.Packaging;

namespace MdaiClara.Engine.Publishing;

/// <summary>
/// A MONAI bundle package's zip read back, as MD.ai's Python-image builder and the generated interface code will read
/// it: the hash; every written entry there with its size (read to its end, which checks its CRC); the layout (config.yaml,
/// requirements.txt, mdai_clara.json, mdai_deploy.py and its helpers, the bundle's inference config, metadata and model
/// file); config.yaml as YAML naming the Python image the bundle's PyTorch needs; requirements.txt pinning the packaged
/// metadata's versions; mdai_clara.json consistent with the layout and the metadata; no image data but what include
/// patterns name.
/// </summary>
internal static class BundlePackageVerifier
{
    private const string Mdai = "model/.mdai/";

    public static PublishCheck Verify(string zip, MdaiBundlePackage package, MdaiPackageOptions options)
    {
        var problems = new List<string>();
        var seen = new List<string>();
        PackageZipChecks.Hash(zip, package.Sha256, problems);
        using (var archive = ZipFile.OpenRead(zip))
        {
            var entries = PackageZipChecks.Entries(archive);
            PackageZipChecks.Written(entries, package.Files, problems);
            var settings = PackageZipChecks.Json(entries, Mdai + "mdai_clara.json", problems);
            var task = Text(settings, "task");
            var bundleRoot = $"model/{Text(settings, "bundle_root") ?? MdaiBundlePackageBuilder.BundleFolder}/";
            var configFile = Text(settings, "config_file") ?? BundlePackagingFacts.InferenceFile;
            var metaFile = Text(settings, "meta_file") ?? BundlePackagingFacts.MetadataFile;
            var required = new List<string> { Mdai + "config.yaml", Mdai + "requirements.txt", Mdai + "mdai_clara.json", bundleRoot + configFile, bundleRoot + metaFile };
            required.AddRange(InterfaceCode(task, problems).Select(name => Mdai + name));
            var model = new[] { "models/model.ts", "models/model.pt" }.Select(m => bundleRoot + m).FirstOrDefault(entries.ContainsKey);
            if (model is null)
            {
                problems.Add($"the package holds no model file ({bundleRoot}models/model.ts or models/model.pt)");
            }

            PackageZipChecks.Required(entries, required, problems);
            var metadata = PackageZipChecks.Json(entries, bundleRoot + metaFile, problems);
            var monai = Text(metadata, "monai_version");
            var torch = Text(metadata, "pytorch_version");
            PackageZipChecks.Json(entries, bundleRoot + configFile, problems);
            ConfigYaml(entries, torch, options, problems, seen);
            Requirements(entries, monai, torch, problems, seen);
            Settings(settings, task, monai, problems, seen);
            PackageZipChecks.ImageData(archive, bundleRoot, options.Include, problems);
        }

        return PackageZipChecks.Result(problems, $"layout, {string.Join(", ", seen)}, {package.Files.Count} entries and their CRCs, no image data but what include patterns name, SHA-256");
    }

    /// <summary>The interface-code files a bundle package of this task carries beside mdai_clara.json.</summary>
    private static IEnumerable<string> InterfaceCode(string? task, List<string> problems)
    {
        try
        {
            return task is null ? ["mdai_deploy.py"] : MdaiTemplates.ForBundle(MdaiTemplates.Embedded(), task).Keys;
        }
        catch (InvalidOperationException)
        {
            problems.Add($"mdai_clara.json names the task '{task}', for which MdaiClara has no bundle interface code");
            return ["mdai_deploy.py"];
        }
    }

    /// <summary>config.yaml: the Python image the bundle's PyTorch needs (as the builder chooses it), the device, and CUDA for a GPU; nothing of the Clara image.</summary>
    private static void ConfigYaml(IReadOnlyDictionary<string, ZipArchiveEntry> entries, string? torch, MdaiPackageOptions options, List<string> problems, List<string> seen)
    {
        if (PackageZipChecks.Yaml(entries, Mdai + "config.yaml", problems) is not { } map)
        {
            return;
        }

        var image = PackageZipChecks.Scalar(map, "base_image")?.Value;
        var device = PackageZipChecks.Scalar(map, "device_type")?.Value;
        var cuda = PackageZipChecks.Scalar(map, "cuda_version");
        var expected = torch is null ? null : MdaiBundlePackageBuilder.PythonImage(torch);
        if (image is not ("py310" or "py38") || (expected is not null && image != expected))
        {
            problems.Add($"config.yaml's base_image is '{image}', but the bundle's PyTorch {torch} runs on MD.ai's {expected ?? "py310 or py38"} image");
        }

        if (device != options.DeviceType)
        {
            problems.Add($"config.yaml's device_type is '{device}', not '{options.DeviceType}'");
        }

        if (options.DeviceType == "gpu" && torch is not null
            && (cuda?.Value != MdaiBundlePackageBuilder.CudaVersion(torch) || cuda.Style != YamlDotNet.Core.ScalarStyle.DoubleQuoted))
        {
            problems.Add($"config.yaml's cuda_version is {cuda?.Value ?? "missing"}, not \"{MdaiBundlePackageBuilder.CudaVersion(torch)}\" (a quoted string) for PyTorch {torch}");
        }

        if (PackageZipChecks.Scalar(map, "clara_version") is not null)
        {
            problems.Add("config.yaml names a clara_version, which belongs to MD.ai's Clara image, not a Python one");
        }

        seen.Add($"config.yaml (base_image {image}, device_type {device})");
    }

    /// <summary>requirements.txt pins the MONAI and PyTorch the packaged metadata.json names.</summary>
    private static void Requirements(IReadOnlyDictionary<string, ZipArchiveEntry> entries, string? monai, string? torch, List<string> problems, List<string> seen)
    {
        if (!entries.TryGetValue(Mdai + "requirements.txt", out var entry))
        {
            return;
        }

        using var reader = new System.IO.StreamReader(entry.Open());
        var lines = reader.ReadToEnd().Split('\n').Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, version) in new[] { ("monai", monai), ("torch", torch) })
        {
            if (version is null)
            {
                problems.Add($"the packaged metadata.json names no {(name == "torch" ? "pytorch" : name)}_version for requirements.txt to pin");
            }
            else if (!lines.Contains($"{name}=={version}"))
            {
                problems.Add($"requirements.txt does not pin {name}=={version}, the version the packaged metadata.json names");
            }
        }

        seen.Add($"requirements.txt (monai=={monai}, torch=={torch})");
    }

    /// <summary>mdai_clara.json: the bundle package kind, the metadata's MONAI, and (segmentation) a saved_output the interface code reads, consistent with the class names.</summary>
    private static void Settings(JsonObject? settings, string? task, string? monai, List<string> problems, List<string> seen)
    {
        if (settings is null)
        {
            return;
        }

        if (Text(settings, "package") != "monai_bundle")
        {
            problems.Add($"mdai_clara.json's package is '{Text(settings, "package")}', not 'monai_bundle'");
        }

        if (monai is not null && Text(settings, "monai_version") != monai)
        {
            problems.Add($"mdai_clara.json's monai_version is '{Text(settings, "monai_version")}', but the packaged metadata.json names {monai}");
        }

        if (task != "segmentation")
        {
            seen.Add($"mdai_clara.json ({task})");
            return;
        }

        SavedSegmentationOutput? saved = null;
        try
        {
            saved = settings["saved_output"]?.Deserialize<SavedSegmentationOutput>();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            problems.Add($"mdai_clara.json's saved_output cannot be read ({ex.Message.TrimEnd('.')})");
        }

        if (saved is null)
        {
            problems.Add("mdai_clara.json has no saved_output, which the interface code reads the bundle's result by");
            return;
        }

        var classes = settings["class_names"] is JsonArray names ? names.Count : (int?)null;
        if (saved.Content == SavedContent.Labels && saved.Channels is not (null or 1))
        {
            problems.Add($"mdai_clara.json's saved_output holds labels in {saved.Channels} channels; a label map has one");
        }
        else if (saved.Content != SavedContent.Labels && saved.Channels is { } channels && classes is { } count && count != channels - 1)
        {
            problems.Add($"mdai_clara.json names {count} class(es) but its saved_output has {channels} channels (background and {channels - 1} class(es))");
        }

        seen.Add($"mdai_clara.json (segmentation, saved_output {saved.Describe()})");
    }

    private static string? Text(JsonObject? o, string key) =>
        o?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
