using System.Collections.Generic;

namespace MdaiClara.Engine.Imaging;

/// <summary>One slice of a DICOM-derived volume: which instance (and frame) it came from, and where it lies.</summary>
public sealed record DicomSliceReference(
    int SliceIndex,
    string SopInstanceUid,
    string? File,
    int? FrameNumber,
    int? InstanceNumber,
    double[] ImagePositionPatient);

/// <summary>
/// What a DICOM series contributes beyond voxels: the identifiers and geometry needed to map results back to each
/// instance by position (rows × columns per slice, slice k ↔ instance).
/// </summary>
public sealed record DicomSeriesGeometry
{
    public required string StudyInstanceUid { get; init; }

    public required string SeriesInstanceUid { get; init; }

    public string? FrameOfReferenceUid { get; init; }

    /// <summary>PatientID (0010,0020), as written.</summary>
    public string? PatientId { get; init; }

    /// <summary>StudyDate (0008,0020), as written (DA: YYYYMMDD).</summary>
    public string? StudyDate { get; init; }

    /// <summary>SeriesNumber (0020,0011).</summary>
    public int? SeriesNumber { get; init; }

    /// <summary>SeriesDescription (0008,103E).</summary>
    public string? SeriesDescription { get; init; }

    public string? SopClassUid { get; init; }

    public required int Rows { get; init; }

    public required int Columns { get; init; }

    /// <summary>Row cosine then column cosine, in LPS, as in ImageOrientationPatient.</summary>
    public required double[] ImageOrientationPatient { get; init; }

    /// <summary>[row spacing, column spacing] in mm, as in PixelSpacing.</summary>
    public required double[] PixelSpacing { get; init; }

    /// <summary>Slice k of the volume ↔ instance (and frame).</summary>
    public required IReadOnlyList<DicomSliceReference> Slices { get; init; }

    public string? PhotometricInterpretation { get; init; }

    public double RescaleSlope { get; init; } = 1;

    public double RescaleIntercept { get; init; }
}
