using System;
using System.IO;
using System.Management.Automation;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Networking;

namespace MdaiClara.Cmdlets.Commands;

/// <summary>
/// <para type="synopsis">Retrieves series from a PACS into folders (WADO-RS), resumably.</para>
/// <para type="description">Streams each series to disk, one &lt;SOPInstanceUID&gt;.dcm per instance in
/// &lt;Path&gt;/&lt;SeriesInstanceUID&gt;, in the transfer syntax the PACS stores (the files are the PACS's own, bit for bit).
/// Each file is written under a hidden temporary name and renamed when complete, so a folder never holds a partial
/// instance. Instances already in the folder (recognised by the SOP Instance UID in their header, whatever their file
/// name) are kept and not fetched again: running the command again after an interruption fetches only the rest. A
/// connection lost mid-transfer is resumed that way up to the connection's retry count. Progress counts instances;
/// Ctrl+C stops between instances. Series from Find-DicomSeries can be piped in (their connection and UIDs bind).
/// Each series gives an MdaiClara.DicomSeriesReceipt whose Path is its folder, so it pipes straight into
/// Invoke-ClaraInference.</para>
/// <example><code>Find-DicomSeries -Connection pacs -Modality CT | Receive-DicomSeries -Path ./in</code>
/// <para>Retrieves every CT series into ./in/&lt;SeriesInstanceUID&gt;; run again, it fetches nothing that is already there.</para></example>
/// <example><code>Find-DicomSeries -Connection pacs -PatientID PHANTOM0001 | Receive-DicomSeries -Path ./in | Invoke-ClaraInference -Mmar ./mmar -OutputPath ./out</code>
/// <para>Retrieves a patient's series and runs the model on each, writing the label maps into ./out.</para></example>
/// </summary>
[Cmdlet(VerbsCommunications.Receive, "DicomSeries", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(DicomSeriesReceipt))]
public sealed class ReceiveDicomSeriesCommand : DicomCmdlet
{
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

    protected override void BeginProcessing() => _folder = ResolveOutputPath(Path, nameof(Path));

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
            var receipt = RunOnWorker(token => connection.ReceiveSeries(study, series, target, progress, Log, token, expected), () => progress.WriteTo(this));
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
