namespace MdaiClara.Engine.Networking.DicomWeb;

/// <summary>The attributes the DICOMweb client reads and asks for, as DICOM JSON keys are numbered.</summary>
internal static class DicomJsonTags
{
    public const uint StudyDate = 0x00080020;
    public const uint StudyTime = 0x00080030;
    public const uint AccessionNumber = 0x00080050;
    public const uint ModalitiesInStudy = 0x00080061;
    public const uint Modality = 0x00080060;
    public const uint StudyDescription = 0x00081030;
    public const uint SeriesDescription = 0x0008103E;
    public const uint FailureReason = 0x00081197;
    public const uint FailedSopSequence = 0x00081198;
    public const uint ReferencedSopSequence = 0x00081199;
    public const uint WarningReason = 0x00081196;
    public const uint ReferencedSopClassUid = 0x00081150;
    public const uint ReferencedSopInstanceUid = 0x00081155;
    public const uint PatientName = 0x00100010;
    public const uint PatientId = 0x00100020;
    public const uint StudyInstanceUid = 0x0020000D;
    public const uint SeriesInstanceUid = 0x0020000E;
    public const uint SeriesNumber = 0x00200011;
    public const uint NumberOfStudyRelatedSeries = 0x00201206;
    public const uint NumberOfStudyRelatedInstances = 0x00201208;
    public const uint NumberOfSeriesRelatedInstances = 0x00201209;
    public const uint SopInstanceUid = 0x00080018;
}
