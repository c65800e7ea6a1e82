using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Validation;

namespace MdaiClara.Cmdlets;

/// <summary>
/// The remedy the cmdlet layer adds to an engine error, naming the command or parameters that make it (the engine's
/// messages never name cmdlets or their parameters): packaging refused for findings a command fixes, a device that is
/// not there, a sliding window that did not fit in memory. Test-Mmar's own findings get theirs from the repair plan
/// (MmarRemedies, Repair-Mmar's part).
/// </summary>
internal static class FindingRemedies
{
    public static string? Of(MdaiClaraException ex) => ex switch
    {
        MmarFindingsException refused when refused.Findings.Any(f => f.RuleId == MmarRuleIds.ClaraGenerationMismatch) && RepairMigrates(refused.Target) =>
            $"Repair-Mmar -Mmar '{refused.Target?.ToString()?.Replace("'", "''", System.StringComparison.Ordinal) ?? "<mmar>"}' -Destination <folder> writes a copy whose inference config is migrated to what MD.ai's Clara 4.1 image runs.",
        { ErrorId: ErrorIds.CudaUnavailable } => "Use -Device Cpu, or -Device Auto to take a GPU only where there is one.",
        { ErrorId: ErrorIds.InferenceFailed, Kind: ErrorKind.ResourceUnavailable } => "A smaller -RoiSize or -BatchSize needs less memory.",
        { ErrorId: ErrorIds.DicomWebUnauthorized } => "Define the connection again with the right credentials: New-DicomWebConnection -Uri <address> -Name <name> -Credential (Get-Credential), or -BearerToken.",
        { ErrorId: ErrorIds.DicomWebTransferInterrupted } => "Run Receive-DicomSeries again with the same -Path: it keeps the instances already there and fetches only the rest.",
        { ErrorId: ErrorIds.DicomWebUnreachable } => "Check the address given to New-DicomWebConnection -Uri and that the PACS is running; -SkipCertificateCheck accepts a self-signed certificate.",
        _ => null,
    };

    // Offered only where Repair-Mmar's plan for that MMAR really migrates its config (as Test-Mmar's remedies are).
    private static bool RepairMigrates(object? target)
    {
        if (target is not string path)
        {
            return false;
        }

        try
        {
            return MmarRemedies.Migrates(MmarRemedies.PlanFor(MdaiClara.Engine.Mmar.MmarAnalyzer.Open(path)));
        }
        catch (MdaiClaraException)
        {
            return false;
        }
    }
}
