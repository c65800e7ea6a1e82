using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Imaging.Nifti;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Imaging.Dicom;

public class DicomSeriesAssemblerTests
{
    private static string SeriesFixtures => Path.Combine(TestPaths.Fixtures, "dicom", "series");

    public static IEnumerable<object[]> Cases() =>
        Directory.GetFiles(Path.Combine(TestPaths.Fixtures, "dicom", "series"), "*.json")
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .OrderBy(n => n, StringComparer.Ordinal)
            .Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryOrientationLandsWhereTheTruthSays(string name)
    {
        var truth = JsonDocument.Parse(File.ReadAllText(Path.Combine(SeriesFixtures, name + ".json"))).RootElement;
        var scan = DicomSeriesAssembler.Scan(Directory.GetFiles(Path.Combine(SeriesFixtures, name)));
        var series = Assert.Single(scan.Series);
        Assert.Empty(scan.Skipped);

        if (truth.GetProperty("expect_error").ValueKind == JsonValueKind.String)
        {
            var ex = Assert.Throws<MdaiClaraException>(() => DicomSeriesAssembler.Assemble(series));
            Assert.Equal(ErrorIds.DicomSeriesInconsistent, ex.ErrorId);
            Assert.Contains(truth.GetProperty("expect_error").GetString()!, ex.Message);
            return;
        }

        var volume = DicomSeriesAssembler.Assemble(series);

        var shape = truth.GetProperty("shape_col_row_slice").EnumerateArray().Select(v => v.GetInt64()).ToArray();
        Assert.Equal(shape, volume.Shape);
        var affine = new Affine(truth.GetProperty("affine_ras").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetDouble())).ToArray());
        Assert.True(volume.Affine.MaxAbsDifference(affine) < 1e-4, $"affine {volume.Affine} vs truth {affine}");
        var expected = truth.GetProperty("values_slice_row_col").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(expected, Npy.ToDoubles(volume.GetVoxels()));
        Assert.Equal(Enum.Parse<VoxelType>(truth.GetProperty("dtype").GetString()!, ignoreCase: true), volume.DataType);

        if (truth.GetProperty("expect_warning").ValueKind == JsonValueKind.String)
        {
            Assert.Contains(volume.Warnings, w => w.Contains(truth.GetProperty("expect_warning").GetString()!, StringComparison.Ordinal));
        }
        else
        {
            Assert.Empty(volume.Warnings);
        }

        // Slice k of the volume is the instance the truth puts there: results map back by position.
        var instances = truth.GetProperty("instances_in_geometric_order").EnumerateArray().Select(v => v.GetString()!).ToArray();
        if (instances.Length > 0)
        {
            Assert.Equal(instances, volume.Dicom!.Slices.Select(s => s.SopInstanceUid));
        }

        var frames = truth.GetProperty("frames_in_geometric_order").EnumerateArray().Select(v => (int?)v.GetInt32()).ToArray();
        if (frames.Length > 0)
        {
            Assert.Equal(frames, volume.Dicom!.Slices.Select(s => s.FrameNumber));
        }
    }

    [Theory]
    [InlineData("dcm_ct_s16")]
    [InlineData("dcm_ct_u12")]
    public void GoldenSeriesGiveTheExactHuVolumeAndAffine(string name)
    {
        var folder = Path.Combine(TestPaths.Fixtures, "dicom", "golden_series", name);
        var reference = Npy.Read(Path.Combine(folder, "volume_hu_slice_row_col.npy.gz"));
        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "series.json"))).RootElement;
        var affine = new Affine(json.GetProperty("affine_ras_col_row_slice").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetDouble())).ToArray());

        var volume = DicomSeriesAssembler.Assemble(DicomSeriesAssembler.Scan(Directory.GetFiles(Path.Combine(folder, "dicom"))).Series.Single());

        Assert.Equal(VoxelType.Int16, volume.DataType);
        Assert.Equal(reference.Values, Npy.ToDoubles(volume.GetVoxels()));
        Assert.True(volume.Affine.MaxAbsDifference(affine) < 1e-4);
        Assert.Equal(json.GetProperty("SeriesInstanceUID").GetString(), volume.Dicom!.SeriesInstanceUid);
    }

    [Theory]
    [InlineData("dcm_ct_s16")]
    [InlineData("dcm_ct_u12")]
    public void GoldenSeriesMatchDcm2niixInWorldSpace(string name)
    {
        var folder = Path.Combine(TestPaths.Fixtures, "dicom", "golden_series", name);
        var ours = DicomSeriesAssembler.Assemble(DicomSeriesAssembler.Scan(Directory.GetFiles(Path.Combine(folder, "dicom"))).Series.Single());
        var theirs = NiftiReader.Read(Path.Combine(folder, "dcm2niix.nii.gz"));

        WorldSpace.AssertSameImage(ours, theirs, affineTolerance: 1e-4);
    }

    [Fact]
    public void TheSamplePhantomSeriesIsTheSampleNifti()
    {
        var dicom = DicomSeriesAssembler.Assemble(DicomSeriesAssembler.Scan(Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "samples", "phantom", "dicom"))).Series.Single());
        var nifti = NiftiReader.Read(Path.Combine(TestPaths.RepoRoot, "samples", "phantom", "phantom_ct.nii.gz"));

        WorldSpace.AssertSameImage(dicom, nifti, affineTolerance: 1e-4);
        Assert.Equal(40, dicom.Dicom!.Slices.Count);
    }

    [Fact]
    public void NonDicomFilesInAFolderAreSkippedWithAReason()
    {
        using var temp = new TempDirectory();
        foreach (var f in Directory.GetFiles(Path.Combine(SeriesFixtures, "axial_hfs")))
        {
            File.Copy(f, Path.Combine(temp.Path, Path.GetFileName(f)));
        }

        File.WriteAllText(Path.Combine(temp.Path, "notes.txt"), "scanner notes");
        File.Copy(Path.Combine(TestPaths.Fixtures, "dicom", "corpus", "files", "rtplan.dcm"), Path.Combine(temp.Path, "plan.dcm"));

        var scan = DicomSeriesAssembler.Scan(Directory.GetFiles(temp.Path));

        Assert.Single(scan.Series);
        Assert.Equal(2, scan.Skipped.Count);
        Assert.Contains(scan.Skipped, s => s.Path.EndsWith("notes.txt", StringComparison.Ordinal) && s.ErrorId == ErrorIds.DicomNotDicom && s.Reason == "not a DICOM file");
        Assert.Contains(scan.Skipped, s => s.Path.EndsWith("plan.dcm", StringComparison.Ordinal) && s.ErrorId == ErrorIds.DicomNoPixelData && s.Reason.StartsWith("not an image", StringComparison.Ordinal));
    }

    [Fact]
    public void TwoSeriesInOneFolderBecomeTwoVolumes()
    {
        using var temp = new TempDirectory();
        foreach (var name in new[] { "axial_hfs", "coronal" })
        {
            foreach (var f in Directory.GetFiles(Path.Combine(SeriesFixtures, name)))
            {
                File.Copy(f, Path.Combine(temp.Path, name + "-" + Path.GetFileName(f)));
            }
        }

        var scan = DicomSeriesAssembler.Scan(Directory.GetFiles(temp.Path));

        Assert.Equal(2, scan.Series.Count);
        Assert.Equal(new[] { "LIP", "LPS" }, scan.Series.Select(s => DicomSeriesAssembler.Assemble(s).Orientation).OrderBy(o => o));
    }

    [Fact]
    public void ABrokenFileIsSkippedAndTheGapItLeavesIsReported()
    {
        using var temp = new TempDirectory();
        foreach (var f in Directory.GetFiles(Path.Combine(SeriesFixtures, "axial_hfs")))
        {
            File.Copy(f, Path.Combine(temp.Path, Path.GetFileName(f)));
        }

        // Break the file that holds the middle slice in geometric order.
        var truth = JsonDocument.Parse(File.ReadAllText(Path.Combine(SeriesFixtures, "axial_hfs.json"))).RootElement;
        var middle = truth.GetProperty("instances_in_geometric_order")[3].GetString();
        var victim = Directory.GetFiles(temp.Path).Single(f => DicomFileReader.Read(f).Dataset.GetString(DicomTag.SopInstanceUid) == middle);
        var bytes = File.ReadAllBytes(victim);
        File.WriteAllBytes(victim, bytes[..300]);

        var scan = DicomSeriesAssembler.Scan(Directory.GetFiles(temp.Path));

        Assert.Contains(scan.Skipped, s => s.Path == victim && s.ErrorId == ErrorIds.DicomTruncated && s.Reason.Contains("truncated", StringComparison.Ordinal));
        // The gap it leaves is reported, naming the files around it, rather than slices being misplaced.
        var ex = Assert.Throws<MdaiClaraException>(() => DicomSeriesAssembler.Assemble(scan.Series.Single()));
        Assert.Contains("missing between", ex.Message);
    }

    [Fact]
    public void TheSeriesCarriesWhatPeopleRecogniseItBy()
    {
        // samples/make_sample.py writes these header values into the phantom series.
        var scan = DicomSeriesAssembler.Scan(Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "samples", "phantom", "dicom")));

        var dicom = DicomSeriesAssembler.Assemble(Assert.Single(scan.Series)).Dicom!;

        Assert.Equal("PHANTOM0001", dicom.PatientId);
        Assert.Equal("20240501", dicom.StudyDate);
        Assert.Equal(1, dicom.SeriesNumber);
        Assert.StartsWith("Phantom 0.8x0.8x2.5 mm", dicom.SeriesDescription, StringComparison.Ordinal);
    }
}
