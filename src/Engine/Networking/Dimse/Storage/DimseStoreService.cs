using System;
using System.IO;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Imaging.Dicom.Writing;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Networking.Dimse.Messages;

namespace MdaiClara.Engine.Networking.Dimse.Storage;

/// <summary>
/// Performs C-STORE (PS3.4 B.2.2) for one peer, on whatever association carries it (an association our storage SCP
/// accepted, or our own C-GET association): the data set is streamed into a temporary Part 10 file (File Meta
/// Information naming the transfer syntax of the presentation context it came on, the bytes as sent), its header is
/// read back, and it is renamed to &lt;SOPInstanceUID&gt;.dcm in its folder. Every outcome is a C-STORE-RSP status:
/// success, or a named failure (A700 cannot write, A900 the data set does not match the command, C000 not a readable
/// data set) with an error comment; nothing a peer sends can leave a partial file behind.
/// </summary>
internal sealed class DimseStoreService
{
    public const ushort OutOfResources = 0xA700;
    public const ushort DataSetDoesNotMatch = 0xA900;
    public const ushort CannotUnderstand = 0xC000;

    private readonly DimseStoreTarget _target;
    private readonly string _callingAe;
    private readonly IEngineLog? _log;

    public DimseStoreService(DimseStoreTarget target, string callingAe, IEngineLog? log)
    {
        _target = target;
        _callingAe = callingAe;
        _log = log;
    }

    /// <summary>Opens the temporary file for a C-STORE-RQ's data set, meta header written; never throws (a failure is carried to <see cref="Complete"/>).</summary>
    public IncomingInstance Begin(DimseCommand request, string transferSyntaxUid)
    {
        FileStream? file = null;
        try
        {
            file = _target.Staging.CreateTemporary();
            DicomFileMetaWriter.Write(file, request.GetString(DimseCommandTags.AffectedSopClassUid) ?? "",
                request.GetString(DimseCommandTags.AffectedSopInstanceUid) ?? "", transferSyntaxUid, _callingAe);
            return new IncomingInstance(file);
        }
        catch (Exception ex) when (ex is MdaiClaraException or IOException or UnauthorizedAccessException)
        {
            if (file is not null)
            {
                file.Dispose();
                ReceiveFolder.Abandon(file.Name);
            }

            return new IncomingInstance(null, ex);
        }
    }

    /// <summary>Finishes a C-STORE whose data set has arrived: the response to send, and the instance when it was stored.</summary>
    public (DimseCommand Response, DimseStoredInstance? Stored) Complete(DimseCommand request, IncomingInstance incoming)
    {
        incoming.Close(flush: true);
        var temporary = incoming.TemporaryPath;
        var claimed = request.GetString(DimseCommandTags.AffectedSopInstanceUid) ?? "";
        if (incoming.Failure is { } failure || temporary is null)
        {
            Abandon(temporary);
            return Fail(request, OutOfResources, $"Cannot write the instance {claimed} into {_target.Staging.Folder}: {incoming.Failure?.Message.TrimEnd('.')}.", "Out of resources: cannot write");
        }

        DicomFile file;
        try
        {
            file = DicomFileReader.Read(temporary);
        }
        catch (MdaiClaraException ex)
        {
            Abandon(temporary);
            return Fail(request, CannotUnderstand, $"The instance {claimed} from {_callingAe} is not a readable data set: {ex.Message}", "Cannot understand: not a readable data set");
        }

        var ds = file.Dataset;
        var sopInstance = ds.GetString(DicomTag.SopInstanceUid)?.Trim('\0', ' ') ?? "";
        var series = ds.GetString(DicomTag.SeriesInstanceUid)?.Trim('\0', ' ') ?? "";
        if (sopInstance != claimed)
        {
            Abandon(temporary);
            return Fail(request, DataSetDoesNotMatch, $"The data set from {_callingAe} has SOP Instance UID '{sopInstance}' but its C-STORE request names '{claimed}'.", "SOP Instance UID does not match the request");
        }

        if (series.Length == 0)
        {
            Abandon(temporary);
            return Fail(request, DataSetDoesNotMatch, $"The instance {claimed} from {_callingAe} has no Series Instance UID.", "No Series Instance UID");
        }

        try
        {
            lock (_target.Gate)
            {
                var folder = _target.FolderFor(series);
                var (uid, added) = folder.Commit(temporary, sopInstance, $"The DICOM peer {_callingAe}");
                var path = Path.Combine(folder.Folder, uid + ".dcm");
                var stored = new DimseStoredInstance(request.GetString(DimseCommandTags.AffectedSopClassUid) ?? "", uid,
                    ds.GetString(DicomTag.StudyInstanceUid)?.Trim('\0', ' ') ?? "", series, path, incoming.BytesReceived, added, _callingAe);
                return (DimseResponses.StoreResponse(request, DimseStatus.Success, null), stored);
            }
        }
        catch (MdaiClaraException ex)
        {
            Abandon(temporary);
            return Fail(request, ex.ErrorId == ErrorIds.DicomReceiveWriteFailed ? OutOfResources : CannotUnderstand, ex.Message, "Cannot store the instance");
        }
    }

    /// <summary>Removes the temporary file of a C-STORE that will not complete (association aborted or lost mid-transfer).</summary>
    public static void Abandon(IncomingInstance? incoming)
    {
        if (incoming is null)
        {
            return;
        }

        incoming.Close(flush: false);
        Abandon(incoming.TemporaryPath);
    }

    private static void Abandon(string? temporary)
    {
        if (temporary is not null)
        {
            ReceiveFolder.Abandon(temporary);
        }
    }

    private (DimseCommand, DimseStoredInstance?) Fail(DimseCommand request, ushort status, string logMessage, string comment)
    {
        _log.Warning($"C-STORE from {_callingAe} refused with {DimseStatus.Describe(status)}: {logMessage}");
        return (DimseResponses.StoreResponse(request, status, comment), null);
    }
}
