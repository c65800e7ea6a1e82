using System;
using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom;

namespace MdaiClara.Engine.Imaging.Seg;

/// <summary>The slices a SEG's frames are put on: a reference series' own, or a grid made from the frames' positions.</summary>
internal sealed class Grid
{
    private readonly Func<DicomSegReader.SegFrameInfo, int> _sliceOf;

    private Grid(int slices, Affine affine, DicomSeriesGeometry? geometry, IReadOnlyList<string> warnings, Func<DicomSegReader.SegFrameInfo, int> sliceOf)
    {
        Slices = slices;
        Affine = affine;
        Geometry = geometry;
        Warnings = warnings;
        _sliceOf = sliceOf;
    }

    public int Slices { get; }

    public Affine Affine { get; }

    public DicomSeriesGeometry? Geometry { get; }

    public IReadOnlyList<string> Warnings { get; }

    public int SliceOf(DicomSegReader.SegFrameInfo frame) => _sliceOf(frame);

    public static Grid OnReference(DicomFile file, Volume reference, DicomPixelData pixels)
    {
        var geometry = reference.Dicom ?? throw new MdaiClaraException(
            $"{reference.Source} is not a DICOM series, so {file.Path} cannot be put on its grid: a segmentation is read onto the series it references.",
            ErrorIds.SegReferenceMismatch, ErrorKind.InvalidArgument, reference.Source);
        var referenced = DicomSegReader.ReferencedSeriesUid(file);
        if (referenced is not null && referenced != geometry.SeriesInstanceUid)
        {
            throw new MdaiClaraException(
                $"{file.Path} segments series {referenced}, not {geometry.SeriesInstanceUid} ({reference.Source}); read it with the series it was made from.",
                ErrorIds.SegReferenceMismatch, ErrorKind.InvalidArgument, file.Path);
        }

        if (pixels.Rows != geometry.Rows || pixels.Columns != geometry.Columns || reference.Shape.Count < 3)
        {
            throw new MdaiClaraException(
                $"{file.Path} has {pixels.Columns}×{pixels.Rows} frames but the series {geometry.SeriesInstanceUid} has {geometry.Columns}×{geometry.Rows} images.",
                ErrorIds.SegReferenceMismatch, ErrorKind.InvalidData, file.Path);
        }

        var byInstance = new Dictionary<(string, int?), int>();
        foreach (var slice in geometry.Slices)
        {
            byInstance[(slice.SopInstanceUid, slice.FrameNumber)] = slice.SliceIndex;
        }

        var tolerance = Math.Max(PositionTolerance, 1e-3 * reference.Spacing[2]);
        int SliceOf(DicomSegReader.SegFrameInfo frame)
        {
            if (frame.SourceSopInstanceUid is { } uid)
            {
                if (byInstance.TryGetValue((uid, frame.SourceFrame), out var k))
                {
                    return k;
                }

                // A whole-instance reference names a slice only when that instance has one (else the position decides).
                var slices = geometry.Slices.Where(s => s.SopInstanceUid == uid).Take(2).ToList();
                if (frame.SourceFrame is null && slices.Count == 1)
                {
                    return slices[0].SliceIndex;
                }
            }

            if (frame.Position is { Length: 3 } p)
            {
                var nearest = geometry.Slices.MinBy(s => Distance(s.ImagePositionPatient, p))!;
                if (Distance(nearest.ImagePositionPatient, p) <= tolerance)
                {
                    return nearest.SliceIndex;
                }
            }

            throw new MdaiClaraException(
                $"Frame {frame.Index + 1} of {file.Path} lies on no image of series {geometry.SeriesInstanceUid}: it references instance {frame.SourceSopInstanceUid ?? "none"} at position {(frame.Position is null ? "none" : string.Join("\\", frame.Position))}.",
                ErrorIds.SegReferenceMismatch, ErrorKind.InvalidData, file.Path);
        }

        return new Grid(geometry.Slices.Count, reference.Affine, geometry, Array.Empty<string>(), SliceOf);
    }

    public static Grid FromFrames(DicomFile file, IReadOnlyList<DicomSegReader.SegFrameInfo> frames, DicomDataset? shared, DicomPixelData pixels)
    {
        var firstFrame = file.Dataset.GetItem(DicomTag.PerFrameFunctionalGroups);
        DicomDataset? Group(DicomTag tag) => shared?.GetItem(tag) ?? firstFrame?.GetItem(tag);
        var orientation = Group(DicomTag.PlaneOrientationSequence)?.GetDoubles(DicomTag.ImageOrientationPatient);
        var measures = Group(DicomTag.PixelMeasuresSequence);
        var spacing = measures?.GetDoubles(DicomTag.PixelSpacing);
        if (orientation is not { Length: 6 } || spacing is not { Length: 2 } || frames.Any(f => f.Position is not { Length: 3 }))
        {
            throw DicomSegReader.Invalid(file, "without its source series it needs Plane Orientation, Pixel Measures and a Plane Position for every frame to place the frames");
        }

        var row = orientation[..3];
        var column = orientation[3..];
        var normal = new[] { (row[1] * column[2]) - (row[2] * column[1]), (row[2] * column[0]) - (row[0] * column[2]), (row[0] * column[1]) - (row[1] * column[0]) };
        double Along(double[] p) => (p[0] * normal[0]) + (p[1] * normal[1]) + (p[2] * normal[2]);
        var positions = frames.Select(f => Along(f.Position!)).ToList();
        var distinct = positions.Distinct().OrderBy(v => v).ToList();
        var given = new[] { measures?.GetDouble(DicomTag.SpacingBetweenSlices), measures?.GetDouble(DicomTag.SliceThickness) }.FirstOrDefault(v => v > 0);
        var sliceSpacing = given ?? distinct.Zip(distinct.Skip(1), (a, b) => b - a).Where(d => d > PositionTolerance).DefaultIfEmpty(1).Min();
        var min = distinct[0];
        var origin = frames[positions.IndexOf(min)].Position!;
        var slices = (int)Math.Round((distinct[^1] - min) / sliceSpacing) + 1;
        var lps = Affine.FromColumns(
            row.Select(v => v * spacing[1]).ToArray(), column.Select(v => v * spacing[0]).ToArray(), normal.Select(v => v * sliceSpacing).ToArray(), origin);
        var warning = $"{file.Path} was read without its source series: the grid spans the segmented slices only ({slices}); read it with the source series to get the series' own grid.";
        return new Grid(slices, Affine.LpsToRas * lps, null, new[] { warning }, f => (int)Math.Round((Along(f.Position!) - min) / sliceSpacing));
    }

    private const double PositionTolerance = 0.01;

    private static double Distance(double[] a, double[] b) =>
        Math.Sqrt(((a[0] - b[0]) * (a[0] - b[0])) + ((a[1] - b[1]) * (a[1] - b[1])) + ((a[2] - b[2]) * (a[2] - b[2])));
}
