using System;
using System.Collections.Generic;
using System.Linq;

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
        InstanceNumber = (int?)ds.GetInteger(DicomTag.InstanceNumber);
        Rows = (int)(ds.GetInteger(DicomTag.Rows) ?? 0);
        Columns = (int)(ds.GetInteger(DicomTag.Columns) ?? 0);
        SamplesPerPixel = (int)(ds.GetInteger(DicomTag.SamplesPerPixel) ?? 1);
        BitsAllocated = (int)(ds.GetInteger(DicomTag.BitsAllocated) ?? 0);
        BitsStored = (int)(ds.GetInteger(DicomTag.BitsStored) ?? BitsAllocated);
        PixelRepresentation = (int)(ds.GetInteger(DicomTag.PixelRepresentation) ?? 0);
        Photometric = ds.GetString(DicomTag.PhotometricInterpretation)?.Trim();
        NumberOfFrames = (int)Math.Max(1, ds.GetInteger(DicomTag.NumberOfFrames) ?? 1);
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

    public int Rows { get; }

    public int Columns { get; }

    public int SamplesPerPixel { get; }

    public int BitsAllocated { get; }

    public int BitsStored { get; }

    public int PixelRepresentation { get; }

    public string? Photometric { get; }

    public int NumberOfFrames { get; }

    public string? FrameOfReferenceUid { get; }

    public IReadOnlyList<string> ImageType { get; }

    public double? GantryTilt { get; }

    public bool IsLocalizer => ImageType.Any(t => t.Equals("LOCALIZER", StringComparison.OrdinalIgnoreCase));

    public bool HasPixelData => File.PixelDataElement is not null;

    public IReadOnlyList<DicomFrameGeometry> Frames { get; }

    public static DicomInstanceHeader From(DicomFile file) => new(file);

    private IReadOnlyList<DicomFrameGeometry> ReadFrames(DicomDataset ds)
    {
        var topPosition = Vector(ds.GetDoubles(DicomTag.ImagePositionPatient), 3);
        var topOrientation = Vector(ds.GetDoubles(DicomTag.ImageOrientationPatient), 6);
        var topSpacing = Vector(ds.GetDoubles(DicomTag.PixelSpacing), 2) ?? Vector(ds.GetDoubles(DicomTag.ImagerPixelSpacing), 2);
        var topSlope = ds.GetDouble(DicomTag.RescaleSlope) ?? 1;
        var topIntercept = ds.GetDouble(DicomTag.RescaleIntercept) ?? 0;
        if (topSlope == 0 || !double.IsFinite(topSlope))
        {
            topSlope = 1;
        }

        var shared = ds.GetItem(DicomTag.SharedFunctionalGroups);
        var perFrame = ds.GetSequence(DicomTag.PerFrameFunctionalGroups);
        var frames = new List<DicomFrameGeometry>(NumberOfFrames);
        for (var f = 0; f < NumberOfFrames; f++)
        {
            var item = f < perFrame.Count ? perFrame[f] : null;
            double[]? FromGroups(DicomTag sequence, DicomTag attribute, int count) =>
                Vector(item?.GetItem(sequence)?.GetDoubles(attribute), count) ?? Vector(shared?.GetItem(sequence)?.GetDoubles(attribute), count);

            var position = FromGroups(DicomTag.PlanePositionSequence, DicomTag.ImagePositionPatient, 3) ?? (NumberOfFrames == 1 ? topPosition : null);
            var orientation = FromGroups(DicomTag.PlaneOrientationSequence, DicomTag.ImageOrientationPatient, 6) ?? topOrientation;
            var spacing = FromGroups(DicomTag.PixelMeasuresSequence, DicomTag.PixelSpacing, 2) ?? topSpacing;
            var slope = FromGroups(DicomTag.PixelValueTransformationSequence, DicomTag.RescaleSlope, 1)?[0] ?? topSlope;
            var intercept = FromGroups(DicomTag.PixelValueTransformationSequence, DicomTag.RescaleIntercept, 1)?[0] ?? topIntercept;
            frames.Add(new DicomFrameGeometry(this, f, position, orientation, spacing, slope == 0 ? 1 : slope, intercept));
        }

        return frames;
    }

    private static double[]? Vector(double[]? values, int count) =>
        values is not null && values.Length >= count && values.Take(count).All(double.IsFinite) ? values.Take(count).ToArray() : null;

    public override string ToString() => System.IO.Path.GetFileName(Path);
}
