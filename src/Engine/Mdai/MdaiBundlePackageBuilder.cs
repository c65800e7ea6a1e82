using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Mdai.Packaging;

namespace MdaiClara.Engine.Mdai;

/// <summary>A written MD.ai deployment package of a MONAI bundle.</summary>
public sealed record MdaiBundlePackage
{
    public required string Path { get; init; }

    public required string Sha256 { get; init; }

    public required long Bytes { get; init; }

    public required IReadOnlyList<MdaiPackageEntry> Files { get; init; }

    /// <summary>The text of model/.mdai/config.yaml.</summary>
    public required string Config { get; init; }

    /// <summary>The text of model/.mdai/requirements.txt.</summary>
    public required string Requirements { get; init; }

    /// <summary>The text of model/.mdai/mdai_clara.json.</summary>
    public required string Settings { get; init; }

    public required string Bundle { get; init; }

    public required string MonaiVersion { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();

    /// <summary>The bundle's files the package leaves out (not needed to run inference).</summary>
    public IReadOnlyList<string> LeftOut { get; init; } = Array.Empty<string>();

    public override string ToString() => $"{Path} ({Bytes:N0} bytes, {Files.Count} files, SHA-256 {Sha256[..12]}…)";
}

/// <summary>
/// Builds MD.ai's deployment zip for a MONAI bundle. MD.ai's Clara image carries MONAI 0.8.1 only, so the package
/// goes on one of MD.ai's Python images (config.yaml base_image py310, or py38 for PyTorch before 1.11) with a
/// requirements.txt pinning the bundle's monai_version, pytorch_version and optional_packages_version; model/bundle/
/// holds the bundle's configs/, models/, docs/ and scripts/; model/.mdai/ holds the bundle interface code (its own
/// deploy script and runner, and the DICOM, output-reading and label-to-instance helpers the MMAR packages use), with
/// mdai_clara.json. The zip is written by the same writer as MMAR packages.
/// </summary>
public static class MdaiBundlePackageBuilder
{
    public const string BundleFolder = "bundle";

    /// <summary>The bundle's folders that go into the package; everything else (sample data, eval/, outputs) stays out.</summary>
    private static readonly string[] PackagedFolders = { "configs", "models", "docs", "scripts" };

    public static MdaiBundlePackage Build(
        string bundleFolder,
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

        var facts = BundlePackagingFacts.Read(bundleFolder);
        var root = System.IO.Path.GetFullPath(bundleFolder);
        var warnings = new List<string>();
        if (!File.Exists(System.IO.Path.Combine(root, "models", "model.ts")) && !File.Exists(System.IO.Path.Combine(root, "models", "model.pt")))
        {
            warnings.Add($"{facts.Name} has neither models/model.ts nor models/model.pt; its inference config must load its weights from somewhere in the package.");
        }

        var entries = new List<PackageZipEntry>();
        var leftOut = new List<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var relative = System.IO.Path.GetRelativePath(root, file).Replace(System.IO.Path.DirectorySeparatorChar, '/');
            var top = relative.Split('/')[0];
            if ((!PackagedFolders.Contains(top, StringComparer.Ordinal) && top != "LICENSE") || relative.Contains("__pycache__/", StringComparison.Ordinal))
            {
                leftOut.Add(relative);
                continue;
            }

            var path = file;
            entries.Add(new PackageZipEntry($"model/{BundleFolder}/{relative}", new FileInfo(file).Length, () => File.OpenRead(path), relative));
        }

        var settings = Settings(facts, options);
        var requirements = Requirements(facts);
        var config = MdaiConfigYaml.BuildPython(PythonImage(facts.PytorchVersion), options.DeviceType, CudaVersion(facts.PytorchVersion));
        entries.Add(PackageZipEntry.FromBytes("model/.mdai/config.yaml", Encoding.UTF8.GetBytes(config)));
        entries.Add(PackageZipEntry.FromBytes("model/.mdai/requirements.txt", Encoding.UTF8.GetBytes(requirements)));
        entries.Add(PackageZipEntry.FromBytes("model/.mdai/mdai_clara.json", Encoding.UTF8.GetBytes(settings)));
        foreach (var (name, bytes) in MdaiTemplates.ForBundle(templates ?? MdaiTemplates.Embedded(), "segmentation"))
        {
            entries.Add(PackageZipEntry.FromBytes("model/.mdai/" + name, bytes));
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        PackageZipWriter.Write(zipPath, entries, progress, (entry, inner) => new MdaiClaraException(
            $"The bundle file {entry} cannot be read ({inner.Message.TrimEnd('.')}); check the file and its permissions.", ErrorIds.MdaiPackageRefused, ErrorKind.InvalidData, System.IO.Path.Combine(root, entry), inner), cancellationToken);
        foreach (var w in warnings)
        {
            log.Warning(w);
        }

        return new MdaiBundlePackage
        {
            Path = zipPath,
            Sha256 = MdaiPackageBuilder.Sha256Of(zipPath),
            Bytes = new FileInfo(zipPath).Length,
            Files = entries.Select(e => new MdaiPackageEntry(e.Path, e.Bytes)).ToList(),
            Config = config,
            Requirements = requirements,
            Settings = settings,
            Bundle = facts.Name,
            MonaiVersion = facts.MonaiVersion,
            Warnings = warnings,
            LeftOut = leftOut,
        };
    }

    /// <summary>requirements.txt: the bundle's own pins (MONAI, PyTorch as pip's "torch", its optional packages), plus nibabel for the interface code.</summary>
    public static string Requirements(BundlePackagingFacts facts)
    {
        var lines = new List<string>
        {
            "# Generated by MdaiClara (New-MdaiModelPackage). Do not edit: regenerate the package instead.",
            $"# The versions {facts.Name}'s configs/metadata.json asks for (monai_version, pytorch_version, optional_packages_version);",
            "# MD.ai installs its server's requirements (numpy, pydicom) first. nibabel is what the interface code writes NIfTI with.",
            $"monai=={facts.MonaiVersion}",
            $"torch=={facts.PytorchVersion}",
        };
        foreach (var (name, version) in facts.OptionalPackages.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase))
        {
            if (!name.Equals("monai", StringComparison.OrdinalIgnoreCase) && !name.Equals("torch", StringComparison.OrdinalIgnoreCase))
            {
                lines.Add($"{name}=={version}");
            }
        }

        if (!facts.OptionalPackages.ContainsKey("nibabel"))
        {
            lines.Add("nibabel");
        }

        return string.Join("\n", lines) + "\n";
    }

    /// <summary>MD.ai's Python image for a PyTorch version: py310, or py38 where PyTorch has no Python 3.10 wheels (before 1.11).</summary>
    public static string PythonImage(string pytorchVersion) => VersionBefore(pytorchVersion, 1, 11) ? "py38" : "py310";

    /// <summary>The CUDA base image for a GPU package: 11.8 up to PyTorch 2.0, 12.1 from 2.1 (pip's torch wheels bring their own CUDA runtime; the image gives the driver side).</summary>
    public static string CudaVersion(string pytorchVersion) => VersionBefore(pytorchVersion, 2, 1) ? "11.8" : "12.1";

    private static bool VersionBefore(string version, int major, int minor)
    {
        var parts = version.Split('.', '+', '-', 'a', 'b', 'r');
        var ma = parts.Length > 0 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var x) ? x : 0;
        var mi = parts.Length > 1 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var y) ? y : 0;
        return ma < major || (ma == major && mi < minor);
    }

    private static string Settings(BundlePackagingFacts facts, MdaiPackageOptions options)
    {
        var foreground = facts.OutputChannels.Where(c => c.Key > 0).OrderBy(c => c.Key).ToList();
        JsonNode? map = null;
        if (options.LabelToClassIndex is { } given)
        {
            var o = new JsonObject();
            foreach (var (label, index) in given.OrderBy(p => p.Key))
            {
                o[label.ToString(CultureInfo.InvariantCulture)] = index;
            }

            map = o;
        }

        var channels = facts.OutputChannels.Count > 1 ? facts.OutputChannels.Count : (int?)null;
        var settings = new JsonObject
        {
            ["generator"] = "MdaiClara " + typeof(MdaiBundlePackageBuilder).Assembly.GetName().Version?.ToString(3),
            ["task"] = "segmentation",
            ["package"] = "monai_bundle",
            ["bundle_root"] = BundleFolder,
            ["config_file"] = BundlePackagingFacts.InferenceFile,
            ["meta_file"] = BundlePackagingFacts.MetadataFile,
            ["monai_version"] = facts.MonaiVersion,
            ["saved_output"] = new JsonObject
            {
                ["content"] = facts.Saved switch { BundleSavedContent.Labels => "labels", BundleSavedContent.OneHot => "one_hot", _ => "probabilities" },
                ["channels"] = facts.Saved == BundleSavedContent.Labels ? 1 : channels,
                ["channel_axis"] = "last",
            },
            ["label_to_class_index"] = map,
            ["class_names"] = foreground.Count > 0 ? new JsonArray(foreground.Select(c => (JsonNode)JsonValue.Create(c.Value)!).ToArray()) : null,
        };
        return settings.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
