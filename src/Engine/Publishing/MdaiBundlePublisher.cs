using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Bundles;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Validation.Bundles;

namespace MdaiClara.Engine.Publishing;

/// <summary>
/// Publishes a MONAI bundle to MD.ai as the MMAR path does, with the checks that have a bundle equivalent: validate
/// (the bundle rules), package, deliver. Verifying the package's contents and smoke-running it have none yet: the record
/// says so as Skipped with why, never Passed.
/// </summary>
public static class MdaiBundlePublisher
{
    public const string VerifyNotRun = "not run: MdaiClara has no verification of a bundle package's contents yet (it checks only the SHA-256 after delivery)";

    public const string SmokeNotRun = "not run: a bundle package runs the bundle's inference config through MONAI's bundle API in Python on MD.ai, which MdaiClara does not run here; run the package once against a real MONAI as the README describes";

    public const string BundleScope =
        "Less than form: the bundle passed its validation rules and was packaged, but the package was neither verified nor smoke-run (see those checks), and accuracy was not measured.";

    public static PublishResult Publish(string bundleFolder, PublishOptions options, ModelSessionCache cache, IEngineLog? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Quality is not null)
        {
            throw new MdaiClaraException("A quality gate on ground truth is not available for a MONAI bundle yet; publish without it and measure the bundle with its labels separately.", ErrorIds.QualityGateInvalid, ErrorKind.InvalidArgument, bundleFolder);
        }

        var checks = new List<PublishCheck>();
        using var analysis = BundleAnalyzer.Analyze(bundleFolder, cancellationToken);
        var name = analysis.Info.Name;
        PublishResult Stop() => new() { Mmar = name, Checks = checks, NextStep = "Fix what failed, then publish again.", Scope = BundleScope };

        // 1. Test-MonaiBundle: errors stop publishing.
        var findings = BundleValidator.Validate(analysis, new BundleValidationOptions(), cache, log, cancellationToken);
        var errors = findings.Where(f => f.Severity == FindingSeverity.Error).ToList();
        var warnings = findings.Count(f => f.Severity == FindingSeverity.Warning);
        checks.Add(new PublishCheck("Test-MonaiBundle", errors.Count == 0 ? PublishCheckStatus.Passed : PublishCheckStatus.Failed,
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
            var folderName = Path.GetFileName(Path.GetFullPath(bundleFolder).TrimEnd(Path.DirectorySeparatorChar));
            var zip = Path.Combine(work, folderName + ".zip");
            MdaiBundlePackage package;
            try
            {
                package = MdaiBundlePackageBuilder.Build(bundleFolder, zip, options.Package, null, log, cancellationToken);
                checks.Add(new PublishCheck("Package", PublishCheckStatus.Passed, $"{package.Files.Count} files, {package.Bytes:N0} bytes, SHA-256 {package.Sha256}, MONAI {package.MonaiVersion}"));
            }
            catch (MdaiClaraException ex)
            {
                checks.Add(new PublishCheck("Package", PublishCheckStatus.Failed, ex.Message));
                return Stop();
            }

            // 3, 4. No bundle equivalent yet: said so, never Passed.
            checks.Add(new PublishCheck("Verify package", PublishCheckStatus.Skipped, VerifyNotRun));
            checks.Add(new PublishCheck("Smoke run", PublishCheckStatus.Skipped, SmokeNotRun));

            // 5. Deliver.
            cancellationToken.ThrowIfCancellationRequested();
            var target = Path.Combine(options.Destination, Path.GetFileName(zip));
            if (!options.Deliver)
            {
                checks.Add(new PublishCheck("Deliver", PublishCheckStatus.Skipped, File.Exists(target) && !options.ReplaceExisting
                    ? $"-WhatIf: would not copy the package: {target} already exists and would be kept"
                    : $"-WhatIf: would copy the package to {target}{(File.Exists(target) ? ", replacing the package there" : string.Empty)}"));
                return new PublishResult { Mmar = name, Checks = checks, Sha256 = package.Sha256, Bytes = package.Bytes, NextStep = MdaiPublisher.ManualStep, Scope = BundleScope };
            }

            var replaced = File.Exists(target);
            if (replaced && !options.ReplaceExisting)
            {
                checks.Add(new PublishCheck("Deliver", PublishCheckStatus.Failed, $"{target} already exists; it was kept and the package was not delivered."));
                return new PublishResult { Mmar = name, Checks = checks, Sha256 = package.Sha256, Bytes = package.Bytes, NextStep = "Replace the package that is there, or deliver to another folder.", Scope = BundleScope };
            }

            MdaiPublisher.Deliver(zip, target, package.Sha256, cancellationToken);
            checks.Add(new PublishCheck("Deliver", PublishCheckStatus.Passed, $"{target} (SHA-256 verified after copying{(replaced ? "; it replaced the package that was there" : string.Empty)})"));
            return new PublishResult { Mmar = name, Checks = checks, Package = target, Sha256 = package.Sha256, Bytes = package.Bytes, Delivered = true, NextStep = MdaiPublisher.ManualStep, Scope = BundleScope };
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                log?.Verbose($"Could not remove the temporary folder {work}.");
            }
        }
    }
}
