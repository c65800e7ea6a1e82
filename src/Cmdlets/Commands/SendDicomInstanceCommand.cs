using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Networking;

namespace MdaiClara.Cmdlets.Commands;

/// <summary>
/// <para type="synopsis">Stores DICOM instances on a PACS (DICOMweb STOW-RS or DIMSE C-STORE).</para>
/// <para type="description">Sends DICOM files (or every file in the folders given) to the PACS, each streamed from
/// disk: over DICOMweb in STOW-RS batches, over DIMSE with C-STORE on one association (one presentation context per SOP
/// class and transfer syntax; a file whose syntax the PACS refused goes re-encoded to Explicit or Implicit VR Little
/// Endian where that is possible). Files, folders, Get-ChildItem output, Receive-DicomSeries receipts and anything else with a Path
/// (such as a DICOM SEG just written) can be piped in. Each stored instance gives an MdaiClara.DicomStoreResult;
/// an instance the PACS stored with a warning also writes a warning; one it refused is a DicomWebStoreFailed (DICOMweb)
/// or DimseStoreFailed (DIMSE) error naming the file, the SOP Instance UID and the PACS's reason (e.g. A700H out of
/// resources, or a presentation context it refused), and the others go on.
/// A file that is not a DICOM instance is not sent (DicomStoreInputInvalid).</para>
/// <example><code>Send-DicomInstance -Connection pacs -Path ./studies/ct1/*.dcm</code>
/// <para>Stores the phantom series' files and lists what the PACS stored.</para></example>
/// <example><code>Get-ChildItem ./studies/ct1 | Send-DicomInstance -Connection pacs | Group-Object Status | Select-Object Name, Count</code>
/// <para>Stores the files Get-ChildItem lists and counts the outcomes.</para></example>
/// <example><code>Send-DicomInstance -Connection pacs-dimse -Path ./studies/ct1 | Select-Object SopInstanceUid, Status -First 3</code>
/// <para>Stores the same series over DIMSE (C-STORE) through a connection made with New-DicomConnection.</para></example>
/// </summary>
[Cmdlet(VerbsCommunications.Send, "DicomInstance", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DicomStoreResult))]
public sealed class SendDicomInstanceCommand : DicomCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    /// <summary><para type="description">The PACS: a name from New-DicomWebConnection or New-DicomConnection -Name, or the connection object.</para></summary>
    [Parameter(Mandatory = true)]
    [DicomConnection]
    [ArgumentCompleter(typeof(DicomConnectionCompleter))]
    public IDicomConnection Connection { get; set; } = null!;

    /// <summary><para type="description">DICOM files or folders (every file inside, recursively). Wildcards are expanded. Binds the Path of piped objects (receipts, SEG results).</para></summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = null!;

    /// <summary><para type="description">Files or folders taken as written. Binds PSPath and FullName from Get-ChildItem.</para></summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = null!;

    protected override void ProcessRecord()
    {
        var literal = ParameterSetName == LiteralPathSet;
        var files = new List<string>();
        foreach (var path in ResolvePaths(literal ? LiteralPath : Path, literal, ErrorIds.DicomStoreInputInvalid))
        {
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => !System.IO.Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal));
            }
            else
            {
                files.Add(path);
            }
        }

        if (files.Count == 0 || !ShouldProcess(Connection.ToString(), $"Store {files.Count} DICOM file(s)"))
        {
            return;
        }

        var progress = new TransferProgress(4, $"Send-DicomInstance to {Connection.Name}");
        var connection = Connection;
        try
        {
            var results = RunOnWorker(token => connection.Store(files, progress, Log, token), () => progress.WriteTo(this));
            progress.Complete(this);
            foreach (var result in results)
            {
                Emit(result);
            }
        }
        catch (MdaiClaraException ex)
        {
            progress.Complete(this);
            ReportNetworkError(ex);
        }
        catch (Exception ex) when (IsUnexpected(ex))
        {
            progress.Complete(this);
            WriteUnexpectedError(ex, Connection.Name);
        }
    }

    private void Emit(DicomStoreResult result)
    {
        switch (result.Status)
        {
            case DicomStoreStatus.NotSent:
                WriteEngineError(new MdaiClaraException($"{result.Path} was not sent to '{result.Connection}': {result.Reason}.",
                    ErrorIds.DicomStoreInputInvalid, ErrorKind.InvalidData, result.Path));
                return;
            case DicomStoreStatus.Failed:
                // The result is the error's target, so a runbook can collect what failed from $Error or -ErrorVariable.
                var failed = new MdaiClaraException(
                    $"'{result.Connection}' did not store {result.Path} (SOP Instance UID {result.SopInstanceUid}): {result.Reason}.",
                    Connection.Transport == DicomTransport.Dimse ? ErrorIds.DimseStoreFailed : ErrorIds.DicomWebStoreFailed, ErrorKind.WriteError, result);
                WriteError(ToErrorRecord(failed));
                return;
            case DicomStoreStatus.Warning:
                WriteWarning($"'{result.Connection}' stored {result.Path} (SOP Instance UID {result.SopInstanceUid}) {result.Reason}.");
                break;
        }

        WriteObject(TypeNames.Tag(result, TypeNames.DicomStoreResult));
    }
}
