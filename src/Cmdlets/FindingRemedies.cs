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
        MmarFindingsException refused when refused.Findings.Any(f => f.RuleId == MmarRuleIds.ClaraGenerationMismatch) =>
            $"Repair-Mmar -LiteralPath '{refused.Target?.ToString()?.Replace("'", "''", System.StringComparison.Ordinal) ?? "<mmar>"}' -Destination <folder> writes a copy whose inference config is migrated to what MD.ai's Clara 4.1 image runs.",
        { ErrorId: ErrorIds.CudaUnavailable } => "Use -Device Cpu, or -Device Auto to take a GPU only where there is one.",
        { ErrorId: ErrorIds.InferenceFailed, Kind: ErrorKind.ResourceUnavailable } => "A smaller -RoiSize or -BatchSize needs less memory.",
        _ => null,
    };
}
