using System;
using System.Collections.Generic;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Imaging.Dicom.Writing;

namespace MdaiClara.Engine.Imaging.Seg;

/// <summary>
/// The Multi-frame Dimension module and the functional groups of a binary SEG: shared Pixel Measures and Plane
/// Orientation (the source series'), and per frame its Derivation Image (the source instance, and frame, it was made
/// from), Frame Content (dimension index values: segment number, then the slice's position index), Plane Position
/// (the source slice's ImagePositionPatient) and Segment Identification.
/// </summary>
internal static class DicomSegFunctionalGroups
{
    /// <summary>
    /// Storage SOP classes whose instances are multi-frame by definition: only a reference to one of them names a frame
    /// (a legacy multi-frame file under a single-frame class, e.g. CT Image Storage, is referenced as a whole).
    /// </summary>
    private static readonly HashSet<string> MultiFrameSopClasses = new(StringComparer.Ordinal)
    {
        "1.2.840.10008.5.1.4.1.1.2.1", "1.2.840.10008.5.1.4.1.1.2.2", "1.2.840.10008.5.1.4.1.1.4.1", "1.2.840.10008.5.1.4.1.1.4.3",
        "1.2.840.10008.5.1.4.1.1.4.4", "1.2.840.10008.5.1.4.1.1.128.1", "1.2.840.10008.5.1.4.1.1.130", "1.2.840.10008.5.1.4.1.1.128.2",
        "1.2.840.10008.5.1.4.1.1.20", "1.2.840.10008.5.1.4.1.1.3.1", "1.2.840.10008.5.1.4.1.1.6.2", "1.2.840.10008.5.1.4.1.1.12.1",
        "1.2.840.10008.5.1.4.1.1.12.1.1", "1.2.840.10008.5.1.4.1.1.12.2", "1.2.840.10008.5.1.4.1.1.12.2.1", "1.2.840.10008.5.1.4.1.1.13.1.1",
        "1.2.840.10008.5.1.4.1.1.13.1.2", "1.2.840.10008.5.1.4.1.1.13.1.3", "1.2.840.10008.5.1.4.1.1.7.1", "1.2.840.10008.5.1.4.1.1.7.2",
        "1.2.840.10008.5.1.4.1.1.7.3", "1.2.840.10008.5.1.4.1.1.7.4", "1.2.840.10008.5.1.4.1.1.481.2", "1.2.840.10008.5.1.4.1.1.66.4",
        "1.2.840.10008.5.1.4.1.1.77.1.6",
    };

    public static void Add(DicomWriteDataset ds, Volume labels, DicomSeriesGeometry geometry, DicomSegFrames frames, string sourceSopClass, string dimensionOrganizationUid)
    {
        ds.AddSequence(DicomWriteTags.DimensionOrganizationSequence, ds.NewItem().Add(DicomWriteTags.DimensionOrganizationUid, dimensionOrganizationUid))
            .Add(DicomWriteTags.DimensionOrganizationType, "3D")
            .AddSequence(
                DicomWriteTags.DimensionIndexSequence,
                ds.NewItem()
                    .Add(DicomWriteTags.DimensionOrganizationUid, dimensionOrganizationUid)
                    .AddTags(DicomWriteTags.DimensionIndexPointer, DicomWriteTags.ReferencedSegmentNumber)
                    .AddTags(DicomWriteTags.FunctionalGroupPointer, DicomWriteTags.SegmentIdentificationSequence)
                    .Add(DicomWriteTags.DimensionDescriptionLabel, "ReferencedSegmentNumber"),
                ds.NewItem()
                    .Add(DicomWriteTags.DimensionOrganizationUid, dimensionOrganizationUid)
                    .AddTags(DicomWriteTags.DimensionIndexPointer, DicomTag.ImagePositionPatient)
                    .AddTags(DicomWriteTags.FunctionalGroupPointer, DicomTag.PlanePositionSequence)
                    .Add(DicomWriteTags.DimensionDescriptionLabel, "ImagePositionPatient"));

        var sliceSpacing = labels.Spacing[2];
        var shared = ds.NewItem()
            .AddSequence(DicomTag.PixelMeasuresSequence, ds.NewItem()
                .AddDecimals(DicomTag.PixelSpacing, geometry.PixelSpacing[0], geometry.PixelSpacing[1])
                .AddDecimals(DicomTag.SliceThickness, sliceSpacing)
                .AddDecimals(DicomTag.SpacingBetweenSlices, sliceSpacing))
            .AddSequence(DicomTag.PlaneOrientationSequence, ds.NewItem()
                .AddDecimals(DicomTag.ImageOrientationPatient, geometry.ImageOrientationPatient));
        ds.AddSequence(DicomTag.SharedFunctionalGroups, shared);

        var perFrame = new List<DicomWriteDataset>(frames.Frames.Count);
        foreach (var frame in frames.Frames)
        {
            var slice = geometry.Slices[frame.Slice];
            var sourceImage = ds.NewItem()
                .Add(DicomWriteTags.ReferencedSopClassUid, sourceSopClass)
                .Add(DicomWriteTags.ReferencedSopInstanceUid, slice.SopInstanceUid)
                .AddCode(DicomWriteTags.PurposeOfReferenceCodeSequence, SegmentDefaults.SourceImagePurpose);
            if (slice.FrameNumber is { } number && MultiFrameSopClasses.Contains(sourceSopClass))
            {
                sourceImage.AddInteger(DicomWriteTags.ReferencedFrameNumber, number);
            }

            perFrame.Add(ds.NewItem()
                .AddSequence(DicomWriteTags.DerivationImageSequence, ds.NewItem()
                    .AddCode(DicomWriteTags.DerivationCodeSequence, SegmentDefaults.DerivationSegmentation)
                    .AddSequence(DicomWriteTags.SourceImageSequence, sourceImage))
                .AddSequence(DicomWriteTags.FrameContentSequence, ds.NewItem()
                    .AddUInt32(DicomWriteTags.DimensionIndexValues, (uint)frame.SegmentNumber, (uint)(frame.Slice + 1)))
                .AddSequence(DicomTag.PlanePositionSequence, ds.NewItem()
                    .AddDecimals(DicomTag.ImagePositionPatient, slice.ImagePositionPatient))
                .AddSequence(DicomWriteTags.SegmentIdentificationSequence, ds.NewItem()
                    .AddUInt16(DicomWriteTags.ReferencedSegmentNumber, (ushort)frame.SegmentNumber)));
        }

        ds.AddSequence(DicomTag.PerFrameFunctionalGroups, perFrame);
    }
}
