using MdaiClara.Engine.Diagnostics;

namespace MdaiClara.Engine.Validation;

/// <summary>
/// One result of Test-Mmar: which rule, how serious, what and where (file relative to the MMAR root, 1-based line
/// and column when known). Findings are data, not errors.
/// </summary>
public sealed record MmarFinding(string RuleId, FindingSeverity Severity, string Message, string? File = null, int? Line = null, int? Column = null)
{
    /// <summary>The MMAR the finding is about (its path), so findings of several MMARs can be told apart.</summary>
    public string? Mmar { get; init; }

    /// <summary>
    /// What to run to fix it, naming a command and its parameters; filled by the cmdlet layer (the engine's messages
    /// never name cmdlet parameters), null when there is no command that fixes it.
    /// </summary>
    public string? Remedy { get; init; }

    public override string ToString()
    {
        var where = File is null ? string.Empty : Line is null ? $"{File}: " : $"{File}:{Line}:{Column}: ";
        return $"{Severity} {RuleId}: {where}{Message}";
    }
}
