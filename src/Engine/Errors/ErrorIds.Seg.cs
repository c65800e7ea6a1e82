namespace MdaiClara.Engine.Errors;

/// <summary>Error identifiers of the DICOM writer (src/Engine/Imaging/Dicom/Writing) and of DICOM Segmentation objects (src/Engine/Imaging/Seg).</summary>
public static partial class ErrorIds
{
    /// <summary>A value cannot be written as its attribute's VR (too long, characters the VR forbids, not a UID…).</summary>
    public const string DicomWriteValueInvalid = "DicomWriteValueInvalid";

    /// <summary>A UID root is not a valid UID prefix (digits and dots, no leading zeros, room left for a suffix).</summary>
    public const string DicomUidRootInvalid = "DicomUidRootInvalid";

    /// <summary>The label volume has no DICOM series geometry (slice ↔ source instance) to reference.</summary>
    public const string SegSourceNotDicom = "SegSourceNotDicom";

    /// <summary>The label volume is not a label map a binary SEG can hold (not integral, negative or too many labels, shape differs from the series).</summary>
    public const string SegLabelsInvalid = "SegLabelsInvalid";

    /// <summary>A segment description (name, codes, colour) given for a label cannot be used.</summary>
    public const string SegSegmentMapInvalid = "SegSegmentMapInvalid";

    /// <summary>A Segmentation object cannot be read back (not BINARY, frames that match no slice, pixel data too short…).</summary>
    public const string SegInvalid = "SegInvalid";

    /// <summary>A Segmentation object references a series other than the reference series given to read it onto.</summary>
    public const string SegReferenceMismatch = "SegReferenceMismatch";
}
