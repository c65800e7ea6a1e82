using System;

namespace MdaiClara.Engine.Networking.Dimse.Scp;

/// <summary>
/// A series a standing receiver took in, reported when the association that carried it was released (the sender said
/// it was done): its folder, its UIDs, how many instances the folder holds now and how many this association brought,
/// who sent it and when. <see cref="ToString"/> is the folder, so it pipes into anything that takes a path.
/// </summary>
public sealed record DicomReceivedSeries(
    string Path,
    string StudyInstanceUid,
    string SeriesInstanceUid,
    int Instances,
    int Received,
    long BytesReceived,
    string CallingAE,
    string Receiver,
    DateTimeOffset ReceivedAt)
{
    public override string ToString() => Path;
}
