namespace MdaiClara.Engine.Diagnostics;

/// <summary>
/// How serious a finding of any rule set is (Test-Mmar's rules, the MD.ai output checks, a bundle's rules): an error
/// fails the check, a warning and information do not.
/// </summary>
public enum FindingSeverity
{
    Information,
    Warning,
    Error,
}
