namespace MdaiClara.Engine.Networking.Dimse.Storage;

/// <summary>
/// One instance a C-STORE brought in, as it now lies on disk: its SOP class and instance, study and series, the file,
/// the bytes received, whether it was new (false when the folder held that instance already and the copy was dropped)
/// and the AE title of the peer that sent it.
/// </summary>
public sealed record DimseStoredInstance(
    string SopClassUid,
    string SopInstanceUid,
    string StudyInstanceUid,
    string SeriesInstanceUid,
    string Path,
    long Bytes,
    bool Added,
    string CallingAE);
