namespace MdaiClara.Engine.Errors;

/// <summary>Error ids of the compressed-pixel decoders (Imaging/Dicom/Codecs).</summary>
public static partial class ErrorIds
{
    /// <summary>An RLE Lossless frame is malformed: bad header, segment count, offsets, or a segment that decodes short.</summary>
    public const string RleCorrupt = "RleCorrupt";

    /// <summary>An RLE frame's geometry cannot be RLE-coded (bits allocated not 8/16/32, more than 15 segments).</summary>
    public const string RleUnsupported = "RleUnsupported";

    /// <summary>A JPEG codestream is malformed or truncated.</summary>
    public const string JpegCorrupt = "JpegCorrupt";

    /// <summary>A JPEG codestream uses a process the engine does not decode (progressive, arithmetic, hierarchical, JPEG-LS, JPEG 2000).</summary>
    public const string JpegUnsupported = "JpegUnsupported";
}
