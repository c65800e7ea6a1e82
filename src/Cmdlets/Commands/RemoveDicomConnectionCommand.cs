using System.Management.Automation;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Networking;

namespace MdaiClara.Cmdlets.Commands;

/// <summary>
/// <para type="synopsis">Closes PACS connections and forgets them in this session.</para>
/// <para type="description">Removes connections by name (or piped from Get-DicomConnection) and closes them: their
/// credentials are disposed and no command can use them any more. Removing the module closes every connection.</para>
/// <example><code>Remove-DicomConnection -Name pacs
/// Get-DicomConnection</code>
/// <para>Closes the 'pacs' connection; the list no longer shows it.</para></example>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "DicomConnection", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(void))]
public sealed class RemoveDicomConnectionCommand : ClaraCmdlet
{
    /// <summary><para type="description">The names of the connections to close.</para></summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(DicomConnectionCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = null!;

    protected override void ProcessRecord()
    {
        foreach (var name in Name)
        {
            if (DicomConnections.Find(name) is not { } connection)
            {
                WriteError(new ErrorRecord(new ItemNotFoundException($"There is no PACS connection named '{name}' in this session."),
                    ErrorIds.DicomConnectionNotFound, ErrorCategory.ObjectNotFound, name));
                continue;
            }

            if (ShouldProcess(connection.ToString(), "Close the PACS connection"))
            {
                DicomConnections.Remove(connection.Name);
            }
        }
    }
}
