using System;
using System.Management.Automation;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Networking.Dimse.Scp;

namespace MdaiClara.Cmdlets.Commands;

/// <summary>
/// <para type="synopsis">Starts a DICOM storage receiver (C-STORE SCP) that drops series into a folder and emits them as they complete.</para>
/// <para type="description">Listens on -Port for DICOM associations that call -AETitle (MDAICLARA by default; any other
/// called AE title is rejected with "called AE title not recognized"). It answers C-ECHO, and writes every instance a
/// modality or PACS sends with C-STORE to &lt;Path&gt;/&lt;SeriesInstanceUID&gt;/&lt;SOPInstanceUID&gt;.dcm, as the bytes it was sent
/// (a Part 10 file naming the transfer syntax it came in), under a hidden temporary name first, so a folder never holds
/// a partial instance. A series counts as complete when the association that carried it is released by the sender:
/// then an MdaiClara.DicomReceivedSeries is emitted, whose Path is the series folder, so it pipes straight into
/// Invoke-ClaraInference. A series sent over several associations is emitted once per association (Instances counts
/// what its folder holds by then); an association that is aborted or lost emits nothing (its whole instances stay on
/// disk, and a warning names them). The receiver runs in the background: without -NoWait the command stays in the
/// pipeline, emitting series, until Ctrl+C, until -Count series have come, or until Stop-DicomReceiver stops it;
/// with -NoWait it returns the receiver at once and keeps storing until Stop-DicomReceiver (Get-DicomReceiver shows
/// its counts). Peers must be given this computer's address, the port and the AE title, and the firewall must let them in.</para>
/// <example><code>$null = New-Item -ItemType Directory ./incoming -Force
/// $sender = Start-ThreadJob { Start-Sleep -Seconds 2; storescu -aec MDAICLARA 127.0.0.1 11112 +sd $using:PWD/studies/ct1 }
/// Start-DicomReceiver -Port 11112 -Path ./incoming -Count 1 | Invoke-ClaraInference -Mmar ./mmar -OutputPath ./out
/// Receive-Job $sender -Wait -AutoRemoveJob</code>
/// <para>Waits for one series on port 11112 (here DCMTK's storescu sends the CT in ./studies/ct1, as a modality would) and runs the model on it as soon as it is complete.</para></example>
/// <example><code>Start-DicomReceiver -Port 11112 -Path ./incoming -Name modality-in -NoWait
/// Get-DicomReceiver
/// Stop-DicomReceiver modality-in</code>
/// <para>Starts a receiver in the background, shows it, and stops it.</para></example>
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "DicomReceiver", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = WaitSet)]
[OutputType(typeof(DicomReceivedSeries), ParameterSetName = [WaitSet])]
[OutputType(typeof(DimseReceiver), ParameterSetName = [NoWaitSet])]
public sealed class StartDicomReceiverCommand : ClaraCmdlet
{
    private const string WaitSet = "Wait";
    private const string NoWaitSet = "NoWait";

    /// <summary><para type="description">The TCP port to listen on (104 and 11112 are DICOM's usual ones; below 1024 needs administrator rights).</para></summary>
    [Parameter(Mandatory = true)]
    [ValidateRange(1, 65535)]
    public int Port { get; set; }

    /// <summary><para type="description">The folder series are dropped into (created when missing), one subfolder per Series Instance UID.</para></summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = null!;

    /// <summary><para type="description">The AE title senders must call (1 to 16 characters); MDAICLARA by default.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string AETitle { get; set; } = DimseAcceptorOptions.DefaultAeTitle;

    /// <summary><para type="description">The receiver's name in this session, for Get-DicomReceiver and Stop-DicomReceiver; 'receiver-&lt;Port&gt;' by default.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary><para type="description">Seconds a sender may stay silent (before its association request, or inside an association) before it is dropped; 30 by default.</para></summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = 30;

    /// <summary><para type="description">Associations served at once; one more is rejected as "local limit exceeded" (the sender retries later). 8 by default.</para></summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int MaxAssociations { get; set; } = DimseAcceptorOptions.DefaultMaxAssociations;

    /// <summary><para type="description">Stop after this many series have been emitted.</para></summary>
    [Parameter(ParameterSetName = WaitSet)]
    [ValidateRange(1, int.MaxValue)]
    public int? Count { get; set; }

    /// <summary><para type="description">Return the receiver at once and leave it storing in the background until Stop-DicomReceiver.</para></summary>
    [Parameter(Mandatory = true, ParameterSetName = NoWaitSet)]
    public SwitchParameter NoWait { get; set; }

    protected override void EndProcessing()
    {
        var folder = ResolveOutputPath(Path, nameof(Path));
        var name = Name ?? $"receiver-{Port}";
        if (DicomReceivers.Find(name) is { } running)
        {
            ThrowEngineError(new MdaiClaraException($"A DICOM receiver named '{name}' is running already ({running}). Stop it with Stop-DicomReceiver, or give this one another -Name.",
                ErrorIds.DimseListenFailed, ErrorKind.InvalidOperation, name));
        }

        if (!ShouldProcess($"port {Port} as {AETitle}", $"Start a DICOM receiver writing into '{folder}'"))
        {
            return;
        }

        DimseReceiver receiver;
        try
        {
            var listen = new DimseAcceptorOptions(AETitle, Port) { Timeout = TimeSpan.FromSeconds(TimeoutSec), MaxAssociations = MaxAssociations };
            receiver = DimseReceiver.Start(new DimseReceiverOptions(name, listen, folder), NoWait ? null : Log);
        }
        catch (MdaiClaraException ex)
        {
            ThrowEngineError(ex);
            return;
        }

        if (!DicomReceivers.TryRegister(receiver))
        {
            receiver.Dispose();
            ThrowEngineError(new MdaiClaraException($"A DICOM receiver named '{name}' was started meanwhile. Give this one another -Name.",
                ErrorIds.DimseListenFailed, ErrorKind.InvalidOperation, name));
        }

        if (NoWait)
        {
            WriteObject(TypeNames.Tag(receiver, TypeNames.DicomReceiver));
            return;
        }

        WriteVerbose($"Receiving as {AETitle} on port {receiver.Port} into {folder}; Ctrl+C stops.");
        try
        {
            var emitted = 0;
            while (true)
            {
                var series = receiver.TakeSeries(TimeSpan.FromMilliseconds(200), StopToken);
                Log.Drain(this);
                if (series is not null)
                {
                    WriteObject(TypeNames.Tag(series, TypeNames.DicomReceivedSeries));
                    if (Count is { } count && ++emitted >= count)
                    {
                        break;
                    }
                }
                else if (!receiver.IsRunning)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            // Ctrl+C: the receiver stops below.
        }
        finally
        {
            DicomReceivers.Stop(receiver);
        }
    }
}
