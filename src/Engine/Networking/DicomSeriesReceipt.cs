using System;

namespace MdaiClara.Engine.Networking;

/// <summary>What a retrieval left in its folder: every instance of the series, fetched now or found there already.</summary>
public sealed record DicomSeriesReceipt(
    string Path,
    string StudyInstanceUid,
    string SeriesInstanceUid,
    int Instances,
    int Received,
    int Skipped,
    long BytesReceived,
    TimeSpan Elapsed,
    string Connection)
{
    public override string ToString() => Path;
}
