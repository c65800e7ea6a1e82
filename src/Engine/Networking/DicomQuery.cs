namespace MdaiClara.Engine.Networking;

/// <summary>
/// What to look for, at study or series level. Empty fields match everything; PatientId and AccessionNumber may
/// hold DICOM wildcards (* and ?). <see cref="Limit"/> and <see cref="Offset"/> page through large answers.
/// </summary>
public sealed record DicomQuery
{
    public string? PatientId { get; init; }

    public DicomDateRange? StudyDate { get; init; }

    /// <summary>At study level: a modality in the study (ModalitiesInStudy); at series level: the series' Modality.</summary>
    public string? Modality { get; init; }

    public string? AccessionNumber { get; init; }

    public string? StudyInstanceUid { get; init; }

    public string? SeriesInstanceUid { get; init; }

    /// <summary>At most this many results (null: all the server gives).</summary>
    public int? Limit { get; init; }

    /// <summary>Skip this many results first.</summary>
    public int? Offset { get; init; }
}
