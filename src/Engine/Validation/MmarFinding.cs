namespace MdaiClara.Engine.Validation;

public enum FindingSeverity
{
    Information,
    Warning,
    Error,
}

/// <summary>
/// A fix for a finding that MdaiClara can make itself; the cmdlet layer names the command that makes it (the engine's
/// messages never name cmdlets or their parameters).
/// </summary>
public enum FindingRemedy
{
    /// <summary>No automatic fix: the message says what to change.</summary>
    None,

    /// <summary>A migrated copy of the MMAR fixes it (Clara 4.0 configs to Clara 4.1, missing commands and keys).</summary>
    RepairMmar,
}

/// <summary>
/// One result of Test-Mmar: which rule, how serious, what and where (file relative to the MMAR root, 1-based line
/// and column when known). Findings are data, not errors.
/// </summary>
public sealed record MmarFinding(string RuleId, FindingSeverity Severity, string Message, string? File = null, int? Line = null, int? Column = null)
{
    /// <summary>The MMAR the finding is about (its path), so findings of several MMARs can be told apart.</summary>
    public string? Mmar { get; init; }

    /// <summary>The fix MdaiClara can make itself, if any; PowerShell shows it as the finding's Remedy.</summary>
    public FindingRemedy RemedyKind { get; init; }

    public override string ToString()
    {
        var where = File is null ? string.Empty : Line is null ? $"{File}: " : $"{File}:{Line}:{Column}: ";
        return $"{Severity} {RuleId}: {where}{Message}";
    }
}
