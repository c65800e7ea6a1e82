using System;
using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Imaging.Dicom;

/// <summary>One frame of an instance as a candidate slice: where it lies and how its values scale.</summary>
public sealed record DicomFrameGeometry(
    DicomInstanceHeader Instance,
    int FrameIndex,
    double[]? Position,
    double[]? Orientation,
    double[]? PixelSpacing,
    double RescaleSlope,
    double RescaleIntercept);

/// <summary>
/// What series assembly needs from one file, read from its header only (pixel data is not touched): identity, image
/// format, and the geometry of each frame, from the top level or, for enhanced multi-frame objects, from the
/// shared and per-frame functional groups.
/// </summary>
public sealed class DicomInstanceHeader
{
    private DicomInstanceHeader(DicomFile file)
    {
        File = file;
        var ds = file.Dataset;
        SeriesInstanceUid = ds.GetString(DicomTag.SeriesInstanceUid) ?? string.Empty;
        StudyInstanceUid = ds.GetString(DicomTag.StudyInstanceUid) ?? string.Empty;
        SopInstanceUid = ds.GetString(DicomTag.SopInstanceUid) ?? file.FileMeta.GetString(DicomTag.MediaStorageSopInstanceUid) ?? string.Empty;
        SopClassUid = ds.GetString(DicomTag.SopClassUid);
        Modality = ds.GetString(DicomTag.Modality);
        PatientId = ds.GetString(DicomTag.PatientId);
        StudyDate = ds.GetString(DicomTag.StudyDate)?.Trim();
        SeriesNumber = (int?)ds.GetInteger(DicomTag.SeriesNumber);
        SeriesDescription = ds.GetString(DicomTag.SeriesDescription);
        InstanceNumber = (int?)ds.GetInteger(DicomTag.InstanceNumber);
        Rows = (int)(ds.GetInteger(DicomTag.Rows) ?? 0);
        Columns = (int)(ds.GetInteger(DicomTag.Columns) ?? 0);
        SamplesPerPixel = (int)(ds.GetInteger(DicomTag.SamplesPerPixel) ?? 1);
        BitsAllocated = (int)(ds.GetInteger(DicomTag.BitsAllocated) ?? 0);
        BitsStored = (int)(ds.GetInteger(DicomTag.BitsStored) ?? BitsAllocated);
        PixelRepresentation = (int)(ds.GetInteger(DicomTag.PixelRepresentation) ?? 0);
        Photometric = ds.GetString(DicomTag.PhotometricInterpretation)?.Trim();
        HighBit = (int)(ds.GetInteger(DicomTag.HighBit) ?? (BitsStored - 1));
        NumberOfFrames = FrameCount(file);
        FrameOfReferenceUid = ds.GetString(DicomTag.FrameOfReferenceUid);
        ImageType = ds.GetStrings(DicomTag.ImageType);
        GantryTilt = ds.GetDouble(DicomTag.GantryDetectorTilt);
        Frames = ReadFrames(ds);
    }

    public DicomFile File { get; }

    public string Path => File.Path;

    public string SeriesInstanceUid { get; }

    public string StudyInstanceUid { get; }

    public string SopInstanceUid { get; }

    public string? SopClassUid { get; }

    public string? Modality { get; }

    public int? InstanceNumber { get; }

    /// <summary>What people recognise a series by (PatientID, StudyDate as written (DA), SeriesNumber, SeriesDescription).</summary>
    public string? PatientId { get; }

    public string? StudyDate { get; }

    public int? SeriesNumber { get; }

    public string? SeriesDescription { get; }

    public int Rows { get; }

    public int Columns { get; }

    public int SamplesPerPixel { get; }

    public int BitsAllocated { get; }

    public int BitsStored { get; }

    public int PixelRepresentation { get; }

    /// <summary>The most significant stored bit (0028,0102); BitsStored − 1 in all but some old files.</summary>
    public int HighBit { get; }

    public string? Photometric { get; }

    public int NumberOfFrames { get; }

    public string? FrameOfReferenceUid { get; }

    public IReadOnlyList<string> ImageType { get; }

    public double? GantryTilt { get; }

    public bool IsLocalizer => ImageType.Any(t => t.Equals("LOCALIZER", StringComparison.OrdinalIgnoreCase));

    public bool HasPixelData => File.PixelDataElement is not null;

    public IReadOnlyList<DicomFrameGeometry> Frames { get; }

    /// <summary>For multi-frame files without per-frame positions: how the frames were placed (null when the file says).</summary>
    public string? InferredFramePositions { get; private set; }

    public static DicomInstanceHeader From(DicomFile file) => new(file);

    /// <summary>Segmentation Storage: a SEG holds label frames for another series, not images of its own series.</summary>
    public const string SegmentationStorage = "1.2.840.10008.5.1.4.1.1.66.4";

    /// <summary>
    /// NumberOfFrames (0028,0008), checked against what the pixel data can hold: a wrong count must be an error that
    /// names the tag, not a huge allocation or a read past the end.
    /// </summary>
    internal static int FrameCount(DicomFile file)
    {
        var ds = file.Dataset;
        var declared = ds.GetInteger(DicomTag.NumberOfFrames);
        if (declared is null or <= 1 || file.PixelDataElement is not { } pixel)
        {
            return 1;
        }

        var available = Math.Max(0, file.SourceLength - pixel.ValueOffset);
        long limit;
        string unit;
        if (!file.TransferSyntax.Encapsulated && pixel.ValueLength >= 0)
        {
            var rows = ds.GetInteger(DicomTag.Rows) ?? 0;
            var columns = ds.GetInteger(DicomTag.Columns) ?? 0;
            var samples = ds.GetInteger(DicomTag.SamplesPerPixel) ?? 1;
            var bits = pixel.Tag == DicomTag.DoubleFloatPixelData ? 64 : pixel.Tag == DicomTag.FloatPixelData ? 32 : ds.GetInteger(DicomTag.BitsAllocated) ?? 0;
            var ybr422 = ds.GetString(DicomTag.PhotometricInterpretation)?.Trim() == "YBR_FULL_422";
            var bitsPerFrame = Math.Clamp(rows, 0, 65535) * Math.Clamp(columns, 0, 65535) * Math.Clamp(ybr422 ? 2 : samples, 0, 4) * Math.Clamp(bits, 0, 64);
            limit = bitsPerFrame > 0 ? Math.Min(pixel.ValueLength, available) * 8 / bitsPerFrame : 1;
            unit = $"frames of {columns}×{rows}×{samples} samples of {bits} bits";
        }
        else
        {
            // Every compressed frame takes at least one 8-byte item header.
            limit = available / 8;
            unit = "compressed frames";
        }

        if (declared > limit || declared > int.MaxValue)
        {
            throw new MdaiClaraException(
                $"{file.Path}: NumberOfFrames (0028,0008) is {declared:N0}, but its pixel data ({Math.Min(Math.Max(pixel.ValueLength, 0), available):N0} bytes) can hold at most {limit:N0} {unit}. The header is wrong or the file is truncated; export the series again.",
                ErrorIds.DicomPixelDataInvalid, ErrorKind.InvalidData, file.Path);
        }

        return (int)declared.Value;
    }

    private IReadOnlyList<DicomFrameGeometry> ReadFrames(DicomDataset ds)
    {
        var topPosition = Vector(ds.GetDoubles(DicomTag.ImagePositionPatient), 3);
        var topOrientation = Vector(ds.GetDoubles(DicomTag.ImageOrientationPatient), 6);
        var topSpacing = Vector(ds.GetDoubles(DicomTag.PixelSpacing), 2) ?? Vector(ds.GetDoubles(DicomTag.ImagerPixelSpacing), 2);
        var topSlope = ds.GetDouble(DicomTag.RescaleSlope) ?? 1;
        var topIntercept = ds.GetDouble(DicomTag.RescaleIntercept) ?? 0;
        if (!double.IsFinite(topIntercept))
        {
            topIntercept = 0;
        }
        if (topSlope == 0 || !double.IsFinite(topSlope))
        {
            topSlope = 1;
        }

        var shared = ds.GetItem(DicomTag.SharedFunctionalGroups);
        var perFrame = ds.GetSequence(DicomTag.PerFrameFunctionalGroups);
        var legacyOffsets = NumberOfFrames > 1 && topPosition is not null ? LegacyFrameOffsets(ds) : null;
        var frames = new List<DicomFrameGeometry>(NumberOfFrames);
        for (var f = 0; f < NumberOfFrames; f++)
        {
            var item = f < perFrame.Count ? perFrame[f] : null;
            double[]? FromGroups(DicomTag sequence, DicomTag attribute, int count) =>
                Vector(item?.GetItem(sequence)?.GetDoubles(attribute), count) ?? Vector(shared?.GetItem(sequence)?.GetDoubles(attribute), count);

            var orientation = FromGroups(DicomTag.PlaneOrientationSequence, DicomTag.ImageOrientationPatient, 6) ?? topOrientation;
            var position = FromGroups(DicomTag.PlanePositionSequence, DicomTag.ImagePositionPatient, 3)
                ?? (NumberOfFrames == 1 ? topPosition : legacyOffsets is null ? null : AlongNormal(topPosition!, orientation, legacyOffsets[f]));
            var spacing = FromGroups(DicomTag.PixelMeasuresSequence, DicomTag.PixelSpacing, 2) ?? topSpacing;
            var slope = FromGroups(DicomTag.PixelValueTransformationSequence, DicomTag.RescaleSlope, 1)?[0] ?? topSlope;
            var intercept = FromGroups(DicomTag.PixelValueTransformationSequence, DicomTag.RescaleIntercept, 1)?[0] ?? topIntercept;
            frames.Add(new DicomFrameGeometry(this, f, position, orientation, spacing, slope == 0 ? 1 : slope, intercept));
        }

        return frames;
    }

    /// <summary>
    /// Legacy multi-frame files (RT dose, old NM/US/MR) give one ImagePositionPatient for frame 1: the others lie along
    /// the slice normal at GridFrameOffsetVector (3004,000C) offsets, else at SpacingBetweenSlices or SliceThickness.
    /// </summary>
    private double[] LegacyFrameOffsets(DicomDataset ds)
    {
        if (ds.GetDoubles(DicomTag.GridFrameOffsetVector) is { } grid && grid.Length >= NumberOfFrames && grid.Take(NumberOfFrames).All(double.IsFinite))
        {
            // Offsets are relative when the first is 0, z coordinates otherwise (PS3.3 C.8.8.3.2): both read relative to the first.
            InferredFramePositions = "frames were placed along the slice normal at the GridFrameOffsetVector (3004,000C) offsets";
            return grid.Take(NumberOfFrames).Select(v => v - grid[0]).ToArray();
        }

        var (spacing, from) = ds.GetDouble(DicomTag.SpacingBetweenSlices) is { } between && double.IsFinite(between) && between > 0 ? (between, "SpacingBetweenSlices (0018,0088)")
            : ds.GetDouble(DicomTag.SliceThickness) is { } thickness && double.IsFinite(thickness) && thickness > 0 ? (thickness, "SliceThickness (0018,0050)")
            : (1.0, "no spacing attribute, so 1 mm was assumed");
        InferredFramePositions = $"the file gives one position for {NumberOfFrames} frames; they were stacked {spacing:0.###} mm apart along the slice normal ({from})";
        return Enumerable.Range(0, NumberOfFrames).Select(f => f * spacing).ToArray();
    }

    private static double[] AlongNormal(double[] origin, double[]? orientation, double distance)
    {
        var o = orientation ?? new[] { 1.0, 0, 0, 0, 1, 0 };
        var normal = new[] { (o[1] * o[5]) - (o[2] * o[4]), (o[2] * o[3]) - (o[0] * o[5]), (o[0] * o[4]) - (o[1] * o[3]) };
        var length = Math.Sqrt((normal[0] * normal[0]) + (normal[1] * normal[1]) + (normal[2] * normal[2]));
        if (length < 1e-6)
        {
            return origin;
        }

        return new[] { origin[0] + (normal[0] / length * distance), origin[1] + (normal[1] / length * distance), origin[2] + (normal[2] / length * distance) };
    }

    private static double[]? Vector(double[]? values, int count) =>
        values is not null && values.Length >= count && values.Take(count).All(double.IsFinite) ? values.Take(count).ToArray() : null;

    public override string ToString() => System.IO.Path.GetFileName(Path);
}
