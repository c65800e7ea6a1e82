using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using MdaiClara.Engine.Bundles;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Mdai.Packaging;

namespace MdaiClara.Engine.Mdai;

/// <summary>
/// Builds MD.ai's deployment zip for a MONAI bundle, from its folder or its zip (read in place, never unpacked). MD.ai's
/// Clara image carries MONAI 0.8.1 only, so the package goes on one of MD.ai's Python images (config.yaml base_image
/// py310, or py38 for PyTorch before 1.11) with a requirements.txt pinning the bundle's monai_version, pytorch_version
/// and optional_packages_version; model/bundle/ holds the bundle's configs/, models/, docs/ and scripts/; model/.mdai/
/// holds the bundle interface code for its task (segmentation or classification: its own deploy script and runner,
/// and the DICOM, output-reading and instance-output helpers the MMAR packages use), with mdai_clara.json. What the
/// bundle is comes from <see cref="BundleAnalyzer"/>; the zip is written by the same writer as MMAR packages.
/// </summary>
public static class MdaiBundlePackageBuilder
{
    public const string BundleFolder = "bundle";

    /// <summary>The bundle's folders that go into the package; everything else (sample data, eval/, outputs) stays out.</summary>
    private static readonly string[] PackagedFolders = { "configs", "models", "docs", "scripts" };

    /// <summary>Opens the bundle (folder or .zip), analyses it and packages it.</summary>
    public static MdaiBundlePackage Build(
        string bundlePath,
        string zipPath,
        MdaiPackageOptions options,
        IProgress<MdaiPackageProgress>? progress = null,
        IEngineLog? log = null,
        CancellationToken cancellationToken = default,
        IReadOnlyDictionary<string, byte[]>? templates = null)
    {
        CheckOptions(options);
        using var analysis = BundleAnalyzer.Analyze(bundlePath, cancellationToken);
        return Build(analysis, zipPath, options, progress, log, cancellationToken, templates);
    }

    /// <summary>Packages an analysed bundle; its source stays open (and is read) until this returns.</summary>
    public static MdaiBundlePackage Build(
        BundleAnalysis analysis,
        string zipPath,
        MdaiPackageOptions options,
        IProgress<MdaiPackageProgress>? progress = null,
        IEngineLog? log = null,
        CancellationToken cancellationToken = default,
        IReadOnlyDictionary<string, byte[]>? templates = null)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        CheckOptions(options);
        var source = analysis.Source;
        if (source.EscapingEntries.Count > 0)
        {
            throw BundlePackagingFacts.Refused(source.Location, $"the zip has entries that would land outside the bundle ({string.Join(", ", source.EscapingEntries.Take(5))}); such a zip is damaged or crafted, so nothing of it is packaged. Re-download the bundle");
        }

        var facts = BundlePackagingFacts.From(analysis);
        var warnings = new List<string>();
        if (!source.FileExists(BundleLayout.TorchScriptFile) && !source.FileExists(BundleLayout.CheckpointFile))
        {
            warnings.Add($"{facts.Name} has neither models/model.ts nor models/model.pt; its inference config must load its weights from somewhere in the package.");
        }

        warnings.AddRange(new[] { facts.Datalist.Warning, facts.Saver.Warning }.OfType<string>());

        // Image data is left out unless an include pattern (relative to the bundle root) names it, as for MMARs.
        var included = options.Include.Select(p => MmarPathPattern.Parse(p, "include")).ToList();
        var entries = new List<PackageZipEntry>();
        var leftOut = new List<MdaiPackageLeftOut>();
        foreach (var relative in source.Files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var reason = LeftOutReason(relative);
            if (reason is { } why)
            {
                leftOut.Add(new MdaiPackageLeftOut(relative, why, 1, source.GetLength(relative), why == PackageLeftOutReason.Cache ? "a Python cache" : "outside configs/, models/, docs/, scripts/ and LICENSE"));
                continue;
            }

            if (!included.Any(p => p.Matches(relative)) && Sniff(source, relative) is { } image)
            {
                leftOut.Add(new MdaiPackageLeftOut(relative, PackageLeftOutReason.ImageData, 1, source.GetLength(relative), $"a {image.Format} image ({image.Evidence}): possibly patient data, which an MD.ai package does not carry"));
                continue;
            }

            var file = relative;
            entries.Add(new PackageZipEntry($"model/{BundleFolder}/{relative}", source.GetLength(relative), () => source.OpenRead(file), relative));
        }

        var task = facts.Task == BundleTask.Classification ? "classification" : "segmentation";
        var settings = MdaiBundleSettings.Build(facts, options, BundleFolder);
        var requirements = Requirements(facts);
        var config = MdaiConfigYaml.BuildPython(PythonImage(facts.PytorchVersion), options.DeviceType, CudaVersion(facts.PytorchVersion));
        entries.Add(PackageZipEntry.FromBytes("model/.mdai/config.yaml", Encoding.UTF8.GetBytes(config)));
        entries.Add(PackageZipEntry.FromBytes("model/.mdai/requirements.txt", Encoding.UTF8.GetBytes(requirements)));
        entries.Add(PackageZipEntry.FromBytes("model/.mdai/mdai_clara.json", Encoding.UTF8.GetBytes(settings)));
        foreach (var (name, bytes) in MdaiTemplates.ForBundle(templates ?? MdaiTemplates.Embedded(), task))
        {
            entries.Add(PackageZipEntry.FromBytes("model/.mdai/" + name, bytes));
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        PackageZipWriter.Write(zipPath, entries, progress, (entry, inner) => new MdaiClaraException(
            $"The bundle file {source.DisplayPath(entry)} cannot be read ({inner.Message.TrimEnd('.')}); check the file and its permissions, or re-download a zipped bundle.", ErrorIds.MdaiPackageRefused, ErrorKind.InvalidData, source.DisplayPath(entry), inner), cancellationToken);
        foreach (var w in warnings)
        {
            log.Warning(w);
        }

        return new MdaiBundlePackage
        {
            Path = zipPath,
            Sha256 = MdaiPackageBuilder.Sha256Of(zipPath),
            Bytes = new System.IO.FileInfo(zipPath).Length,
            Files = entries.Select(e => new MdaiPackageEntry(e.Path, e.Bytes)).ToList(),
            Config = config,
            Requirements = requirements,
            Settings = settings,
            Bundle = facts.Name,
            MonaiVersion = facts.MonaiVersion,
            Task = task,
            Warnings = warnings,
            LeftOut = leftOut,
        };
    }

    /// <summary>requirements.txt: the bundle's own pins (MONAI, PyTorch as pip's "torch", its optional packages), plus what the interface code needs.</summary>
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

    private static void CheckOptions(MdaiPackageOptions options)
    {
        if (options.DeviceType is not ("gpu" or "cpu"))
        {
            throw new MdaiClaraException($"device_type '{options.DeviceType}' is not one MD.ai accepts (gpu, cpu).", ErrorIds.MdaiPackageOptionInvalid, ErrorKind.InvalidArgument, options.DeviceType);
        }
    }

    /// <summary>Why a bundle file stays out of the package; null for what goes in.</summary>
    private static PackageLeftOutReason? LeftOutReason(string relative)
    {
        if (relative.Contains("__pycache__/", StringComparison.Ordinal) || relative.EndsWith(".pyc", StringComparison.Ordinal))
        {
            return PackageLeftOutReason.Cache;
        }

        var top = relative.Split('/')[0];
        return PackagedFolders.Contains(top, StringComparer.Ordinal) || relative == "LICENSE" ? null : PackageLeftOutReason.NotNeeded;
    }

    /// <summary>Medical image data (NIfTI, DICOM, MetaImage, NRRD) by the file's name or first bytes, as MMAR packages judge it.</summary>
    private static ImageDataMatch? Sniff(BundleSource source, string relative)
    {
        try
        {
            using var stream = source.OpenRead(relative);
            return ImageDataSniffer.Classify(relative, stream);
        }
        catch (Exception ex) when (ex is System.IO.IOException or UnauthorizedAccessException or System.IO.InvalidDataException)
        {
            throw new MdaiClaraException($"The bundle file {source.DisplayPath(relative)} cannot be read ({ex.Message.TrimEnd('.')}); check the file and its permissions, or re-download a zipped bundle.", ErrorIds.MdaiPackageRefused, ErrorKind.InvalidData, source.DisplayPath(relative), ex);
        }
    }

    private static bool VersionBefore(string version, int major, int minor)
    {
        var parts = version.Split('.', '+', '-', 'a', 'b', 'r');
        var ma = parts.Length > 0 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var x) ? x : 0;
        var mi = parts.Length > 1 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var y) ? y : 0;
        return ma < major || (ma == major && mi < minor);
    }
}
