using MdaiClara.Engine.Errors;

namespace MdaiClara.Cmdlets;

/// <summary>
/// The base of the PACS commands: a failure that concerns the whole connection (credentials or AE title refused, server not
/// reachable or silent) stops the command, since every further input would fail the same way; anything else concerns one input
/// and the pipeline goes on.
/// </summary>
public abstract class DicomCmdlet : ClaraCmdlet
{
    protected void ReportNetworkError(MdaiClaraException ex)
    {
        if (ex.Kind == ErrorKind.SecurityError || ex.ErrorId is ErrorIds.DicomWebUnreachable or ErrorIds.DicomConnectionInvalid or ErrorIds.DicomQueryInvalid
            or ErrorIds.DimseUnreachable or ErrorIds.DimseTimeout or ErrorIds.DimseNoPresentationContext)
        {
            ThrowEngineError(ex);
        }

        WriteEngineError(ex);
    }
}
