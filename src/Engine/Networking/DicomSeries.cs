using System;

namespace MdaiClara.Engine.Networking;

/// <summary>One series as a PACS describes it (a QIDO-RS or C-FIND result), with the connection it came from.</summary>
public sealed record DicomSeries(
    IDicomConnection Connection,
    string StudyInstanceUid,
    string SeriesInstanceUid,
    string? PatientId,
    string? PatientName,
    DateOnly? StudyDate,
    string? StudyDescription,
    string? AccessionNumber,
    string? Modality,
    int? SeriesNumber,
    string? SeriesDescription,
    int? NumberOfInstances)
{
    public override string ToString() => $"series {SeriesInstanceUid} ({Modality}, {NumberOfInstances} instance(s))";
}
