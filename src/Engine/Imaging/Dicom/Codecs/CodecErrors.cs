using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Imaging.Dicom.Codecs;

/// <summary>Builds the decoders' exceptions, so every message carries the same remedy text and error kind.</summary>
internal static class CodecErrors
{
    /// <summary>What a user can do with a file the engine cannot decode.</summary>
    public const string ConvertRemedy =
        "Decompress the file first, e.g. with GDCM `gdcmconv --raw in.dcm out.dcm` or DCMTK `dcmdjpeg in.dcm out.dcm` " +
        "(`dcmdjpls` for JPEG-LS), and import the result.";

    public static MdaiClaraException RleCorrupt(string detail) =>
        new("RLE Lossless frame is corrupt: " + detail, ErrorIds.RleCorrupt, ErrorKind.InvalidData);

    public static MdaiClaraException RleUnsupported(string detail) =>
        new("RLE Lossless frame cannot be decoded: " + detail, ErrorIds.RleUnsupported, ErrorKind.InvalidData);

    public static MdaiClaraException JpegCorrupt(string detail) =>
        new("JPEG codestream is corrupt: " + detail, ErrorIds.JpegCorrupt, ErrorKind.InvalidData);

    public static MdaiClaraException JpegUnsupported(string what) =>
        new("JPEG codestream uses " + what + ", which this engine does not decode. " + ConvertRemedy,
            ErrorIds.JpegUnsupported, ErrorKind.InvalidData);
}
