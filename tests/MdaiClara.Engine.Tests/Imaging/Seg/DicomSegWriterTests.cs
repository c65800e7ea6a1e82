using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Imaging.Dicom.Writing;
using MdaiClara.Engine.Imaging.Seg;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Imaging.Seg;

/// <summary>
/// Every orientation the fixtures cover, through the whole chain: a label map on the series grid → SEG → dciodvfy (no
/// errors), pydicom (frames placed in patient space by the SEG's own geometry equal the rule; positions equal the
/// referenced source instances'), and our own reader back onto the series (equal voxel for voxel).
/// </summary>
public class DicomSegWriterTests
{
    private static readonly DicomSegOptions Options = new()
    {
        ClassNames = new Dictionary<int, string> { [1] = "liver", [2] = "empty class", [3] = "tumour" },
        AlgorithmName = "clara_pt_phantom_ct_segmentation",
        AlgorithmVersion = "Clara 4.1.0",
        ModelSha256 = new string('a', 64),
        SeriesNumber = 77,
        SeriesDescription = "Phantom segmentation",
    };

    public static IEnumerable<object[]> SeriesCases => DicomSegTestData.SeriesCases;

    [Theory]
    [MemberData(nameof(SeriesCases))]
    public void EveryOrientationRoundTripsThroughDciodvfyPydicomAndOurReader(string series)
    {
        var source = DicomSegTestData.Source(series);
        var labels = DicomSegTestData.Labels(source);
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "seg.dcm");
        var result = DicomSegWriter.Write(labels, Options, path, CancellationToken.None);

        Assert.Equal(2, result.Segments);
        Assert.Equal(new FileInfo(path).Length, result.Bytes);
        Assert.Equal(source.Dicom!.StudyInstanceUid, result.StudyInstanceUid);
        Assert.StartsWith("2.25.", result.SeriesInstanceUid, StringComparison.Ordinal);
        var voxels = labels.GetVoxels<byte>();
        var expectedFrames = Enumerable.Range(0, (int)labels.Shape[2]).Sum(k =>
            new byte[] { 1, 3 }.Count(v => voxels.Skip(k * (int)(labels.Shape[0] * labels.Shape[1])).Take((int)(labels.Shape[0] * labels.Shape[1])).Contains(v)));
        Assert.Equal(expectedFrames, result.Frames);

        // Our reader, onto the source series: the label map written, voxel for voxel, with the series' geometry.
        var back = DicomSegReader.Read(path, source);
        Assert.Equal(labels.Shape, back.Shape);
        Assert.Equal(voxels, back.GetVoxels<byte>());
        Assert.Equal(source.Affine, back.Affine);
        Assert.Equal("SEG", back.Modality);

        // dciodvfy: a Segmentation IOD with no errors.
        var verdict = ToolPeer.Run("dciodvfy", "dicom3tools", path);
        var errors = verdict.All.Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, $"dciodvfy found errors in the SEG of {series}:\n{verdict.All}");
        Assert.Contains("Segmentation", verdict.All, StringComparison.Ordinal);

        // pydicom, judging frames by the rule in patient space and against the source files.
        var c = DicomSegTestData.CenterLps(source);
        var json = PythonPeer.Run(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "tests", "tools", "check_dicom_seg.py")),
            path, DicomSegTestData.Folder(series), F(c[0]), F(c[1]), F(c[2]), F(DicomSegTestData.Q));
        var check = JsonDocument.Parse(json).RootElement;
        Assert.Equal(result.Frames, check.GetProperty("frames").GetInt32());
        Assert.Equal(new[] { 1, 3 }, check.GetProperty("labels").EnumerateArray().Select(e => e.GetInt32()));
        Assert.True(check.GetProperty("judged_pixels").GetInt64() > result.Frames * labels.Shape[0] * labels.Shape[1] / 2, json);
        Assert.Equal(0, check.GetProperty("bad_pixels").GetInt64());
        Assert.Equal(0, check.GetProperty("position_mismatches").GetInt32());
        Assert.Equal(0, check.GetProperty("missing_frames").GetInt32());
        Assert.Equal(DicomPart10Writer.ExplicitVrLittleEndian, check.GetProperty("transfer_syntax").GetString());
        Assert.Equal(DicomImplementation.ClassUid, check.GetProperty("implementation_class_uid").GetString());
        if (source.Dicom.Slices.All(s => s.FrameNumber is null))
        {
            Assert.Equal(result.Frames, check.GetProperty("referenced_single_frame").GetInt32());
        }
    }

    [Fact]
    public void WithoutTheSourceSeriesTheGridSpansTheSegmentedSlicesAtTheirPositions()
    {
        var source = DicomSegTestData.Source("dicom/series/oblique");
        var labels = DicomSegTestData.Labels(source);
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "seg.dcm");
        DicomSegWriter.Write(labels, Options, path, CancellationToken.None);

        var back = DicomSegReader.Read(path, reference: null);
        var voxels = labels.GetVoxels<byte>();
        var sliceSize = (int)(labels.Shape[0] * labels.Shape[1]);
        var segmented = Enumerable.Range(0, (int)labels.Shape[2]).Where(k => voxels.Skip(k * sliceSize).Take(sliceSize).Any(v => v != 0)).ToList();
        Assert.Equal(segmented.Count, back.Shape[2]);
        Assert.Contains(back.Warnings, w => w.Contains("without its source series", StringComparison.Ordinal));
        var first = segmented[0];
        Assert.Equal(voxels.Skip(first * sliceSize).Take(segmented.Count * sliceSize), back.GetVoxels<byte>());
        // Voxel 0 of the read-back grid is voxel (0, 0, first) of the source.
        var expected = source.Affine.ToArray();
        var got = back.Affine.ToArray();
        for (var r = 0; r < 3; r++)
        {
            var origin = expected[(r * 4) + 3] + (expected[(r * 4) + 2] * first);
            Assert.Equal(origin, got[(r * 4) + 3], 6);
        }
    }

    [Fact]
    public void SegmentMapNamesCodesAndColoursTheSegmentsAndUidsFollowTheRoot()
    {
        var source = DicomSegTestData.Source("dicom/series/axial_hfs");
        var labels = DicomSegTestData.Labels(source);
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "seg.dcm");
        var options = Options with
        {
            UidRoot = "1.2.826.0.1.3680043.10.1234",
            Segments = new Dictionary<int, SegmentDescription>
            {
                [3] = new() { Label = "Spleen", Category = new DicomCode("123037004", "SCT", "Anatomical Structure"), Type = new DicomCode("78961009", "SCT", "Spleen"), Color = new SegmentColor(255, 0, 0) },
            },
        };
        var result = DicomSegWriter.Write(labels, options, path, CancellationToken.None);
        Assert.StartsWith("1.2.826.0.1.3680043.10.1234.", result.SopInstanceUid, StringComparison.Ordinal);
        Assert.True(result.SopInstanceUid.Length <= 64);

        var ds = DicomFileReader.Read(path).Dataset;
        var segments = ds.GetSequence(DicomWriteTags.SegmentSequence);
        Assert.Equal(new[] { "liver", "Spleen" }, segments.Select(s => s.GetString(DicomWriteTags.SegmentLabel)));
        Assert.Equal("78961009", segments[1].GetItem(DicomWriteTags.SegmentedPropertyTypeCodeSequence)!.GetString(DicomWriteTags.CodeValue));
        Assert.Equal("113343008", segments[0].GetItem(DicomWriteTags.SegmentedPropertyTypeCodeSequence)!.GetString(DicomWriteTags.CodeValue));
        Assert.Equal("AUTOMATIC", segments[0].GetString(DicomWriteTags.SegmentAlgorithmType));
        var algorithm = segments[0].GetItem(DicomWriteTags.SegmentationAlgorithmIdentificationSequence)!;
        Assert.Equal("clara_pt_phantom_ct_segmentation", algorithm.GetString(DicomWriteTags.AlgorithmName));
        Assert.Equal("Clara 4.1.0", algorithm.GetString(DicomWriteTags.AlgorithmVersion));
        Assert.Contains(new string('a', 64), algorithm.GetString(DicomWriteTags.AlgorithmParameters), StringComparison.Ordinal);
        // Pure red in CIELab (D65): L* 53.24, a* 80.09, b* 67.20; scaled: L* × 65535 / 100, (a* + 128) × 65535 / 255.
        var lab = Enumerable.Range(0, 3).Select(i => ds.GetSequence(DicomWriteTags.SegmentSequence)[1].GetInteger(DicomWriteTags.RecommendedDisplayCieLabValue, i)!.Value).ToArray();
        Assert.InRange(lab[0], 34880, 34900);
        Assert.InRange(lab[1], 53470, 53490);
        Assert.InRange(lab[2], 50155, 50180);
        Assert.Equal("77", ds.GetString(DicomTag.SeriesNumber));
        Assert.Equal("Phantom segmentation", ds.GetString(DicomTag.SeriesDescription));
        Assert.Equal("FIX-axial_hfs", ds.GetString(DicomTag.PatientId));
        Assert.Equal("Fixture^axial_hfs", ds.GetString(DicomTag.PatientName));
        Assert.Equal(source.Dicom!.FrameOfReferenceUid, ds.GetString(DicomTag.FrameOfReferenceUid));
        Assert.Equal("MdaiClara", ds.GetString(DicomWriteTags.Manufacturer));
        Assert.Equal(DicomImplementation.SoftwareVersion, ds.GetString(DicomWriteTags.SoftwareVersions));

        var back = DicomSegReader.Read(path, source);
        Assert.Equal(labels.GetVoxels<byte>(), back.GetVoxels<byte>());
    }

    [Fact]
    public void BadInputsAreClearErrors()
    {
        var source = DicomSegTestData.Source("dicom/series/axial_hfs");
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "seg.dcm");
        var empty = new Volume(new byte[source.VoxelCount], source.Shape.ToArray(), source.Affine, "empty") { Dicom = source.Dicom };
        Assert.Equal(ErrorIds.SegLabelsInvalid, Assert.Throws<MdaiClaraException>(() => DicomSegWriter.Write(empty, Options, path, CancellationToken.None)).ErrorId);

        var nifti = new Volume(new byte[source.VoxelCount], source.Shape.ToArray(), source.Affine, "x.nii.gz");
        Assert.Equal(ErrorIds.SegSourceNotDicom, Assert.Throws<MdaiClaraException>(() => DicomSegWriter.Write(nifti, Options, path, CancellationToken.None)).ErrorId);

        var negative = new short[source.VoxelCount];
        negative[5] = -1;
        var signed = new Volume(negative, source.Shape.ToArray(), source.Affine, "signed") { Dicom = source.Dicom };
        var ex = Assert.Throws<MdaiClaraException>(() => DicomSegWriter.Write(signed, Options, path, CancellationToken.None));
        Assert.Equal(ErrorIds.SegLabelsInvalid, ex.ErrorId);
        Assert.Contains("(5, 0, 0) is -1", ex.Message, StringComparison.Ordinal);

        var labels = DicomSegTestData.Labels(source);
        Assert.Equal(ErrorIds.DicomUidRootInvalid, Assert.Throws<MdaiClaraException>(() => DicomSegWriter.Write(labels, Options with { UidRoot = "1.02.3" }, path, CancellationToken.None)).ErrorId);
        var longLabel = Options with { ClassNames = new Dictionary<int, string> { [1] = new string('x', 65) } };
        Assert.Equal(ErrorIds.DicomWriteValueInvalid, Assert.Throws<MdaiClaraException>(() => DicomSegWriter.Write(labels, longLabel, path, CancellationToken.None)).ErrorId);
        Assert.False(File.Exists(path));

        DicomSegWriter.Write(labels, Options, path, CancellationToken.None);
        var other = DicomSegTestData.Source("dicom/series/coronal");
        Assert.Equal(ErrorIds.SegReferenceMismatch, Assert.Throws<MdaiClaraException>(() => DicomSegReader.Read(path, other)).ErrorId);
        Assert.Equal(ErrorIds.SegInvalid, Assert.Throws<MdaiClaraException>(() => DicomSegReader.Read(Directory.GetFiles(DicomSegTestData.Folder("dicom/series/axial_hfs"), "*.dcm")[0], null)).ErrorId);
    }

    [Fact]
    public void ASegWithoutOurLabelValuesReadsSegmentNumbersAndFramesPlacedByPositionWhenReferencesAreGone()
    {
        var source = DicomSegTestData.Source("dicom/series/sagittal");
        var labels = DicomSegTestData.Labels(source);
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "seg.dcm");
        DicomSegWriter.Write(labels, Options, path, CancellationToken.None);
        var other = Path.Combine(temp.Path, "other.dcm");

        // As another writer would make it: no private label values, and source references that name no instance we have.
        PythonPeer.Run("""
            import sys, pydicom
            ds = pydicom.dcmread(sys.argv[1])
            for item in ds.SegmentSequence:
                for tag in [t for t in item.keys() if t.group == 0x0063]:
                    del item[tag]
            for item in ds.PerFrameFunctionalGroupsSequence:
                item.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID = "1.2.3.4"
            ds.save_as(sys.argv[2])
            """, path, other);
        var back = DicomSegReader.Read(other, source);
        var expected = labels.GetVoxels<byte>().Select(v => v == 3 ? (byte)2 : v).ToArray();
        Assert.Equal(expected, back.GetVoxels<byte>());
    }

    [Fact]
    public void LabelMapsOfOtherIntegerAndFloatTypesWriteTheSameFrames()
    {
        var source = DicomSegTestData.Source("dicom/series/coronal");
        var labels = DicomSegTestData.Labels(source);
        var values = labels.GetVoxels<byte>();
        using var temp = new TempDirectory();
        foreach (var buffer in new Array[] { values.Select(v => (int)v).ToArray(), values.Select(v => (ushort)v).ToArray(), values.Select(v => (float)v).ToArray() })
        {
            var typed = new Volume(buffer, labels.Shape.ToArray(), labels.Affine, "typed") { Dicom = labels.Dicom };
            var path = Path.Combine(temp.Path, buffer.GetType().Name + ".dcm");
            var written = DicomSegWriter.Write(typed, Options, path, CancellationToken.None);
            Assert.Equal(2, written.Segments);
            Assert.Equal(values, DicomSegReader.Read(path, source).GetVoxels<byte>());
        }
    }

    [Fact]
    public void ATruncatedSegIsAClearError()
    {
        var source = DicomSegTestData.Source("dicom/series/axial_hfs");
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "seg.dcm");
        DicomSegWriter.Write(DicomSegTestData.Labels(source), Options, path, CancellationToken.None);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 20)]);
        var ex = Assert.Throws<MdaiClaraException>(() => DicomSegReader.Read(path, source));
        Assert.Contains(ex.ErrorId, new[] { ErrorIds.DicomTruncated, ErrorIds.DicomPixelDataInvalid, ErrorIds.SegInvalid });
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
