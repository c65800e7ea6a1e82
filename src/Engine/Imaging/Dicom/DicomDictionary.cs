using System;
using System.Collections.Generic;
using System.Globalization;

namespace MdaiClara.Engine.Imaging.Dicom;

/// <summary>
/// The value representation and keyword of the standard attributes this engine reads (from DICOM PS3.6), used to decode
/// implicit-VR data sets. It is not the whole dictionary: an unknown attribute of an implicit-VR data set is kept as UN
/// bytes (and an unknown one with undefined length is read as a sequence), which loses nothing.
/// </summary>
public static class DicomDictionary
{
    private static readonly Dictionary<uint, (DicomVR VR, string Keyword)> Entries = Build();

    public static bool TryGet(DicomTag tag, out DicomVR vr, out string keyword)
    {
        if (Entries.TryGetValue(tag.Value, out var entry))
        {
            (vr, keyword) = entry;
            return true;
        }

        if (tag.Element == 0x0000)
        {
            (vr, keyword) = (DicomVR.UL, "GroupLength");
            return true;
        }

        if (tag.IsPrivateCreator)
        {
            (vr, keyword) = (DicomVR.LO, "PrivateCreator");
            return true;
        }

        // Repeating groups: overlays (60xx) and curves (50xx).
        if ((tag.Group & 0xFF00) == 0x6000 && Entries.TryGetValue(0x60000000u | tag.Element, out var overlay))
        {
            (vr, keyword) = overlay;
            return true;
        }

        (vr, keyword) = (DicomVR.UN, string.Empty);
        return false;
    }

    public static string Keyword(DicomTag tag) => TryGet(tag, out _, out var k) ? k : string.Empty;

    private static Dictionary<uint, (DicomVR, string)> Build()
    {
        var table = new Dictionary<uint, (DicomVR, string)>();
        foreach (var line in Table.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var tag = uint.Parse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            table[tag] = (new DicomVR(parts[1][0], parts[1][1]), parts[2]);
        }

        return table;
    }

    // tag VR keyword — VR "xs" (US or SS by PixelRepresentation) is listed as US, "ox" (OB or OW) as OW.
    private const string Table = """
        00020000 UL FileMetaInformationGroupLength
        00020001 OB FileMetaInformationVersion
        00020002 UI MediaStorageSOPClassUID
        00020003 UI MediaStorageSOPInstanceUID
        00020010 UI TransferSyntaxUID
        00020012 UI ImplementationClassUID
        00020013 SH ImplementationVersionName
        00020016 AE SourceApplicationEntityTitle
        00020100 UI PrivateInformationCreatorUID
        00020102 OB PrivateInformation
        00080005 CS SpecificCharacterSet
        00080008 CS ImageType
        00080012 DA InstanceCreationDate
        00080013 TM InstanceCreationTime
        00080014 UI InstanceCreatorUID
        00080016 UI SOPClassUID
        00080018 UI SOPInstanceUID
        00080020 DA StudyDate
        00080021 DA SeriesDate
        00080022 DA AcquisitionDate
        00080023 DA ContentDate
        0008002A DT AcquisitionDateTime
        00080030 TM StudyTime
        00080031 TM SeriesTime
        00080032 TM AcquisitionTime
        00080033 TM ContentTime
        00080050 SH AccessionNumber
        00080060 CS Modality
        00080064 CS ConversionType
        00080068 CS PresentationIntentType
        00080070 LO Manufacturer
        00080080 LO InstitutionName
        00080090 PN ReferringPhysicianName
        00080100 SH CodeValue
        00080102 SH CodingSchemeDesignator
        00080104 LO CodeMeaning
        00080119 UC LongCodeValue
        00081010 SH StationName
        00081030 LO StudyDescription
        0008103E LO SeriesDescription
        00081040 LO InstitutionalDepartmentName
        00081090 LO ManufacturerModelName
        00081110 SQ ReferencedStudySequence
        00081111 SQ ReferencedPerformedProcedureStepSequence
        00081115 SQ ReferencedSeriesSequence
        00081140 SQ ReferencedImageSequence
        0008114A SQ ReferencedInstanceSequence
        00081150 UI ReferencedSOPClassUID
        00081155 UI ReferencedSOPInstanceUID
        00081160 IS ReferencedFrameNumber
        00082111 ST DerivationDescription
        00082112 SQ SourceImageSequence
        00089007 CS FrameType
        00089092 SQ ReferencedImageEvidenceSequence
        00089124 SQ DerivationImageSequence
        00089205 CS PixelPresentation
        00089206 CS VolumetricProperties
        00089207 CS VolumeBasedCalculationTechnique
        00089215 SQ DerivationCodeSequence
        00100010 PN PatientName
        00100020 LO PatientID
        00100030 DA PatientBirthDate
        00100040 CS PatientSex
        00101010 AS PatientAge
        00101020 DS PatientSize
        00101030 DS PatientWeight
        00180010 LO ContrastBolusAgent
        00180015 CS BodyPartExamined
        00180020 CS ScanningSequence
        00180021 CS SequenceVariant
        00180022 CS ScanOptions
        00180023 CS MRAcquisitionType
        00180050 DS SliceThickness
        00180060 DS KVP
        00180080 DS RepetitionTime
        00180081 DS EchoTime
        00180083 DS NumberOfAverages
        00180084 DS ImagingFrequency
        00180087 DS MagneticFieldStrength
        00180088 DS SpacingBetweenSlices
        00180090 DS DataCollectionDiameter
        00181000 LO DeviceSerialNumber
        00181020 LO SoftwareVersions
        00181030 LO ProtocolName
        00181100 DS ReconstructionDiameter
        00181110 DS DistanceSourceToDetector
        00181111 DS DistanceSourceToPatient
        00181120 DS GantryDetectorTilt
        00181130 DS TableHeight
        00181140 CS RotationDirection
        00181150 IS ExposureTime
        00181151 IS XRayTubeCurrent
        00181152 IS Exposure
        00181160 SH FilterType
        00181164 DS ImagerPixelSpacing
        00181210 SH ConvolutionKernel
        00181250 SH ReceiveCoilName
        00181310 US AcquisitionMatrix
        00181314 DS FlipAngle
        00185100 CS PatientPosition
        00185101 CS ViewPosition
        00189074 DT FrameAcquisitionDateTime
        00189151 DT FrameReferenceDateTime
        00189220 FD FrameAcquisitionDuration
        0020000D UI StudyInstanceUID
        0020000E UI SeriesInstanceUID
        00200010 SH StudyID
        00200011 IS SeriesNumber
        00200012 IS AcquisitionNumber
        00200013 IS InstanceNumber
        00200020 CS PatientOrientation
        00200032 DS ImagePositionPatient
        00200037 DS ImageOrientationPatient
        00200052 UI FrameOfReferenceUID
        00200060 CS Laterality
        00200100 IS TemporalPositionIdentifier
        00200105 IS NumberOfTemporalPositions
        00201040 LO PositionReferenceIndicator
        00201041 DS SliceLocation
        00204000 LT ImageComments
        00209056 SH StackID
        00209057 UL InStackPositionNumber
        00209071 SQ FrameAnatomySequence
        00209111 SQ FrameContentSequence
        00209113 SQ PlanePositionSequence
        00209116 SQ PlaneOrientationSequence
        00209128 UL TemporalPositionIndex
        00209157 UL DimensionIndexValues
        00209164 UI DimensionOrganizationUID
        00209165 AT DimensionIndexPointer
        00209167 AT FunctionalGroupPointer
        00209221 SQ DimensionOrganizationSequence
        00209222 SQ DimensionIndexSequence
        00209311 CS DimensionOrganizationType
        00209421 LO DimensionDescriptionLabel
        00280002 US SamplesPerPixel
        00280004 CS PhotometricInterpretation
        00280006 US PlanarConfiguration
        00280008 IS NumberOfFrames
        00280009 AT FrameIncrementPointer
        00280010 US Rows
        00280011 US Columns
        00280030 DS PixelSpacing
        00280034 IS PixelAspectRatio
        00280100 US BitsAllocated
        00280101 US BitsStored
        00280102 US HighBit
        00280103 US PixelRepresentation
        00280106 US SmallestImagePixelValue
        00280107 US LargestImagePixelValue
        00280120 US PixelPaddingValue
        00280121 US PixelPaddingRangeLimit
        00280300 CS QualityControlImage
        00280301 CS BurnedInAnnotation
        00281040 CS PixelIntensityRelationship
        00281041 SS PixelIntensityRelationshipSign
        00281050 DS WindowCenter
        00281051 DS WindowWidth
        00281052 DS RescaleIntercept
        00281053 DS RescaleSlope
        00281054 LO RescaleType
        00281055 LO WindowCenterWidthExplanation
        00281101 US RedPaletteColorLookupTableDescriptor
        00281102 US GreenPaletteColorLookupTableDescriptor
        00281103 US BluePaletteColorLookupTableDescriptor
        00281201 OW RedPaletteColorLookupTableData
        00281202 OW GreenPaletteColorLookupTableData
        00281203 OW BluePaletteColorLookupTableData
        00282110 CS LossyImageCompression
        00282112 DS LossyImageCompressionRatio
        00282114 CS LossyImageCompressionMethod
        00283000 SQ ModalityLUTSequence
        00283002 US LUTDescriptor
        00283003 LO LUTExplanation
        00283004 LO ModalityLUTType
        00283006 US LUTData
        00283010 SQ VOILUTSequence
        00289110 SQ PixelMeasuresSequence
        00289132 SQ FrameVOILUTSequence
        00289145 SQ PixelValueTransformationSequence
        00321060 LO RequestedProcedureDescription
        00400244 DA PerformedProcedureStepStartDate
        00400245 TM PerformedProcedureStepStartTime
        00400253 SH PerformedProcedureStepID
        00400254 LO PerformedProcedureStepDescription
        00409096 SQ RealWorldValueMappingSequence
        00409210 SH LUTLabel
        00409211 US RealWorldValueLastValueMapped
        00409216 US RealWorldValueFirstValueMapped
        00409224 FD RealWorldValueIntercept
        00409225 FD RealWorldValueSlope
        0040A170 SQ PurposeOfReferenceCodeSequence
        0040A730 SQ ContentSequence
        00540081 US NumberOfSlices
        00541001 CS Units
        00541002 CS CountsSource
        00541102 CS DecayCorrection
        00541300 DS FrameReferenceTime
        00620001 CS SegmentationType
        00620002 SQ SegmentSequence
        00620003 SQ SegmentedPropertyCategoryCodeSequence
        00620004 US SegmentNumber
        00620005 LO SegmentLabel
        00620006 ST SegmentDescription
        00620007 SQ SegmentationAlgorithmIdentificationSequence
        00620008 CS SegmentAlgorithmType
        00620009 LO SegmentAlgorithmName
        0062000A SQ SegmentIdentificationSequence
        0062000B US ReferencedSegmentNumber
        0062000D US RecommendedDisplayCIELabValue
        0062000F SQ SegmentedPropertyTypeCodeSequence
        00620013 CS SegmentsOverlap
        0066002F SQ AlgorithmFamilyCodeSequence
        00660031 LO AlgorithmVersion
        00660032 LT AlgorithmParameters
        00660036 LO AlgorithmName
        00700080 CS ContentLabel
        00700081 LO ContentDescription
        00700084 PN ContentCreatorName
        30040002 CS DoseUnits
        30040004 CS DoseType
        3004000A CS DoseSummationType
        3004000C DS GridFrameOffsetVector
        3004000E DS DoseGridScaling
        30060020 SQ StructureSetROISequence
        30060039 SQ ROIContourSequence
        30060040 SQ ContourSequence
        30060050 DS ContourData
        300A0000 UL RTPlanGroupLength
        52009229 SQ SharedFunctionalGroupsSequence
        52009230 SQ PerFrameFunctionalGroupsSequence
        60000010 US OverlayRows
        60000011 US OverlayColumns
        60000040 CS OverlayType
        60000050 SS OverlayOrigin
        60000100 US OverlayBitsAllocated
        60000102 US OverlayBitPosition
        60003000 OW OverlayData
        7FE00001 OV ExtendedOffsetTable
        7FE00002 OV ExtendedOffsetTableLengths
        7FE00008 OF FloatPixelData
        7FE00009 OD DoubleFloatPixelData
        7FE00010 OW PixelData
        FFFAFFFA SQ DigitalSignaturesSequence
        FFFCFFFC OB DataSetTrailingPadding
        """;
}
