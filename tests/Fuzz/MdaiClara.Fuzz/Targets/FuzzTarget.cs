namespace MdaiClara.Fuzz;

/// <summary>The parsers the fuzz harness drives; one AFL campaign and one corpus folder (tests/fixtures/fuzz/&lt;name&gt;) each.</summary>
public enum FuzzTarget
{
    /// <summary>A DICOM Part 10 file: header parse, every codec's pixel decode through DicomPixelData, series assembly.</summary>
    Dicom,

    /// <summary>A bare JPEG codestream (baseline, extended 12-bit, lossless) as DICOM encapsulates it.</summary>
    Jpeg,

    /// <summary>One RLE Lossless frame, preceded by a 6-byte description (rows, columns, samples, bits).</summary>
    Rle,

    /// <summary>A single-file NIfTI-1/2 image, plain or gzip-compressed.</summary>
    Nifti,

    /// <summary>An MMAR folder's environment.json, config_inference.json and infer.sh, separated by NUL bytes.</summary>
    MmarConfig,

    /// <summary>A zipped MMAR.</summary>
    MmarZip,

    /// <summary>A 2-D picture for LoadImage: 8-bit PNG/JPEG/BMP (StbImageSharp) or 16-bit PNG (own decoder).</summary>
    Picture,

    /// <summary>An MD.ai model output JSON, checked by the output validator (lenient and strict).</summary>
    MdaiOutput,
}
