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
using MdaiClara.Engine.Models;
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
        PublishResult Stop() => PublishSteps.Stopped(name, checks, FormNotAccuracy);

        // 1. Test-Mmar: errors stop publishing.
        var findings = MmarValidator.Validate(analysis, new MmarValidationOptions(), null, log, cancellationToken);
        var errors = MdaiPackageBuilder.BlockingErrors(findings, options.Package);
        checks.Add(PublishSteps.Validation("Test-Mmar", errors.Select(e => e.Message).ToList(), findings.Count(f => f.Severity == FindingSeverity.Warning)));
        if (errors.Count > 0)
        {
            return Stop();
        }

        using var work = new PublishWorkFolder(log);

        // 2. Package.
        var zip = work.Combine(MdaiPackageBuilder.Clara40FolderName(analysis.Info) + ".zip");
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
        var verify = MmarPackageVerifier.Verify(zip, package, options.Package);
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
            var quality = gate.Check(RunnableModels.FromMmar(analysis), options.Device, cache, log, cancellationToken);
            checks.Add(quality);
            if (quality.Status == PublishCheckStatus.Failed)
            {
                return Stop();
            }

            scope = QualityScope(quality);
        }

        // 5. Deliver.
        return PublishSteps.Deliver(name, checks, zip, package.Sha256, package.Bytes, options, scope, cancellationToken);
    }

    /// <summary>The Scope of a publication whose Quality check passed.</summary>
    internal static string QualityScope(PublishCheck quality) =>
        $"Form, and accuracy on the ground truth given: the package runs, its outputs follow MD.ai's rules, and the model reached the minimum quality there ({quality.Detail}). Other scanners and populations may differ.";

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
