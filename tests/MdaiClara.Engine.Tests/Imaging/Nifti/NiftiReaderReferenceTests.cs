using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Imaging.Nifti;
using Xunit;

namespace MdaiClara.Engine.Tests.Imaging.Nifti;

/// <summary>
/// Every image under tests/fixtures/nifti (golden CT phantoms and the hand-made cases of make_references.py) read by
/// <see cref="NiftiReader"/> must give what nibabel gives: the same dtype, the same voxel bytes (SHA-256), the same
/// sample voxels, the same shape (with 1-D/2-D padded to 3, 6-D/7-D trailing ones dropped), and the same affine:
/// bit-identical from an sform or from pixdim; from a qform within one unit in the last place of the largest entry,
/// because nibabel's quaternion arithmetic runs in the platform's long double (see NiftiQuaternionTests).
/// </summary>
public sealed class NiftiReaderReferenceTests
{
    public static IEnumerable<object[]> References() =>
        Directory.EnumerateFiles(NiftiTestData.Fixture("cases"), "*.json")
            .Concat(Directory.EnumerateFiles(NiftiTestData.Fixture("golden"), "*.json"))
            .Select(p => new object[] { Path.GetRelativePath(NiftiTestData.Root, p) })
            .OrderBy(p => (string)p[0], StringComparer.Ordinal);

    [Fact]
    public void TheFixtureSetIsComplete()
    {
        // Guards the theory below against silently running over an empty or partial folder.
        Assert.True(References().Count() >= 40, $"expected at least 40 reference files under {NiftiTestData.Root}");
    }

    [Theory]
    [MemberData(nameof(References))]
    public void ReadsWhatNibabelReads(string referenceFile)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(NiftiTestData.Fixture(referenceFile)));
        var reference = json.RootElement;
        var volume = NiftiReader.Read(NiftiTestData.Fixture(reference.GetProperty("file").GetString()!));

        Assert.Equal(reference.GetProperty("dtype").GetString(), NiftiTestData.NumpyName(volume.DataType));
        Assert.Equal(ExpectedVolumeShape(reference.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray()), volume.Shape);
        Assert.Equal(reference.GetProperty("sha256").GetString(), NiftiTestData.Sha256(volume.GetVoxels()));

        var affine = reference.GetProperty("affine").EnumerateArray().SelectMany(row => row.EnumerateArray().Select(v => v.GetDouble())).ToArray();
        var header = reference.GetProperty("header");
        var fromQform = header.GetProperty("sform_code").GetInt32() == 0 && header.GetProperty("qform_code").GetInt32() != 0;
        if (fromQform)
        {
            var largest = affine.Take(12).Where((_, n) => n % 4 != 3).Max(Math.Abs);
            var ulp = Math.BitIncrement(largest) - largest;
            Assert.Equal(affine, volume.Affine.ToArray(), new ToleranceComparer(ulp));
        }
        else
        {
            Assert.Equal(affine, volume.Affine.ToArray());
        }

        var voxels = volume.GetVoxels();
        foreach (var sample in reference.GetProperty("samples").EnumerateArray())
        {
            var index = sample.GetProperty("index").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var linear = 0L;
            var stride = 1L;
            var shape = reference.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            for (var axis = 0; axis < index.Length; axis++)
            {
                linear += index[axis] * stride;
                stride *= shape[axis];
            }

            Assert.Equal(sample.GetProperty("value").GetDouble(), NiftiTestData.ValueAt(voxels, linear));
        }

        var values = Enumerable.Range(0, (int)volume.VoxelCount).Select(n => NiftiTestData.ValueAt(voxels, n)).ToArray();
        Assert.Equal(reference.GetProperty("min").GetDouble(), values.Min());
        Assert.Equal(reference.GetProperty("max").GetDouble(), values.Max());
    }

    /// <summary>nibabel's shape as a volume holds it.</summary>
    private static long[] ExpectedVolumeShape(long[] shape)
    {
        if (shape.Length < 3)
        {
            return shape.Concat(Enumerable.Repeat(1L, 3 - shape.Length)).ToArray();
        }

        Assert.All(shape.Skip(5), extent => Assert.Equal(1, extent));
        return shape.Take(5).ToArray();
    }

    [Fact]
    public void GoldenCtPhantomsMatchTheManifest()
    {
        // Independent of the JSON references: the figures /work/shared/golden/MANIFEST.md states for these inputs.
        var ras = NiftiReader.Read(NiftiTestData.Fixture("golden/ct_ras_iso.nii.gz"));
        Assert.Equal(new long[] { 61, 55, 37 }, ras.Shape);
        Assert.Equal(VoxelType.Int16, ras.DataType);
        Assert.Equal("RAS", ras.Orientation);
        Assert.Equal(new[] { 1.5, 0, 0, -32.7, 0, 1.5, 0, -61.2, 0, 0, 2, 49, 0, 0, 0, 1 }, ras.Affine.ToArray(), new ToleranceComparer(1e-5));

        var lps = NiftiReader.Read(NiftiTestData.Fixture("golden/ct_lps_aniso.nii.gz"));
        Assert.Equal(new long[] { 96, 88, 31 }, lps.Shape);
        Assert.Equal("LPS", lps.Orientation);
        Assert.Equal(new[] { -0.8, 0, 0, 32.8, 0, -0.8, 0, 48.9, 0, 0, 2.5, -348, 0, 0, 0, 1 }, lps.Affine.ToArray(), new ToleranceComparer(1e-5));

        var truth = NiftiReader.Read(NiftiTestData.Fixture("golden/ct_ras_iso_truth.nii.gz"));
        var labels = truth.GetVoxels<byte>();
        Assert.Equal(new[] { 121408, 2664, 63 }, new[] { labels.Count(v => v == 0), labels.Count(v => v == 1), labels.Count(v => v == 2) });
    }

    [Fact]
    public void ScaledIntegersBecomeFloat64AsInNibabel()
    {
        // nibabel 5 applies scl_slope/scl_inter in float64 whatever the stored type.
        var volume = NiftiReader.Read(NiftiTestData.Fixture("cases/scaled_uint16_inter.nii.gz"));
        Assert.Equal(VoxelType.Float64, volume.DataType);
        var values = volume.GetVoxels<double>();
        Assert.Equal(-1024.0, values.Min());
        Assert.Equal(65535.0 - 1024, values.Max());

        // slope NaN or 0: no scaling, the stored type stays.
        Assert.Equal(VoxelType.Int16, NiftiReader.Read(NiftiTestData.Fixture("cases/scaled_slope_nan.nii")).DataType);
        Assert.Equal(VoxelType.Int16, NiftiReader.Read(NiftiTestData.Fixture("cases/scaled_slope_zero.nii")).DataType);
    }

    [Fact]
    public void HeaderRepairsAreReportedAsWarnings()
    {
        var volume = NiftiReader.Read(NiftiTestData.Fixture("cases/no_codes_pixdim_zero_negative.nii"));
        Assert.Contains(volume.Warnings, w => w.Contains("zeros", StringComparison.Ordinal));
        Assert.Contains(volume.Warnings, w => w.Contains("negative", StringComparison.Ordinal));
        Assert.Contains(NiftiReader.Read(NiftiTestData.Fixture("cases/sform_code_invalid.nii")).Warnings, w => w.Contains("sform_code 9", StringComparison.Ordinal));
        Assert.Empty(NiftiReader.Read(NiftiTestData.Fixture("cases/dtype_int16.nii")).Warnings);
    }

    [Fact]
    public void EitherHalfOfAPairNamesTheImage()
    {
        var byHeader = NiftiReader.Read(NiftiTestData.Fixture("cases/pair.hdr"));
        var byImage = NiftiReader.Read(NiftiTestData.Fixture("cases/pair.img"));
        Assert.Equal(byHeader.GetVoxels<short>(), byImage.GetVoxels<short>());
        Assert.Equal(byHeader.Affine, byImage.Affine);
    }

    [Fact]
    public void ReadsFromAStream()
    {
        var path = NiftiTestData.Fixture("cases/big_endian_int16.nii.gz");
        using var stream = new MemoryStream(File.ReadAllBytes(path));
        var fromStream = NiftiReader.Read(stream, "memory");
        Assert.Equal("memory", fromStream.Source);
        Assert.Equal(NiftiReader.Read(path).GetVoxels<short>(), fromStream.GetVoxels<short>());
    }

    private sealed class ToleranceComparer : IEqualityComparer<double>
    {
        private readonly double _tolerance;

        public ToleranceComparer(double tolerance) => _tolerance = tolerance;

        public bool Equals(double x, double y) => Math.Abs(x - y) <= _tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
