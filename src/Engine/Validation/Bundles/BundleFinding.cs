using MdaiClara.Engine.Diagnostics;

namespace MdaiClara.Engine.Validation.Bundles;

/// <summary>
/// One result of Test-MonaiBundle: which rule, how serious, what and where (file relative to the bundle root, 1-based
/// line and column when known). Findings are data, not errors.
/// </summary>
public sealed record BundleFinding(string RuleId, FindingSeverity Severity, string Message, string? File = null, int? Line = null, int? Column = null)
{
    /// <summary>The bundle the finding is about (its path).</summary>
    public string? Bundle { get; init; }

    /// <summary>The command that fixes it, when one does (MONAI's ckpt_export for a missing TorchScript).</summary>
    public string? Remedy { get; init; }

    public override string ToString()
    {
        var where = File is null ? string.Empty : Line is null ? $"{File}: " : $"{File}:{Line}:{Column}: ";
        return $"{Severity} {RuleId}: {where}{Message}";
    }
}
