namespace MdaiClara.Engine.Errors;

public static partial class ErrorIds
{
    public const string DicomNotDicom = "DicomNotDicom";
    public const string DicomTruncated = "DicomTruncated";
    public const string DicomInvalid = "DicomInvalid";
    public const string DicomTransferSyntaxUnsupported = "DicomTransferSyntaxUnsupported";
    public const string DicomPixelDataInvalid = "DicomPixelDataInvalid";
    public const string DicomNoPixelData = "DicomNoPixelData";
    public const string DicomSeriesInconsistent = "DicomSeriesInconsistent";
    public const string DicomNoImages = "DicomNoImages";
    public const string DicomReadFailed = "DicomReadFailed";
}
