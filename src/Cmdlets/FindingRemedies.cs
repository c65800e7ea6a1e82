using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Validation;

namespace MdaiClara.Cmdlets;

/// <summary>
/// The command that makes a finding's automatic fix, in PowerShell's words: the engine says which kind of fix exists
/// (<see cref="FindingRemedy"/>), the cmdlet layer names the cmdlet and its parameters.
/// </summary>
internal static class FindingRemedies
{
    public static string? Text(FindingRemedy kind, string? mmar) => kind switch
    {
        FindingRemedy.RepairMmar =>
            $"Repair-Mmar -LiteralPath '{(mmar ?? "<mmar>").Replace("'", "''", System.StringComparison.Ordinal)}' -Destination <folder> writes a copy migrated to what MD.ai's Clara 4.1 image runs.",
        _ => null,
    };

    /// <summary>The distinct remedies of several findings, one sentence each.</summary>
    public static string? Of(IEnumerable<MmarFinding> findings)
    {
        var texts = findings.Select(f => Text(f.RemedyKind, f.Mmar)).Where(t => t is not null).Distinct().ToList();
        return texts.Count == 0 ? null : string.Join(" ", texts);
    }
}
