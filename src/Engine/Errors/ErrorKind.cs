namespace MdaiClara.Engine.Errors;

/// <summary>
/// What kind of failure an engine error is. The cmdlets map this onto PowerShell's ErrorCategory,
/// so the engine stays free of System.Management.Automation.
/// </summary>
public enum ErrorKind
{
    NotSpecified = 0,
    ObjectNotFound,
    InvalidData,
    InvalidArgument,
    InvalidOperation,
    SecurityError,
    NotInstalled,
    ResourceUnavailable,
    OperationStopped,
    WriteError,
}
