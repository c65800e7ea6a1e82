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
using MdaiClara.Engine.Models;
using MdaiClara.Engine.Validation.Bundles;

namespace MdaiClara.Engine.Publishing;

/// <summary>
/// Publishes a MONAI bundle to MD.ai with the checks of the MMAR path (<see cref="PublishSteps"/>): Test-MonaiBundle
/// (errors stop it), the package, a re-read of the zip (<see cref="BundlePackageVerifier"/>), a smoke run of the packaged
/// bundle judged as the packaged interface code will judge it (<see cref="BundleSmokeRun"/>), the quality gate on ground
/// truth when asked for, then delivery. Each step is a recorded check; a failed check stops the steps after it.
/// </summary>
public static class MdaiBundlePublisher
{
    /// <summary>What a bundle's publication shows, and what it does not (the record's Scope).</summary>
    public const string BundleScope = MdaiPublisher.FormNotAccuracy
        + " The smoke run ran the packaged bundle's pipeline with MdaiClara's engine (its MONAI version's semantics), not with MONAI itself: run the package once against a real MONAI as the README describes.";

    public static PublishResult Publish(string bundleFolder, PublishOptions options, ModelSessionCache cache, IEngineLog? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var checks = new List<PublishCheck>();
        using var analysis = BundleAnalyzer.Analyze(bundleFolder, cancellationToken);
        var name = analysis.Info.Name;
        PublishResult Stop() => PublishSteps.Stopped(name, checks, BundleScope);

        // 1. Test-MonaiBundle: errors stop publishing.
        var findings = BundleValidator.Validate(analysis, new BundleValidationOptions(), cache, log, cancellationToken);
        var errors = findings.Where(f => f.Severity == FindingSeverity.Error).Select(e => e.Message).ToList();
        checks.Add(PublishSteps.Validation("Test-MonaiBundle", errors, findings.Count(f => f.Severity == FindingSeverity.Warning)));
        if (errors.Count > 0)
        {
            return Stop();
        }

        using var work = new PublishWorkFolder(log);

        // 2. Package.
        // Named after the bundle's folder, or its zip without ".zip" (a Model Zoo zip is packaged in place).
        var full = Path.GetFullPath(bundleFolder).TrimEnd(Path.DirectorySeparatorChar);
        var zip = work.Combine((File.Exists(full) ? Path.GetFileNameWithoutExtension(full) : Path.GetFileName(full)) + ".zip");
        MdaiBundlePackage package;
        try
        {
            package = MdaiBundlePackageBuilder.Build(analysis, zip, options.Package, null, log, cancellationToken);
            checks.Add(new PublishCheck("Package", PublishCheckStatus.Passed, $"{package.Files.Count} files, {package.Bytes:N0} bytes, SHA-256 {package.Sha256}, MONAI {package.MonaiVersion}"));
        }
        catch (MdaiClaraException ex)
        {
            checks.Add(new PublishCheck("Package", PublishCheckStatus.Failed, ex.Message));
            return Stop();
        }

        // 3. Re-open and verify what was written, as MD.ai's builder and the interface code will read it.
        var verify = BundlePackageVerifier.Verify(zip, package, options.Package);
        checks.Add(verify);
        if (verify.Status == PublishCheckStatus.Failed)
        {
            return Stop();
        }

        // 4. Smoke-run the packaged bundle (not the source) and judge it as the packaged interface code will.
        var smoke = BundleSmokeRun.Run(zip, package, options, cache, log, cancellationToken);
        checks.AddRange(smoke);
        if (smoke.Any(c => c.Status == PublishCheckStatus.Failed))
        {
            return Stop();
        }

        // 4b. Quality on ground truth, when asked for: below the minimum stops delivery.
        var scope = BundleScope;
        if (options.Quality is { } gate)
        {
            var quality = gate.Check(RunnableModels.FromBundle(analysis), options.Device, cache, log, cancellationToken);
            checks.Add(quality);
            if (quality.Status == PublishCheckStatus.Failed)
            {
                return Stop();
            }

            scope = MdaiPublisher.QualityScope(quality);
        }

        // 5. Deliver.
        return PublishSteps.Deliver(name, checks, zip, package.Sha256, package.Bytes, options, scope, cancellationToken);
    }
}
