using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Validation;

/// <summary>
/// An MMAR refused because its validation has errors: the message lists them, and <see cref="Findings"/> keeps them (with
/// their remedies) for callers that render more.
/// </summary>
public sealed class MmarFindingsException : MdaiClaraException
{
    public MmarFindingsException(string what, IReadOnlyList<MmarFinding> errors, string errorId, object? target)
        : base(Compose(what, errors), errorId, ErrorKind.InvalidData, target)
    {
        Findings = errors;
    }

    public IReadOnlyList<MmarFinding> Findings { get; }

    private static string Compose(string what, IReadOnlyList<MmarFinding> errors) =>
        $"{what}: its validation finds {(errors.Count == 1 ? "an error" : $"{errors.Count} errors")}: "
        + string.Join(" ", errors.Select(e => $"[{e.RuleId}{(e.File is null ? string.Empty : e.Line is null ? $" {e.File}" : $" {e.File}:{e.Line}:{e.Column}")}] {e.Message.TrimEnd()}"));
}
