using MdaiClara.Engine.Diagnostics;

namespace MdaiClara.Engine.Mdai;

/// <summary>
/// One problem in what a model's <c>predict</c> returned, as MD.ai's model server would judge it
/// (see <see cref="MdaiOutputValidator"/>). Findings are data, not errors.
/// </summary>
/// <param name="RuleId">Stable rule name (<see cref="MdaiOutputRuleIds"/>).</param>
/// <param name="Location">Where in the returned value, JSON-path-like: <c>[3].data.mask[0][0]</c>; empty for the value itself.</param>
/// <param name="Message">What is wrong and how to fix it.</param>
public sealed record MdaiOutputFinding(string RuleId, string Location, string Message)
{
    /// <summary>Error: MD.ai's server rejects the output. Warning: MD.ai accepts it, but it is probably wrong.</summary>
    public FindingSeverity Severity { get; init; } = FindingSeverity.Error;

    /// <summary>
    /// For an Error, the exact text MD.ai's validator raises for this problem; the server answers HTTP 500 with
    /// <see cref="MdaiOutputValidator.ResponsePrefix"/> followed by it. Null for warnings.
    /// </summary>
    public string? MdaiMessage { get; init; }

    /// <summary>Where the output came from (a file path) when several are checked at once; null otherwise.</summary>
    public string? Source { get; init; }

    public override string ToString() =>
        Location.Length == 0 ? $"{Severity} {RuleId}: {Message}" : $"{Severity} {RuleId} at {Location}: {Message}";
}
