using System.Management.Automation;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Networking.Dimse.Scp;

namespace MdaiClara.Cmdlets.Commands;

/// <summary>
/// <para type="synopsis">Lists the DICOM receivers running in this session, with what they have received.</para>
/// <para type="description">Shows each receiver Start-DicomReceiver started: its name, AE title, port and folder, the
/// associations, series and instances received so far, instances refused, the last series, and its latest warnings
/// (rejected associations, refused instances, transfers cut off). -Name picks some by name (wildcards).</para>
/// <example><code>Start-DicomReceiver -Port 11112 -Path ./incoming -Name modality-in -NoWait | Out-Null
/// Get-DicomReceiver modality-in | Format-List
/// Stop-DicomReceiver modality-in</code>
/// <para>Shows a running receiver in full.</para></example>
/// </summary>
[Cmdlet(VerbsCommon.Get, "DicomReceiver")]
[OutputType(typeof(DimseReceiver))]
public sealed class GetDicomReceiverCommand : ClaraCmdlet
{
    /// <summary><para type="description">Names to show (wildcards); all when left out.</para></summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    protected override void EndProcessing()
    {
        var patterns = Name is null ? null : System.Array.ConvertAll(Name, n => new WildcardPattern(n, WildcardOptions.IgnoreCase));
        foreach (var name in Name ?? [])
        {
            if (!WildcardPattern.ContainsWildcardCharacters(name) && DicomReceivers.Find(name) is null)
            {
                WriteError(new ErrorRecord(new ItemNotFoundException($"There is no DICOM receiver named '{name}' running in this session."),
                    ErrorIds.DimseReceiverNotFound, ErrorCategory.ObjectNotFound, name));
            }
        }

        foreach (var receiver in DicomReceivers.All())
        {
            if (patterns is null || System.Array.Exists(patterns, p => p.IsMatch(receiver.Name)))
            {
                WriteObject(TypeNames.Tag(receiver, TypeNames.DicomReceiver));
            }
        }
    }
}
