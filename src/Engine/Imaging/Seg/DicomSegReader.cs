using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Imaging.Dicom.Writing;

namespace MdaiClara.Engine.Imaging.Seg;

/// <summary>
/// Reads a binary Segmentation object back into a label map. On a reference series (the SEG's source) each frame goes
/// to the slice of the instance it references (Source Image Sequence), or, when it references none of them, to the
/// slice at its Plane Position; the label map then has the series' grid and geometry. Without one, the grid is built
/// from the frames' own positions, orientation and spacing, and spans the segmented slices only. Segment n becomes
/// the label value MdaiClara recorded for it, else n.
/// </summary>
public static class DicomSegReader
{
    /// <summary>True when the file's SOP class is Segmentation Storage.</summary>
    public static bool IsSegmentation(DicomFile file) => file.Dataset.GetString(DicomTag.SopClassUid) == DicomSegWriter.SegmentationSopClassUid;

    /// <summary>The SeriesInstanceUID of the series a SEG references (Referenced Series Sequence), if it names one.</summary>
    public static string? ReferencedSeriesUid(DicomFile file) =>
        file.Dataset.GetItem(DicomWriteTags.ReferencedSeriesSequence)?.GetString(DicomTag.SeriesInstanceUid);

    public static Volume Read(string path, Volume? reference, CancellationToken cancellationToken = default) =>
        Read(DicomFileReader.Read(path), reference, cancellationToken);

    public static Volume Read(DicomFile file, Volume? reference, CancellationToken cancellationToken = default)
    {
        var ds = file.Dataset;
        if (!IsSegmentation(file))
        {
            throw Invalid(file, $"it is not a Segmentation object (SOP class {ds.GetString(DicomTag.SopClassUid) ?? "none"})");
        }

        if (ds.GetString(DicomWriteTags.SegmentationType) is var type && type != "BINARY")
        {
            throw Invalid(file, $"its SegmentationType is {type ?? "missing"}; only BINARY segmentations are read");
        }

        var labelOf = new Dictionary<long, int>();
        foreach (var segment in ds.GetSequence(DicomWriteTags.SegmentSequence))
        {
            var number = segment.GetInteger(DicomWriteTags.SegmentNumber) ?? throw Invalid(file, "a segment has no SegmentNumber");
            var recorded = segment.GetString(DicomSegWriter.PrivateCreatorTag) == DicomSegWriter.PrivateCreator ? segment.GetInteger(DicomSegWriter.LabelValueTag) : null;
            labelOf[number] = (int)(recorded ?? number);
        }

        using var pixels = DicomPixelData.Open(file);
        if (pixels.BitsAllocated != 1)
        {
            throw Invalid(file, $"its BitsAllocated is {pixels.BitsAllocated}; a binary segmentation has 1");
        }

        var shared = ds.GetItem(DicomTag.SharedFunctionalGroups);
        var perFrame = ds.GetSequence(DicomTag.PerFrameFunctionalGroups);
        if (perFrame.Count != pixels.NumberOfFrames)
        {
            throw Invalid(file, $"it has {pixels.NumberOfFrames} frames but {perFrame.Count} per-frame functional group items");
        }

        var frames = perFrame.Select((item, n) => Frame(file, item, shared, n)).ToList();
        var grid = reference is not null ? Grid.OnReference(file, reference, pixels) : Grid.FromFrames(file, frames, shared, pixels);
        var maxLabel = labelOf.Values.DefaultIfEmpty(0).Max();
        var sliceSize = pixels.Rows * pixels.Columns;
        Array voxels = maxLabel <= byte.MaxValue ? new byte[(long)sliceSize * grid.Slices] : new ushort[(long)sliceSize * grid.Slices];
        for (var n = 0; n < frames.Count; n++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var frame = frames[n];
            var k = grid.SliceOf(frame);
            if (!labelOf.TryGetValue(frame.Segment, out var label))
            {
                throw Invalid(file, $"frame {n + 1} references segment {frame.Segment}, which the Segment Sequence does not describe");
            }

            var bits = (byte[])pixels.DecodeFrame(n);
            var offset = (long)k * sliceSize;
            for (var p = 0; p < sliceSize; p++)
            {
                if (bits[p] != 0)
                {
                    if (voxels is byte[] b)
                    {
                        b[offset + p] = (byte)label;
                    }
                    else
                    {
                        ((ushort[])voxels)[offset + p] = (ushort)label;
                    }
                }
            }
        }

        return new Volume(voxels, new long[] { pixels.Columns, pixels.Rows, grid.Slices }, grid.Affine, file.Path)
        {
            Modality = "SEG",
            Dicom = grid.Geometry,
            Warnings = grid.Warnings,
        };
    }

    internal sealed record SegFrameInfo(int Index, long Segment, string? SourceSopInstanceUid, int? SourceFrame, double[]? Position);

    private static SegFrameInfo Frame(DicomFile file, DicomDataset item, DicomDataset? shared, int index)
    {
        DicomDataset? Group(DicomTag tag) => item.GetItem(tag) ?? shared?.GetItem(tag);
        var segment = Group(DicomWriteTags.SegmentIdentificationSequence)?.GetInteger(DicomWriteTags.ReferencedSegmentNumber)
            ?? throw Invalid(file, $"frame {index + 1} has no Referenced Segment Number");
        var source = Group(DicomWriteTags.DerivationImageSequence)?.GetItem(DicomWriteTags.SourceImageSequence);
        var frameNumber = source?.GetInteger(DicomWriteTags.ReferencedFrameNumber);
        return new SegFrameInfo(index, segment, source?.GetString(DicomWriteTags.ReferencedSopInstanceUid), frameNumber is null ? null : (int)frameNumber, Group(DicomTag.PlanePositionSequence)?.GetDoubles(DicomTag.ImagePositionPatient));
    }

    internal static MdaiClaraException Invalid(DicomFile file, string why) =>
        new($"{file.Path} cannot be read as a segmentation: {why}.", ErrorIds.SegInvalid, ErrorKind.InvalidData, file.Path);
}
