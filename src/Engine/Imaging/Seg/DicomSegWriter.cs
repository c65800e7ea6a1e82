using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Imaging.Dicom.Writing;

namespace MdaiClara.Engine.Imaging.Seg;

/// <summary>
/// Writes a label map on a DICOM series' grid as a binary Segmentation object (PS3.3 A.51): the source's Patient,
/// Study and Frame of Reference, a new series (Modality SEG), MdaiClara as the equipment, one segment per label value
/// present, and one 1-bit frame per non-empty (segment, slice) pair that references its source instance and lies where
/// that instance lies (Plane Position, Plane Orientation, Pixel Measures), organised on (Referenced Segment Number,
/// Image Position Patient). Explicit VR Little Endian, written atomically.
/// </summary>
public static class DicomSegWriter
{
    /// <summary>Segmentation Storage.</summary>
    public const string SegmentationSopClassUid = DicomInstanceHeader.SegmentationStorage;

    /// <summary>The private block that records each segment's label value, so MdaiClara reads the label map back as written.</summary>
    internal const string PrivateCreator = "MDAICLARA SEG";

    internal static readonly DicomTag PrivateCreatorTag = new(0x0063, 0x0010);
    internal static readonly DicomTag LabelValueTag = new(0x0063, 0x1000);

    public static DicomSegResult Write(Volume labels, DicomSegOptions options, string path, CancellationToken ct)
    {
        var geometry = CheckLabels(labels);
        var uidRoot = options.UidRoot;
        if (uidRoot is not null)
        {
            DicomUids.CheckRoot(uidRoot);
        }

        var frames = DicomSegFrames.From(labels, ct);
        if (frames.Frames.Count == 0)
        {
            throw new MdaiClaraException(
                $"The label map of {DicomSegSource.Describe(geometry)} is empty (every voxel is 0): a segmentation needs at least one segmented voxel.",
                ErrorIds.SegLabelsInvalid, ErrorKind.InvalidData, labels.Source);
        }

        var segments = frames.LabelValues.Select((v, n) => Describe(v, n + 1, options)).ToList();
        var source = DicomSegSource.Of(geometry);
        var unicode = source.NeedsUnicode(segments.SelectMany(s => new[] { s.Label, s.Description, s.Category?.Meaning, s.Type?.Meaning })
            .Concat(new[] { options.SeriesDescription, options.AlgorithmName, options.AlgorithmVersion, options.DeviceSerialNumber }).ToArray());
        var ds = new DicomWriteDataset(DicomSegSource.EncodingFor(unicode));
        var sopInstanceUid = DicomUids.New(uidRoot);
        var seriesInstanceUid = DicomUids.New(uidRoot);
        var now = DateTime.Now;

        // SOP Common, Patient, General Study, General Series / Segmentation Series, Frame of Reference.
        if (unicode)
        {
            ds.Add(DicomTag.SpecificCharacterSet, "ISO_IR 192");
        }

        ds.Add(DicomTag.SopClassUid, SegmentationSopClassUid)
            .Add(DicomTag.SopInstanceUid, sopInstanceUid)
            .Add(DicomWriteTags.InstanceCreationDate, Date(now))
            .Add(DicomWriteTags.InstanceCreationTime, Time(now));
        foreach (var tag in new[]
        {
            DicomTag.PatientName, DicomTag.PatientId, DicomWriteTags.PatientBirthDate, DicomWriteTags.PatientSex, DicomTag.StudyDate,
            DicomWriteTags.StudyTime, DicomWriteTags.ReferringPhysicianName, DicomWriteTags.StudyId, DicomWriteTags.AccessionNumber,
            DicomWriteTags.StudyDescription, DicomWriteTags.PositionReferenceIndicator,
        })
        {
            source.CopyTo(ds, tag);
        }

        var frameOfReference = source.Get(DicomTag.FrameOfReferenceUid) ?? throw new MdaiClaraException(
            $"{DicomSegSource.Describe(geometry)} has no FrameOfReferenceUID (0020,0052): a segmentation's frames cannot be placed in its patient space without one.",
            ErrorIds.SegSourceNotDicom, ErrorKind.InvalidData, labels.Source);
        var sourceSopClass = source.Get(DicomTag.SopClassUid) ?? throw new MdaiClaraException(
            $"{DicomSegSource.Describe(geometry)} has no SOPClassUID (0008,0016) to reference its images by.",
            ErrorIds.SegSourceNotDicom, ErrorKind.InvalidData, labels.Source);
        ds.Add(DicomTag.StudyInstanceUid, geometry.StudyInstanceUid)
            .Add(DicomTag.SeriesInstanceUid, seriesInstanceUid)
            .AddInteger(DicomTag.SeriesNumber, options.SeriesNumber)
            .Add(DicomTag.SeriesDescription, options.SeriesDescription)
            .Add(DicomWriteTags.SeriesDate, Date(now))
            .Add(DicomWriteTags.SeriesTime, Time(now))
            .Add(DicomTag.Modality, "SEG")
            .Add(DicomTag.FrameOfReferenceUid, frameOfReference);

        // General and Enhanced General Equipment.
        ds.Add(DicomWriteTags.Manufacturer, DicomImplementation.Manufacturer)
            .Add(DicomWriteTags.ManufacturerModelName, DicomImplementation.Manufacturer)
            .Add(DicomWriteTags.DeviceSerialNumber, Truncate(options.DeviceSerialNumber ?? Environment.MachineName, 64))
            .Add(DicomWriteTags.SoftwareVersions, DicomImplementation.SoftwareVersion);

        // General Image, Segmentation Image (Content Identification), Image Pixel, Multi-frame Functional Groups.
        var rows = geometry.Rows;
        var columns = geometry.Columns;
        ds.Add(DicomTag.ImageType, "DERIVED", "PRIMARY")
            .AddInteger(DicomTag.InstanceNumber, 1)
            .Add(DicomWriteTags.ContentDate, Date(now))
            .Add(DicomWriteTags.ContentTime, Time(now))
            .Add(DicomWriteTags.ContentLabel, options.ContentLabel)
            .Add(DicomWriteTags.ContentDescription, Truncate(options.SeriesDescription, 64))
            .Add(DicomWriteTags.ContentCreatorName, (string?)null)
            .AddUInt16(DicomTag.SamplesPerPixel, 1)
            .Add(DicomTag.PhotometricInterpretation, "MONOCHROME2")
            .AddInteger(DicomTag.NumberOfFrames, frames.Frames.Count)
            .AddUInt16(DicomTag.Rows, (ushort)rows)
            .AddUInt16(DicomTag.Columns, (ushort)columns)
            .AddUInt16(DicomTag.BitsAllocated, 1)
            .AddUInt16(DicomTag.BitsStored, 1)
            .AddUInt16(DicomTag.HighBit, 0)
            .AddUInt16(DicomTag.PixelRepresentation, 0)
            .Add(DicomWriteTags.LossyImageCompression, "00")
            .Add(DicomWriteTags.SegmentationType, "BINARY")
            .Add(DicomWriteTags.SegmentsOverlap, "NO");

        ds.AddSequence(DicomWriteTags.SegmentSequence, segments.Select((s, n) => SegmentItem(ds, s, n + 1, frames.LabelValues[n], options)).ToList());
        DicomSegFunctionalGroups.Add(ds, labels, geometry, frames, sourceSopClass, DicomUids.New(uidRoot));

        // Common Instance Reference: every source instance the frames reference, under the source series.
        var referenced = frames.Frames.Select(f => geometry.Slices[f.Slice].SopInstanceUid).Distinct(StringComparer.Ordinal).ToList();
        var instances = referenced.Select(uid => ds.NewItem().Add(DicomWriteTags.ReferencedSopClassUid, sourceSopClass).Add(DicomWriteTags.ReferencedSopInstanceUid, uid)).ToList();
        ds.AddSequence(DicomWriteTags.ReferencedSeriesSequence, ds.NewItem()
            .AddSequence(DicomWriteTags.ReferencedInstanceSequence, instances)
            .Add(DicomTag.SeriesInstanceUid, geometry.SeriesInstanceUid));

        ds.AddBytes(DicomTag.PixelData, DicomVR.OB, frames.PixelData);
        var bytes = DicomPart10Writer.Write(path, ds, ct);
        return new DicomSegResult(System.IO.Path.GetFullPath(path), sopInstanceUid, seriesInstanceUid, geometry.StudyInstanceUid, frames.Frames.Count, segments.Count, bytes);
    }

    private static DicomSeriesGeometry CheckLabels(Volume labels)
    {
        var geometry = labels.Dicom ?? throw new MdaiClaraException(
            $"{labels.Source} is not on a DICOM series' grid: a segmentation references the instances of the series it was made from, so the label map must come from a DICOM series (an inference result of a series, or a label volume read with its series geometry).",
            ErrorIds.SegSourceNotDicom, ErrorKind.InvalidArgument, labels.Source);
        if (labels.Shape.Count != 3 || labels.Shape[0] != geometry.Columns || labels.Shape[1] != geometry.Rows || labels.Shape[2] != geometry.Slices.Count)
        {
            throw new MdaiClaraException(
                $"{labels.Source} is {string.Join("×", labels.Shape)} but its series is {geometry.Columns}×{geometry.Rows}×{geometry.Slices.Count} (columns × rows × slices): a segmentation's frames must line up with the series' images pixel for pixel.",
                ErrorIds.SegLabelsInvalid, ErrorKind.InvalidData, labels.Source);
        }

        return geometry;
    }

    private static SegmentDescription Describe(int labelValue, int segmentNumber, DicomSegOptions options)
    {
        options.Segments.TryGetValue(labelValue, out var given);
        var name = given?.Label ?? (options.ClassNames.TryGetValue(labelValue, out var n) && n.Length > 0 ? n : $"label {labelValue}");
        return new SegmentDescription
        {
            Label = name,
            Category = given?.Category ?? SegmentDefaults.Category,
            Type = given?.Type ?? SegmentDefaults.Type,
            Color = given?.Color ?? SegmentDefaults.ColorOf(segmentNumber),
            Description = given?.Description,
        };
    }

    private static DicomWriteDataset SegmentItem(DicomWriteDataset ds, SegmentDescription segment, int number, int labelValue, DicomSegOptions options)
    {
        var algorithm = ds.NewItem()
            .AddCode(DicomWriteTags.AlgorithmFamilyCodeSequence, SegmentDefaults.AlgorithmFamily)
            .Add(DicomWriteTags.AlgorithmName, Truncate(options.AlgorithmName, 64))
            .Add(DicomWriteTags.AlgorithmVersion, Truncate(options.AlgorithmVersion ?? "unknown", 64));
        if (options.ModelSha256 is { Length: > 0 } sha)
        {
            algorithm.Add(DicomWriteTags.AlgorithmParameters, $"TorchScript SHA-256: {sha}");
        }

        var item = ds.NewItem()
            .AddCode(DicomWriteTags.SegmentedPropertyCategoryCodeSequence, segment.Category!)
            .AddUInt16(DicomWriteTags.SegmentNumber, (ushort)number)
            .Add(DicomWriteTags.SegmentLabel, segment.Label)
            .AddSequence(DicomWriteTags.SegmentationAlgorithmIdentificationSequence, algorithm)
            .Add(DicomWriteTags.SegmentAlgorithmType, "AUTOMATIC")
            .Add(DicomWriteTags.SegmentAlgorithmName, Truncate(options.AlgorithmName, 64))
            .AddUInt16(DicomWriteTags.RecommendedDisplayCieLabValue, SegmentDefaults.ToDicomLab(segment.Color!.Value))
            .AddCode(DicomWriteTags.SegmentedPropertyTypeCodeSequence, segment.Type!)
            .AddText(PrivateCreatorTag, DicomVR.LO, PrivateCreator)
            .AddUInt16(LabelValueTag, DicomVR.US, (ushort)labelValue);
        if (segment.Description is { Length: > 0 } description)
        {
            item.Add(DicomWriteTags.SegmentDescription, description);
        }

        return item;
    }

    private static string Date(DateTime t) => t.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string Time(DateTime t) => t.ToString("HHmmss", CultureInfo.InvariantCulture);

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
