using System;
using System.Collections.Generic;

namespace MdaiClara.Engine.Networking;

/// <summary>One study as a PACS describes it (a QIDO-RS or C-FIND result), with the connection it came from.</summary>
public sealed record DicomStudy(
    IDicomConnection Connection,
    string StudyInstanceUid,
    string? PatientId,
    string? PatientName,
    DateOnly? StudyDate,
    string? StudyTime,
    string? AccessionNumber,
    string? StudyDescription,
    IReadOnlyList<string> Modalities,
    int? NumberOfSeries,
    int? NumberOfInstances)
{
    public override string ToString() => $"study {StudyInstanceUid} ({PatientId}, {StudyDate:yyyy-MM-dd})";
}
