using System.IO;
using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom;

namespace MdaiClara.Engine.Networking.Dimse.Store;

/// <summary>
/// What C-STORE needs from one file, read from its header (pixel data stays on disk): identity, the transfer syntax
/// the file is in, where its data set starts, whether it can go as-is (its bytes are in the syntax it claims) and, if
/// not or if the peer wants another syntax, whether our writer can re-encode it.
/// </summary>
internal sealed class StoreInstance
{
    private StoreInstance(DicomFile file, string sopInstanceUid, string sopClassUid)
    {
        File = file;
        SopInstanceUid = sopInstanceUid;
        SopClassUid = sopClassUid;
        var ds = file.Dataset;
        StudyInstanceUid = ds.GetString(DicomTag.StudyInstanceUid)?.Trim('\0', ' ');
        SeriesInstanceUid = ds.GetString(DicomTag.SeriesInstanceUid)?.Trim('\0', ' ');
        var claimed = TransferSyntax.FromUid(file.TransferSyntax.Uid);
        // A file whose data set is not in the syntax it claims (read anyway, with a warning) cannot be sent as it is.
        AsIsSyntax = claimed == file.TransferSyntax && file.FileMeta.Count > 0 ? claimed.Uid : null;
        DatasetOffset = file.FileMeta.Count > 0 ? file.FileMeta.Max(e => e.ValueOffset + e.ValueLength) : file.HasPreamble ? 132 : 0;
        ReencodeProblem = DatasetReencoder.Problem(file);
    }

    public DicomFile File { get; }

    public string Path => File.Path;

    public string SopInstanceUid { get; }

    public string SopClassUid { get; }

    public string? StudyInstanceUid { get; }

    public string? SeriesInstanceUid { get; }

    /// <summary>The transfer syntax the file's bytes can be sent in unchanged, or null (no file meta, or a mislabelled encoding).</summary>
    public string? AsIsSyntax { get; }

    /// <summary>Where the data set starts in the file (after the preamble and file meta).</summary>
    public long DatasetOffset { get; }

    /// <summary>Why it cannot be re-encoded to Explicit/Implicit VR Little Endian, or null when it can.</summary>
    public string? ReencodeProblem { get; }

    public long Length => File.FileLength;

    /// <summary>The file read as a storable instance, or null with why not (not DICOM, no SOP Class or Instance UID).</summary>
    public static StoreInstance? Read(string path, out string? why)
    {
        try
        {
            var file = DicomFileReader.Read(path);
            var ds = file.Dataset;
            var uid = Clean(ds.GetString(DicomTag.SopInstanceUid)) ?? Clean(file.FileMeta.GetString(DicomTag.MediaStorageSopInstanceUid));
            var sopClass = Clean(ds.GetString(DicomTag.SopClassUid)) ?? Clean(file.FileMeta.GetString(DicomTag.MediaStorageSopClassUid));
            why = uid is null ? "it has no SOP Instance UID, so no PACS can store it"
                : sopClass is null ? "it has no SOP Class UID, so there is no storage service to send it to"
                : null;
            return why is null ? new StoreInstance(file, uid!, sopClass!) : null;
        }
        catch (MdaiClaraException ex)
        {
            why = ex.Message.TrimEnd('.');
            return null;
        }
        catch (IOException ex)
        {
            why = $"it cannot be read ({ex.Message.TrimEnd('.')})";
            return null;
        }
    }

    private static string? Clean(string? uid) => uid?.Trim('\0', ' ') is { Length: > 0 } u ? u : null;
}
