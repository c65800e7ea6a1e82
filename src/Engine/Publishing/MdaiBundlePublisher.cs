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
        var folderName = Path.GetFileName(Path.GetFullPath(bundleFolder).TrimEnd(Path.DirectorySeparatorChar));
        var zip = work.Combine(folderName + ".zip");
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

        // 3. Re-open and verify what was written, as MD.ai's builder and the interface code will read it.
        var verify = BundlePackageVerifier.Verify(zip, package, options.Package);
        checks.Add(verify);
        if (verify.Status == PublishCheckStatus.Failed)
        {
            return Stop();
        }

        // 4. No bundle equivalent yet: said so, never Passed.
        checks.Add(new PublishCheck("Smoke run", PublishCheckStatus.Skipped, SmokeNotRun));

        // 5. Deliver.
        return PublishSteps.Deliver(name, checks, zip, package.Sha256, package.Bytes, options, BundleScope, cancellationToken);
    }
}
