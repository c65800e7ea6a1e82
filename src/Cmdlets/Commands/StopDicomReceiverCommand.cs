using System;
using System.Management.Automation;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Cmdlets.Commands;

/// <summary>
/// <para type="synopsis">Stops DICOM receivers started with Start-DicomReceiver.</para>
/// <para type="description">Closes the receiver's port at once; associations in progress get a few seconds to finish,
/// then are closed (an instance cut off that way leaves no file). A Start-DicomReceiver waiting in a pipeline for that
/// receiver ends, after emitting the series completed before. Removing the module stops every receiver.</para>
/// <example><code>Start-DicomReceiver -Port 11112 -Path ./incoming -Name modality-in -NoWait | Out-Null
/// Stop-DicomReceiver -Name modality-in
/// Get-DicomReceiver</code>
/// <para>Stops the 'modality-in' receiver; the list no longer shows it.</para></example>
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "DicomReceiver", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(void))]
public sealed class StopDicomReceiverCommand : ClaraCmdlet
{
    /// <summary><para type="description">The names of the receivers to stop (bound from piped receivers).</para></summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = null!;

    protected override void ProcessRecord()
    {
        foreach (var name in Name)
        {
            if (DicomReceivers.Find(name) is not { } receiver)
            {
                WriteError(new ErrorRecord(new ItemNotFoundException($"There is no DICOM receiver named '{name}' running in this session."),
                    ErrorIds.DimseReceiverNotFound, ErrorCategory.ObjectNotFound, name));
                continue;
            }

            if (ShouldProcess(receiver.ToString(), "Stop the DICOM receiver"))
            {
                DicomReceivers.Stop(receiver);
            }
        }
    }
}
