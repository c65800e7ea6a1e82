namespace MdaiClara.Engine.Networking;

/// <summary>How the server answered for one stored instance.</summary>
/// <param name="Path">The file sent.</param>
/// <param name="SopInstanceUid">The instance's SOP Instance UID (empty when the file could not be read).</param>
/// <param name="SopClassUid">Its SOP Class UID.</param>
/// <param name="StudyInstanceUid">The study it belongs to.</param>
/// <param name="SeriesInstanceUid">The series it belongs to.</param>
/// <param name="Status">Stored, stored with a warning, or failed.</param>
/// <param name="FailureReason">The DICOM status code the server gave (0xA700…), when it gave one.</param>
/// <param name="Reason">The status in words (what PS3.4 calls it), or why it was not sent.</param>
/// <param name="Connection">The name of the connection it was sent over.</param>
public sealed record DicomStoreResult(
    string Path,
    string SopInstanceUid,
    string? SopClassUid,
    string? StudyInstanceUid,
    string? SeriesInstanceUid,
    DicomStoreStatus Status,
    int? FailureReason,
    string? Reason,
    string Connection);

/// <summary>The outcome of storing one instance.</summary>
public enum DicomStoreStatus
{
    Stored,
    Warning,
    Failed,

    /// <summary>Not sent: the file is not a DICOM instance that can be stored (the reason says why).</summary>
    NotSent,
}
