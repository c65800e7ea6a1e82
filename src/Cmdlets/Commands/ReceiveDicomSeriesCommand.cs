using System;
using System.IO;
using System.Management.Automation;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Networking;
using MdaiClara.Engine.Networking.Dimse;
using MdaiClara.Engine.Networking.Dimse.Retrieve;

namespace MdaiClara.Cmdlets.Commands;

/// <summary>
/// <para type="synopsis">Retrieves series from a PACS into folders (WADO-RS, or DIMSE C-GET / C-MOVE), resumably.</para>
/// <para type="description">Streams each series to disk, one &lt;SOPInstanceUID&gt;.dcm per instance in
/// &lt;Path&gt;/&lt;SeriesInstanceUID&gt;, in the transfer syntax the PACS stores (the files are the PACS's own, bit for bit).
/// Each file is written under a hidden temporary name and renamed when complete, so a folder never holds a partial
/// instance. Instances already in the folder (recognised by the SOP Instance UID in their header, whatever their file
/// name) are kept and not fetched again: running the command again after an interruption fetches only the rest. A
/// connection lost mid-transfer is resumed that way up to the connection's retry count. Progress counts instances;
/// Ctrl+C stops between instances. Series from Find-DicomSeries can be piped in (their connection and UIDs bind).
/// Each series gives an MdaiClara.DicomSeriesReceipt whose Path is its folder, so it pipes straight into
/// Invoke-ClaraInference. Over a DIMSE connection (New-DicomConnection) the series comes by C-GET on the command's own
/// association; with -MoveDestination it comes by C-MOVE to a listener the command opens on -ListenPort for its
/// duration (the PACS must know that AE title with this computer's address and port). Over DIMSE every instance is
/// sent again on a second run (C-GET/C-MOVE cannot skip), and those already in the folder are dropped as they arrive.</para>
/// <example><code>Find-DicomSeries -Connection pacs -Modality CT | Receive-DicomSeries -Path ./in</code>
/// <para>Retrieves every CT series into ./in/&lt;SeriesInstanceUID&gt;; run again, it fetches nothing that is already there.</para></example>
/// <example><code>Find-DicomSeries -Connection pacs -PatientID PHANTOM0001 | Receive-DicomSeries -Path ./in | Invoke-ClaraInference -Mmar ./mmar -OutputPath ./out</code>
/// <para>Retrieves a patient's series and runs the model on each, writing the label maps into ./out.</para></example>
/// <example><code>Find-DicomSeries -Connection pacs-dimse -Modality CT | Receive-DicomSeries -Path ./in -MoveDestination MDAICLARA -ListenPort 11112</code>
/// <para>Over DIMSE, retrieves every CT series by C-MOVE: the PACS sends them to the AE title MDAICLARA, which it knows as this computer on port 11112.</para></example>
/// </summary>
[Cmdlet(VerbsCommunications.Receive, "DicomSeries", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(DicomSeriesReceipt))]
public sealed class ReceiveDicomSeriesCommand : DicomCmdlet
{
    private const int DefaultListenPort = 11112;
    private string _folder = null!;

    /// <summary><para type="description">The PACS: a name from New-DicomWebConnection -Name, or the connection object (bound from piped series).</para></summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [DicomConnection]
    [ArgumentCompleter(typeof(DicomConnectionCompleter))]
    public IDicomConnection Connection { get; set; } = null!;

    /// <summary><para type="description">The study the series belongs to (bound from piped series).</para></summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string StudyInstanceUID { get; set; } = null!;

    /// <summary><para type="description">The series to retrieve (bound from piped series).</para></summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string SeriesInstanceUID { get; set; } = null!;

    /// <summary><para type="description">How many instances the series has, when a search said (bound from piped series); progress shows a percentage with it.</para></summary>
    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
    public int? NumberOfInstances { get; set; }

    /// <summary><para type="description">The folder to retrieve into (created when missing); each series goes into a subfolder named by its Series Instance UID.</para></summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = null!;

    /// <summary><para type="description">Over DIMSE, retrieve by C-MOVE to this AE title instead of C-GET: MdaiClara listens on -ListenPort for the duration of the command and accepts only associations that call this AE title. The PACS must know the AE title with this computer's address and the port (its list of DICOM modalities or move destinations).</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MoveDestination { get; set; }

    /// <summary><para type="description">The TCP port the C-MOVE listener opens (with -MoveDestination; 11112 by default). The firewall must let the PACS reach it.</para></summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int? ListenPort { get; set; }

    protected override void BeginProcessing()
    {
        if (ListenPort is not null && MoveDestination is null)
        {
            ThrowEngineError(new MdaiClaraException("-ListenPort is for a C-MOVE retrieval: give -MoveDestination (the AE title the PACS sends to) with it.",
                ErrorIds.DimseConnectionInvalid, ErrorKind.InvalidArgument, ListenPort));
        }

        _folder = ResolveOutputPath(Path, nameof(Path));
    }

    protected override void ProcessRecord()
    {
        var series = SeriesInstanceUID.Trim();
        var target = System.IO.Path.Combine(_folder, SafeName(series));
        if (!ShouldProcess($"series {series} on {Connection.Name}", $"Retrieve into '{target}'"))
        {
            return;
        }

        var progress = new TransferProgress(3, $"Receive-DicomSeries {series}");
        var connection = Connection;
        var study = StudyInstanceUID;
        var expected = NumberOfInstances;
        try
        {
            var move = Move(connection);
            var receipt = RunOnWorker(token => move is null
                ? connection.ReceiveSeries(study, series, target, progress, Log, token, expected)
                : ((DimseConnection)connection).ReceiveSeries(study, series, target, move, progress, Log, token, expected), () => progress.WriteTo(this));
            progress.Complete(this);
            if (receipt.Skipped > 0)
            {
                WriteVerbose($"{receipt.Skipped} of {receipt.Instances} instance(s) of series {series} were already in {target}.");
            }

            WriteObject(TypeNames.Tag(receipt, TypeNames.DicomSeriesReceipt));
        }
        catch (MdaiClaraException ex)
        {
            progress.Complete(this);
            ReportNetworkError(ex);
        }
        catch (Exception ex) when (IsUnexpected(ex))
        {
            progress.Complete(this);
            WriteUnexpectedError(ex, series);
        }
    }

    /// <summary>The C-MOVE options when -MoveDestination asks for one; only a DIMSE connection can do it.</summary>
    private DimseMoveOptions? Move(IDicomConnection connection)
    {
        if (MoveDestination is null)
        {
            return null;
        }

        if (connection is not DimseConnection)
        {
            throw new MdaiClaraException($"-MoveDestination asks for a C-MOVE, which only a DIMSE connection does; '{connection.Name}' is {connection.Transport}. Use a connection from New-DicomConnection, or leave -MoveDestination out.",
                ErrorIds.DimseConnectionInvalid, ErrorKind.InvalidArgument, connection.Name);
        }

        return new DimseMoveOptions(MoveDestination, ListenPort ?? DefaultListenPort);
    }

    /// <summary>A UID as a folder name; anything that is not a UID character (from a misbehaving server) becomes '_'.</summary>
    private static string SafeName(string uid)
    {
        var chars = uid.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] is not (>= '0' and <= '9' or '.'))
            {
                chars[i] = '_';
            }
        }

        var name = new string(chars);
        return name is "." or ".." || name.Length == 0 ? "_" : name;
    }
}
