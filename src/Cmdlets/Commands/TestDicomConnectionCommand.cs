using System.Management.Automation;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Networking;
using MdaiClara.Engine.Networking.Dimse;

namespace MdaiClara.Cmdlets.Commands;

/// <summary>
/// <para type="synopsis">Checks a DIMSE connection with a C-ECHO (Verification): $true when the PACS answers, else $false.</para>
/// <para type="description">Opens an association to the PACS proposing the Verification SOP class, sends one
/// C-ECHO and releases. Returns $true or $false; with -Detailed, an object with the association result (accepted,
/// or rejected/aborted with by whom and why, from the A-ASSOCIATE-RJ or A-ABORT), the presentation contexts the
/// PACS accepted, its implementation identity and maximum PDU length, the C-ECHO status and round-trip time, and the
/// error when it failed. A failure is not an error record: saying whether the PACS answers is what the command is
/// for; the reason is written to the verbose stream.</para>
/// <example><code>Test-DicomConnection -Connection pacs-dimse</code>
/// <para>$true when the PACS defined as 'pacs-dimse' answers a C-ECHO.</para></example>
/// <example><code>Test-DicomConnection -Connection pacs-dimse -Detailed | Format-List</code>
/// <para>Shows the association result, the accepted presentation contexts and the round-trip time.</para></example>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "DicomConnection")]
[OutputType(typeof(bool), typeof(DimseEchoResult))]
public sealed class TestDicomConnectionCommand : ClaraCmdlet
{
    /// <summary><para type="description">The PACS: a name from New-DicomConnection -Name, or the connection object.</para></summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [DicomConnection]
    [ArgumentCompleter(typeof(DicomConnectionCompleter))]
    public IDicomConnection Connection { get; set; } = null!;

    /// <summary><para type="description">Return the full verification result instead of $true/$false.</para></summary>
    [Parameter]
    public SwitchParameter Detailed { get; set; }

    protected override void ProcessRecord()
    {
        if (Connection is not DimseConnection dimse)
        {
            ThrowEngineError(new MdaiClaraException(
                $"'{Connection.Name}' is a {Connection.Transport} connection; Test-DicomConnection checks DIMSE connections (C-ECHO). Define one with New-DicomConnection.",
                ErrorIds.DimseConnectionInvalid, ErrorKind.InvalidArgument, Connection.Name));
            return;
        }

        var result = RunOnWorker(dimse.Echo);
        if (!result.Success)
        {
            WriteVerbose($"{dimse.Endpoint}: {result.AssociationResult}. {result.Message}");
        }

        WriteObject(Detailed ? TypeNames.Tag(result, TypeNames.DimseEchoResult) : result.Success);
    }
}
