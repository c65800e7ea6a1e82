using System;
using System.Globalization;
using System.Linq;
using MdaiClara.Engine.Imaging.Dicom;

namespace MdaiClara.Engine.Networking.Dimse.Query;

/// <summary>DicomQuery to Study Root C-FIND identifiers (study and series levels), and their responses to DicomStudy/DicomSeries, key for key as QIDO-RS maps them.</summary>
internal static class FindMapping
{
    public static DimseIdentifier StudyIdentifier(DicomQuery query) => new DimseIdentifier()
        .Set(FindKeys.QueryRetrieveLevel, "CS", "STUDY")
        .Set(FindKeys.StudyInstanceUid, "UI", query.StudyInstanceUid)
        .Set(FindKeys.PatientId, "LO", query.PatientId)
        .Set(FindKeys.PatientName, "PN", null)
        .Set(FindKeys.StudyDate, "DA", query.StudyDate?.ToString())
        .Set(FindKeys.StudyTime, "TM", null)
        .Set(FindKeys.AccessionNumber, "SH", query.AccessionNumber)
        .Set(FindKeys.StudyDescription, "LO", null)
        .Set(FindKeys.ModalitiesInStudy, "CS", query.Modality)
        .Set(FindKeys.NumberOfStudyRelatedSeries, "IS", null)
        .Set(FindKeys.NumberOfStudyRelatedInstances, "IS", null);

    public static DimseIdentifier SeriesIdentifier(DicomQuery query) => new DimseIdentifier()
        .Set(FindKeys.QueryRetrieveLevel, "CS", "SERIES")
        .Set(FindKeys.StudyInstanceUid, "UI", query.StudyInstanceUid)
        .Set(FindKeys.SeriesInstanceUid, "UI", query.SeriesInstanceUid)
        .Set(FindKeys.PatientId, "LO", query.PatientId)
        .Set(FindKeys.PatientName, "PN", null)
        .Set(FindKeys.StudyDate, "DA", query.StudyDate?.ToString())
        .Set(FindKeys.AccessionNumber, "SH", query.AccessionNumber)
        .Set(FindKeys.StudyDescription, "LO", null)
        .Set(FindKeys.Modality, "CS", query.Modality)
        .Set(FindKeys.SeriesNumber, "IS", null)
        .Set(FindKeys.SeriesDescription, "LO", null)
        .Set(FindKeys.NumberOfSeriesRelatedInstances, "IS", null);

    public static DicomStudy Study(IDicomConnection connection, DicomDataset d) => new(
        connection,
        d.GetString(FindKeys.StudyInstanceUid) ?? "",
        Text(d, FindKeys.PatientId),
        Text(d, FindKeys.PatientName),
        Date(d),
        Text(d, FindKeys.StudyTime),
        Text(d, FindKeys.AccessionNumber),
        Text(d, FindKeys.StudyDescription),
        d.GetStrings(FindKeys.ModalitiesInStudy).Where(m => m.Length > 0).ToArray(),
        Int(d, FindKeys.NumberOfStudyRelatedSeries),
        Int(d, FindKeys.NumberOfStudyRelatedInstances));

    public static DicomSeries Series(IDicomConnection connection, DicomDataset d) => new(
        connection,
        d.GetString(FindKeys.StudyInstanceUid) ?? "",
        d.GetString(FindKeys.SeriesInstanceUid) ?? "",
        Text(d, FindKeys.PatientId),
        Text(d, FindKeys.PatientName),
        Date(d),
        Text(d, FindKeys.StudyDescription),
        Text(d, FindKeys.AccessionNumber),
        Text(d, FindKeys.Modality),
        Int(d, FindKeys.SeriesNumber),
        Text(d, FindKeys.SeriesDescription),
        Int(d, FindKeys.NumberOfSeriesRelatedInstances));

    private static string? Text(DicomDataset d, DicomTag tag) => d.GetString(tag) is { Length: > 0 } s ? s : null;

    private static int? Int(DicomDataset d, DicomTag tag) =>
        int.TryParse(d.GetString(tag), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static DateOnly? Date(DicomDataset d) =>
        DateOnly.TryParseExact(d.GetString(FindKeys.StudyDate), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
}
