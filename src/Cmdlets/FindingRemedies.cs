using System.Linq;
using MdaiClara.Engine.Validation;

namespace MdaiClara.Cmdlets;

/// <summary>
/// The remedy a cmdlet adds, naming the command that makes it, when packaging is refused for findings a command fixes
/// (the engine's messages never name cmdlets or their parameters). Test-Mmar's own findings get theirs from the repair
/// plan (MmarRemedies, Repair-Mmar's part).
/// </summary>
internal static class FindingRemedies
{
    public static string? Of(MmarFindingsException refused) =>
        refused.Findings.Any(f => f.RuleId == MmarRuleIds.ClaraGenerationMismatch)
            ? $"Repair-Mmar -LiteralPath '{refused.Target?.ToString()?.Replace("'", "''", System.StringComparison.Ordinal) ?? "<mmar>"}' -Destination <folder> writes a copy whose inference config is migrated to what MD.ai's Clara 4.1 image runs."
            : null;
}
