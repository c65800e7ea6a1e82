using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;

namespace MdaiClara.Engine.Publishing;

/// <summary>
/// The steps every publication shares, whatever it packages (an MMAR, a MONAI bundle): the validation check, the
/// record of a stop, and the delivery (or what -WhatIf would deliver) with its record.
/// </summary>
internal static class PublishSteps
{
    public const string FixWhatFailed = "Fix what failed, then publish again.";

    /// <summary>The validation check (Test-Mmar, Test-MonaiBundle): passed without errors; failed with the first few of them.</summary>
    public static PublishCheck Validation(string name, IReadOnlyList<string> errors, int warnings) =>
        new(name, errors.Count == 0 ? PublishCheckStatus.Passed : PublishCheckStatus.Failed,
            errors.Count == 0 ? $"no errors, {warnings} warning(s)" : $"{errors.Count} error(s): {string.Join(" ", errors.Take(3))}");

    /// <summary>The record of a publication that stopped at a failed check.</summary>
    public static PublishResult Stopped(string name, IReadOnlyList<PublishCheck> checks, string scope) =>
        new() { Mmar = name, Checks = checks, NextStep = FixWhatFailed, Scope = scope };

    /// <summary>
    /// Delivers the checked package to the destination (a temporary file there, verified, then renamed), or says what
    /// -WhatIf would have done; adds the Deliver check and returns the publication's record. Not after Ctrl+C: the
    /// pipeline has stopped and nobody would see the record.
    /// </summary>
    public static PublishResult Deliver(string name, List<PublishCheck> checks, string zip, string sha256, long bytes, PublishOptions options, string scope, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var target = Path.Combine(options.Destination, Path.GetFileName(zip));
        if (!options.Deliver)
        {
            checks.Add(new PublishCheck("Deliver", PublishCheckStatus.Skipped, File.Exists(target) && !options.ReplaceExisting
                ? $"-WhatIf: would not copy the package: {target} already exists and would be kept"
                : $"-WhatIf: would copy the package to {target}{(File.Exists(target) ? ", replacing the package there" : string.Empty)}"));
            return new PublishResult { Mmar = name, Checks = checks, Sha256 = sha256, Bytes = bytes, NextStep = MdaiPublisher.ManualStep, Scope = scope };
        }

        var replaced = File.Exists(target);
        if (replaced && !options.ReplaceExisting)
        {
            checks.Add(new PublishCheck("Deliver", PublishCheckStatus.Failed, $"{target} already exists; it was kept and the package was not delivered."));
            return new PublishResult { Mmar = name, Checks = checks, Sha256 = sha256, Bytes = bytes, NextStep = "Replace the package that is there, or deliver to another folder.", Scope = scope };
        }

        MdaiPublisher.Deliver(zip, target, sha256, cancellationToken);
        checks.Add(new PublishCheck("Deliver", PublishCheckStatus.Passed, $"{target} (SHA-256 verified after copying{(replaced ? "; it replaced the package that was there" : string.Empty)})"));
        return new PublishResult { Mmar = name, Checks = checks, Package = target, Sha256 = sha256, Bytes = bytes, Delivered = true, NextStep = MdaiPublisher.ManualStep, Scope = scope };
    }
}
