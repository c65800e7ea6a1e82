using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.IO;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Mdai.Packaging;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Validation;
using YamlDotNet.RepresentationModel;

namespace MdaiClara.Engine.Publishing;

/// <summary>How a publishing check ended.</summary>
public enum PublishCheckStatus
{
    Passed,
    Failed,
    Skipped,
}

/// <summary>One check of a publication: what was checked, how it ended, and what was seen.</summary>
public sealed record PublishCheck(string Name, PublishCheckStatus Status, string Detail)
{
    public override string ToString() => $"{Status}: {Name}: {Detail}";
}

/// <summary>What publishing an MMAR did: every check, the package, where it went, and the step that is left to do by hand.</summary>
public sealed record PublishResult
{
    public required string Mmar { get; init; }

    public required IReadOnlyList<PublishCheck> Checks { get; init; }

    /// <summary>The delivered package (null when a check failed or -WhatIf held the delivery back).</summary>
    public string? Package { get; init; }

    public string? Sha256 { get; init; }

    public long? Bytes { get; init; }

    public bool Delivered { get; init; }

    /// <summary>What remains for a person: MD.ai has no public API to upload models.</summary>
    public required string NextStep { get; init; }

    /// <summary>What the checks prove and what they do not: form (it runs, its outputs follow MD.ai's rules), not accuracy.</summary>
    public string Scope { get; init; } = MdaiPublisher.FormNotAccuracy;

    public bool Passed => Checks.All(c => c.Status != PublishCheckStatus.Failed);

    public override string ToString() => $"{Mmar}: {(Passed ? "passed" : "failed")}{(Delivered ? $", delivered to {Package}" : string.Empty)}";
}

/// <summary>What to publish and how.</summary>
public sealed record PublishOptions
{
    /// <summary>The folder the package is delivered to.</summary>
    public required string Destination { get; init; }

    public MdaiPackageOptions Package { get; init; } = new();

    /// <summary>DICOM files or folders of one study to smoke-run the packaged MMAR on; null: the module's phantom series (segmentation).</summary>
    public IReadOnlyList<string>? Study { get; init; }

    /// <summary>Where the smoke run runs.</summary>
    public DeviceSpec Device { get; init; } = DeviceSpec.Cpu;

    /// <summary>False for -WhatIf: every check runs, the package is not delivered.</summary>
    public bool Deliver { get; init; } = true;

    /// <summary>Whether delivery may replace a package of the same name already in the destination.</summary>
    public bool ReplaceExisting { get; init; } = true;

    /// <summary>The minimum quality measured on ground truth (the "Quality" check); null: not measured.</summary>
    public QualityGate? Quality { get; init; }
}

/// <summary>
/// Publishes an MMAR for MD.ai: Test-Mmar (errors stop it), the package, a re-read of the zip (layout, config.yaml,
/// sizes, hash), a smoke run of the packaged MMAR through MdaiClara's engine judged as the packaged interface code will
/// judge it (<see cref="MdaiSmokeRun"/>: what its saver writes, read by the code's rules, and the MD.ai output list
/// checked by MD.ai's rules), then delivery to the destination (written to a temporary file there and renamed). Each step
/// is a recorded check; a failed check stops the steps that depend on it. The checks show form, not accuracy
/// (<see cref="FormNotAccuracy"/>).
/// </summary>
public static class MdaiPublisher
{
    public const string ManualStep =
        "MD.ai offers no public API for uploading models. In the MD.ai project, open Models, create the model (or pick it), add a version and upload the package; MD.ai builds it with its Clara 4.1 image and runs it on the studies you choose. The checks passed show form, not accuracy: measure the model on labelled studies before anyone relies on it.";

    /// <summary>What a passed publication shows, and what it does not (the record's Scope).</summary>
    public const string FormNotAccuracy =
        "Form, not accuracy: the checks show that the package is complete, that it runs on a study and that its outputs follow MD.ai's rules. They do not show that its segmentations or classes are right: a model with random weights passes them too.";

    /// <summary>How many instances of the study a classifier's smoke run classifies, one by one.</summary>
    public const int ClassifiedInstances = 16;

    /// <summary>The module's phantom CT series (staged beside bin/), the default smoke-run study.</summary>
    public static string? BundledStudy()
    {
        var bin = Path.GetDirectoryName(typeof(MdaiPublisher).Assembly.Location);
        var study = bin is null ? null : Path.GetFullPath(Path.Combine(bin, "..", "samples", "phantom-dicom"));
        return study is not null && Directory.Exists(study) ? study : null;
    }

    public static PublishResult Publish(string mmarPath, PublishOptions options, ModelSessionCache cache, IEngineLog? log = null, CancellationToken cancellationToken = default)
    {
        var checks = new List<PublishCheck>();
        using var source = MmarLocator.Open(mmarPath);
        var analysis = MmarAnalyzer.Analyze(source, cancellationToken);
        var name = analysis.Info.Name;
        PublishResult Stop() => new() { Mmar = name, Checks = checks, NextStep = "Fix what failed, then publish again." };

        // 1. Test-Mmar: errors stop publishing.
        var findings = MmarValidator.Validate(analysis, new MmarValidationOptions(), null, log, cancellationToken);
        var errors = MdaiPackageBuilder.BlockingErrors(findings, options.Package);
        var warnings = findings.Count(f => f.Severity == FindingSeverity.Warning);
        checks.Add(new PublishCheck("Test-Mmar", errors.Count == 0 ? PublishCheckStatus.Passed : PublishCheckStatus.Failed,
            errors.Count == 0 ? $"no errors, {warnings} warning(s)" : $"{errors.Count} error(s): {string.Join(" ", errors.Take(3).Select(e => e.Message))}"));
        if (errors.Count > 0)
        {
            return Stop();
        }

        var work = Path.Combine(Path.GetTempPath(), "mdaiclara-publish-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            // 2. Package.
            var zip = Path.Combine(work, MdaiPackageBuilder.Clara40FolderName(analysis.Info) + ".zip");
            MdaiPackage package;
            try
            {
                package = MdaiPackageBuilder.Build(analysis, zip, options.Package, null, log, cancellationToken);
                checks.Add(new PublishCheck("Package", PublishCheckStatus.Passed, $"{package.Files.Count} files, {package.Bytes:N0} bytes, SHA-256 {package.Sha256}{LeftOutSummary(package)}"));
            }
            catch (MdaiClaraException ex)
            {
                checks.Add(new PublishCheck("Package", PublishCheckStatus.Failed, ex.Message));
                return Stop();
            }

            // 3. Re-open and verify what was written.
            var verify = Verify(zip, package, options.Package);
            checks.Add(verify);
            if (verify.Status == PublishCheckStatus.Failed)
            {
                return Stop();
            }

            // 4. Smoke-run the packaged MMAR (not the source) and judge it as the packaged interface code will.
            if (CheckpointOnly(package, analysis) is { } checkpointOnly)
            {
                checks.Add(checkpointOnly);
                return Stop();
            }

            var smoke = MdaiSmokeRun.Run(zip, package, options, cache, log, cancellationToken);
            checks.AddRange(smoke);
            if (smoke.Any(c => c.Status == PublishCheckStatus.Failed))
            {
                return Stop();
            }

            // 4b. Quality on ground truth, when asked for: below the minimum stops delivery.
            var scope = FormNotAccuracy;
            if (options.Quality is { } gate)
            {
                var quality = gate.Check(analysis, options.Device, cache, log, cancellationToken);
                checks.Add(quality);
                if (quality.Status == PublishCheckStatus.Failed)
                {
                    return Stop();
                }

                scope = $"Form, and accuracy on the ground truth given: the package runs, its outputs follow MD.ai's rules, and the model reached the minimum quality there ({quality.Detail}). Other scanners and populations may differ.";
            }

            // 5. Deliver (not after Ctrl+C: the pipeline has stopped and nobody would see the record).
            cancellationToken.ThrowIfCancellationRequested();
            var target = Path.Combine(options.Destination, Path.GetFileName(zip));
            if (!options.Deliver)
            {
                checks.Add(new PublishCheck("Deliver", PublishCheckStatus.Skipped, File.Exists(target) && !options.ReplaceExisting
                    ? $"-WhatIf: would not copy the package: {target} already exists and would be kept"
                    : $"-WhatIf: would copy the package to {target}{(File.Exists(target) ? ", replacing the package there" : string.Empty)}"));
                return new PublishResult { Mmar = name, Checks = checks, Sha256 = package.Sha256, Bytes = package.Bytes, NextStep = ManualStep, Scope = scope };
            }

            var replaced = File.Exists(target);
            if (replaced && !options.ReplaceExisting)
            {
                checks.Add(new PublishCheck("Deliver", PublishCheckStatus.Failed, $"{target} already exists; it was kept and the package was not delivered."));
                return new PublishResult { Mmar = name, Checks = checks, Sha256 = package.Sha256, Bytes = package.Bytes, NextStep = "Replace the package that is there, or deliver to another folder.", Scope = scope };
            }

            Deliver(zip, target, package.Sha256, cancellationToken);
            checks.Add(new PublishCheck("Deliver", PublishCheckStatus.Passed, $"{target} (SHA-256 verified after copying{(replaced ? "; it replaced the package that was there" : string.Empty)})"));
            return new PublishResult { Mmar = name, Checks = checks, Package = target, Sha256 = package.Sha256, Bytes = package.Bytes, Delivered = true, NextStep = ManualStep, Scope = scope };
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                log.Verbose($"Could not remove the temporary folder {work}.");
            }
        }
    }

    /// <summary>
    /// A package of a config that loads the checkpoint leaves the TorchScript out (MD.ai's Clara never reads it), and
    /// MdaiClara runs TorchScript only: the smoke run has nothing to run, and says so rather than "no TorchScript".
    /// </summary>
    private static PublishCheck? CheckpointOnly(MdaiPackage package, MmarAnalysis analysis)
    {
        var ts = analysis.Info.TorchScript?.RelativePath;
        if (ts is null || package.LeftOut.All(l => l.Reason != PackageLeftOutReason.ModelNotLoaded || l.Path != ts))
        {
            return null;
        }

        return new PublishCheck("Smoke run", PublishCheckStatus.Failed,
            $"{analysis.Info.InferenceConfig?.ActiveModel?.File ?? "the inference config"} loads the checkpoint {analysis.Info.Checkpoint?.RelativePath}, which MD.ai's Clara runs and MdaiClara never unpickles, so the package leaves out the TorchScript {ts} and MdaiClara has no model to smoke-run. "
            + $"Name {ts} with an include pattern to smoke-run the TorchScript exported from that checkpoint (it is then packaged too), or make the config load the TorchScript.");
    }

    /// <summary>What the package left out of the MMAR, for the Package check's detail (the first few, then a count).</summary>
    private static string LeftOutSummary(MdaiPackage package) => package.LeftOut.Count == 0
        ? string.Empty
        : $"; left out of the MMAR: {string.Join(", ", package.LeftOut.Take(6))}{(package.LeftOut.Count > 6 ? $" and {package.LeftOut.Count - 6} more" : string.Empty)}";

    /// <summary>The zip read back: the layout MD.ai's builder needs, config.yaml as YAML, every entry's size, the hash.</summary>
    private static PublishCheck Verify(string zip, MdaiPackage package, MdaiPackageOptions options)
    {
        var problems = new List<string>();
        if (MdaiPackageBuilder.Sha256Of(zip) != package.Sha256)
        {
            problems.Add("its SHA-256 changed after writing");
        }

        using (var archive = ZipFile.OpenRead(zip))
        {
            var entries = archive.Entries.ToDictionary(e => e.FullName, StringComparer.Ordinal);
            var root = options.ClaraVersion == MdaiPackageOptions.Clara40 ? $"model/workspace/{package.Settings.MmarRoot}/" : "model/workspace/";
            foreach (var required in new[] { "model/.mdai/config.yaml", "model/.mdai/mdai_deploy.py", "model/.mdai/requirements.txt", "model/.mdai/mdai_clara.json", root + "commands/infer.sh", root + package.Settings.EnvironmentJson })
            {
                if (!entries.ContainsKey(required))
                {
                    problems.Add($"{required} is missing");
                }
            }

            foreach (var file in package.Files)
            {
                if (!entries.TryGetValue(file.Path, out var entry))
                {
                    problems.Add($"{file.Path} is missing");
                    continue;
                }

                // Reading every entry to its end also checks its CRC.
                using var stream = entry.Open();
                long read = 0;
                var buffer = new byte[1 << 16];
                int n;
                while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    read += n;
                }

                if (read != file.Bytes)
                {
                    problems.Add($"{file.Path} holds {read:N0} bytes, {file.Bytes:N0} were written");
                }
            }

            if (entries.TryGetValue("model/.mdai/config.yaml", out var configEntry))
            {
                using var reader = new StreamReader(configEntry.Open(), Encoding.UTF8);
                var yaml = new YamlStream();
                yaml.Load(reader);
                var map = (YamlMappingNode)yaml.Documents[0].RootNode;
                string? Scalar(string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? ((YamlScalarNode)v).Value : null;
                var clara = map.Children.TryGetValue(new YamlScalarNode("clara_version"), out var c) ? (YamlScalarNode)c : null;
                if (Scalar("base_image") != "nvidia" || Scalar("device_type") != options.DeviceType || clara?.Value != options.ClaraVersion || clara.Style != YamlDotNet.Core.ScalarStyle.DoubleQuoted)
                {
                    problems.Add($"config.yaml reads base_image={Scalar("base_image")}, device_type={Scalar("device_type")}, clara_version={clara?.Value} ({clara?.Style})");
                }
            }

            if (entries.TryGetValue(root + package.Settings.EnvironmentJson, out var envEntry))
            {
                using var envStream = envEntry.Open();
                var environment = JsonNode.Parse(envStream) as JsonObject;
                foreach (var key in new[] { "OUTPUT_CHANNELS", "INFER_DATALIST_KEY", "DATASET_JSON" })
                {
                    if (environment?[key] is null)
                    {
                        problems.Add($"environment.json lacks {key}");
                    }
                }
            }

            // Image data (possibly patient data) only where an include pattern names it, judged on the zip itself.
            foreach (var image in PackagedImageData.Unnamed(archive, root, options.Include))
            {
                problems.Add($"{image}, and a package carries image data only where an include pattern names it");
            }
        }

        return problems.Count == 0
            ? new PublishCheck("Verify package", PublishCheckStatus.Passed, $"layout, config.yaml, environment.json, {package.Files.Count} entries and their CRCs, no image data but what include patterns name, SHA-256")
            : new PublishCheck("Verify package", PublishCheckStatus.Failed, string.Join("; ", problems));
    }

    internal static void Deliver(string zip, string target, string sha256, CancellationToken cancellationToken)
    {
        try
        {
            AtomicFile.Write(target, to =>
            {
                using (var from = new FileStream(zip, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan))
                {
                    // Chunk by chunk, so Ctrl+C stops a large copy to a share (the temporary is removed).
                    from.CopyToAsync(to, 1 << 20, cancellationToken).GetAwaiter().GetResult();
                }

                cancellationToken.ThrowIfCancellationRequested();
                to.Flush();
                to.Position = 0;
                if (MdaiPackageBuilder.Sha256Of(to) != sha256)
                {
                    throw new MdaiClaraException($"The copy of the package in {Path.GetDirectoryName(Path.GetFullPath(target))} does not match the package (SHA-256); nothing was delivered.", ErrorIds.MdaiPackageVerifyFailed, ErrorKind.WriteError, target);
                }
            }, createFolder: true, readBack: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MdaiClaraException($"Cannot deliver the package to {target}: {ex.Message.TrimEnd('.')}.", ErrorIds.MdaiPackageWriteFailed, ErrorKind.WriteError, target, ex);
        }
    }
}
