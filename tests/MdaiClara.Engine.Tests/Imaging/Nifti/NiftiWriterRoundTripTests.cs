using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Imaging.Nifti;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Imaging.Nifti;

/// <summary>
/// Volumes written by <see cref="NiftiWriter"/>, read back by <see cref="NiftiReader"/> and by nibabel (the Python
/// peer). "Identical" means:
/// <list type="bullet">
/// <item>data: the same dtype, the same shape and bit-identical voxels (SHA-256 of the little-endian bytes), in both readers;</item>
/// <item>affine: nibabel's img.affine and ours are bit-identical doubles, and equal the written affine with each
/// element rounded to float32 (NIfTI-1 stores float32), or exactly the written affine (NIfTI-2 stores float64);</item>
/// <item>qform: nibabel's get_qform() of the file equals the affine to 1e-5 mm per voxel step (float32 quaternion),
/// and the stored quaternion and pixdim are those nibabel's own set_qform derives from the affine, to float32 precision.</item>
/// </list>
/// </summary>
public sealed class NiftiWriterRoundTripTests
{
    private const string NibabelView = """
        import sys, json, hashlib
        import numpy as np, nibabel as nib
        img = nib.load(sys.argv[1])
        data = np.asanyarray(img.dataobj)
        h = img.header
        own = type(h)()
        own.set_qform(img.affine, code=1)
        print(json.dumps({
            'shape': [int(s) for s in data.shape],
            'dtype': data.dtype.name,
            'sha256': hashlib.sha256(data.astype(data.dtype.newbyteorder('<'), copy=False).tobytes(order='F')).hexdigest(),
            'affine': [float(v) for v in img.affine.ravel()],
            'qform': [float(v) for v in h.get_qform().ravel()],
            'qform_code': int(h['qform_code']), 'sform_code': int(h['sform_code']), 'sizeof_hdr': int(h['sizeof_hdr']),
            'quatern': [float(h['quatern_b']), float(h['quatern_c']), float(h['quatern_d'])],
            'pixdim': [float(v) for v in h['pixdim'][:4]],
            'nibabel_quatern': [float(own['quatern_b']), float(own['quatern_c']), float(own['quatern_d'])],
            'nibabel_pixdim': [float(v) for v in own['pixdim'][:4]],
        }))
        """;

    public static IEnumerable<object[]> Cases()
    {
        // Affines travel as their 16 elements so that xunit lists each case on its own.
        var oblique = Rotation(new[] { 1.0, -2, 0.5 }, 27) * Affine.Diagonal(0.9, 1.1, 2.5);
        yield return new object[] { "ras_int16.nii.gz", VoxelType.Int16, new long[] { 17, 13, 9 }, Translate(Affine.Diagonal(1.5, 1.5, 2), -32.7, -61.2, 49).ToArray(), true };
        yield return new object[] { "lps_float32.nii", VoxelType.Float32, new long[] { 11, 12, 7 }, Translate(Affine.Diagonal(-0.8, -0.8, 2.5), 32.8, 48.9, -348).ToArray(), true };
        yield return new object[] { "oblique_float64.nii.gz", VoxelType.Float64, new long[] { 9, 8, 7 }, Translate(oblique, -10.1, 20.2, -30.3).ToArray(), true };
        yield return new object[] { "left_handed_uint16.nii", VoxelType.UInt16, new long[] { 8, 9, 10 }, Translate(Affine.Diagonal(0.7, 0.7, -3), 1, 2, 3).ToArray(), true };
        yield return new object[] { "flipped_xz_uint8.nii.gz", VoxelType.UInt8, new long[] { 10, 6, 5 }, Translate(Affine.Diagonal(-1, 1, -1), 5, -5, 5).ToArray(), true };
        yield return new object[] { "permuted_pli_int32.nii", VoxelType.Int32, new long[] { 6, 7, 8 }, Translate(Affine.FromColumns(new[] { 0.0, -2, 0 }, new[] { -0.5, 0, 0 }, new[] { 0.0, 0, -1.25 }, new[] { 0.0, 0, 0 }), 7, 8, 9).ToArray(), true };
        yield return new object[] { "oblique_left_handed_int8.nii.gz", VoxelType.Int8, new long[] { 7, 6, 5 }, Translate(oblique * Affine.Diagonal(1, -1, 1), 0.5, 0.25, 0.125).ToArray(), true };
        yield return new object[] { "sheared_float32.nii.gz", VoxelType.Float32, new long[] { 6, 6, 6 }, Sheared().ToArray(), false };
        yield return new object[] { "four_d_uint32.nii", VoxelType.UInt32, new long[] { 5, 4, 3, 2 }, Affine.Diagonal(2, 2, 2).ToArray(), true };
        yield return new object[] { "five_d_int64.nii.gz", VoxelType.Int64, new long[] { 4, 3, 2, 1, 3 }, Translate(oblique, 1, 1, 1).ToArray(), true };
        yield return new object[] { "long_axis_nifti2_uint8.nii.gz", VoxelType.UInt8, new long[] { 40000, 2, 1 }, Affine.Diagonal(0.1, 1, 1).ToArray(), true };
        yield return new object[] { "long_axis_nifti2_float64.nii", VoxelType.Float64, new long[] { 3, 33000, 1 }, Translate(oblique, 1e-3, 123456.789, -0.5).ToArray(), true };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void NibabelAndOurReaderReadBackTheSameVolume(string name, VoxelType type, long[] shape, double[] elements, bool rigid)
    {
        var affine = new Affine(elements);
        using var temp = new TempDirectory();
        var path = temp.Combine(name);
        var count = shape.Aggregate(1L, (a, b) => a * b);
        var written = new Volume(NiftiTestData.RandomVoxels(type, count, name.Length), shape, affine, "test");
        NiftiWriter.Write(written, path);

        var nifti2 = shape.Any(extent => extent > short.MaxValue);
        var stored = nifti2 ? affine : RoundedToFloat32(affine);
        var ours = NiftiReader.Read(path);
        Assert.Equal(type, ours.DataType);
        Assert.Equal(shape, ours.Shape);
        Assert.Equal(NiftiTestData.Sha256(written.GetVoxels()), NiftiTestData.Sha256(ours.GetVoxels()));
        Assert.Equal(stored.ToArray(), ours.Affine.ToArray());
        Assert.Empty(ours.Warnings);

        using var json = JsonDocument.Parse(PythonPeer.Run(NibabelView, path));
        var nib = json.RootElement;
        Assert.Equal(nifti2 ? 540 : 348, nib.GetProperty("sizeof_hdr").GetInt32());
        Assert.Equal(NiftiTestData.NumpyName(type), nib.GetProperty("dtype").GetString());
        Assert.Equal(shape, nib.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(NiftiTestData.Sha256(written.GetVoxels()), nib.GetProperty("sha256").GetString());
        Assert.Equal(ours.Affine.ToArray(), Doubles(nib, "affine"));
        Assert.Equal(2, nib.GetProperty("sform_code").GetInt32());
        Assert.Equal(rigid ? 1 : 0, nib.GetProperty("qform_code").GetInt32());

        // The qform carries the rigid part: for a rigid affine it reproduces it (float32 quaternion precision).
        var qform = Doubles(nib, "qform");
        if (rigid)
        {
            var spacing = affine.Spacing.Max();
            for (var n = 0; n < 12; n++)
            {
                Assert.True(Math.Abs(qform[n] - affine[n / 4, n % 4]) <= 1e-5 * Math.Max(spacing, Math.Abs(affine[n / 4, n % 4])), $"qform[{n / 4},{n % 4}] = {qform[n]:R}, affine {affine[n / 4, n % 4]:R}");
            }
        }

        // The quaternion is nibabel's own choice for this affine (its set_qform on the affine it read), up to sign (q ≡ −q).
        var quatern = Doubles(nib, "quatern");
        var nibabelQuatern = Doubles(nib, "nibabel_quatern");
        var sign = quatern.Zip(nibabelQuatern, (a, b) => a * b).Sum() < 0 ? -1 : 1;
        Assert.Equal(nibabelQuatern, quatern.Select(v => v * sign), new Tolerance(2e-7));
        Assert.Equal(Doubles(nib, "nibabel_pixdim"), Doubles(nib, "pixdim"), new Tolerance(2e-6));
    }

    [Fact]
    public void ReplacesAnExistingFileAndLeavesNoTemporaryFile()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("replace.nii.gz");
        File.WriteAllText(path, "old content");
        var volume = new Volume(new float[] { 1, 2, 3, 4, 5, 6 }, new long[] { 3, 2, 1 }, Affine.Identity, "test");
        NiftiWriter.Write(volume, path);

        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, NiftiReader.Read(path).GetVoxels<float>());
        Assert.Equal(new[] { "replace.nii.gz" }, Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void GzipIsChosenByTheExtension()
    {
        using var temp = new TempDirectory();
        var volume = new Volume(new short[24], new long[] { 2, 3, 4 }, Affine.Identity, "test");
        NiftiWriter.Write(volume, temp.Combine("plain.nii"));
        NiftiWriter.Write(volume, temp.Combine("packed.NII.GZ"));

        var plain = File.ReadAllBytes(temp.Combine("plain.nii"));
        var packed = File.ReadAllBytes(temp.Combine("packed.NII.GZ"));
        Assert.Equal(352 + 48, plain.Length);
        Assert.Equal(new byte[] { 0x1f, 0x8b }, packed.Take(2));
        Assert.Equal("n+1", System.Text.Encoding.ASCII.GetString(plain, 344, 3));
    }

    [Fact]
    public void WritesToAStream()
    {
        var volume = new Volume(new double[] { -1.5, 2.25 }, new long[] { 2, 1, 1 }, Affine.Diagonal(2, 3, 4), "memory");
        using var stream = new MemoryStream();
        NiftiWriter.Write(volume, stream, compress: true);
        stream.Position = 0;
        var back = NiftiReader.Read(stream, "memory");
        Assert.Equal(new[] { -1.5, 2.25 }, back.GetVoxels<double>());
        Assert.Equal(Affine.Diagonal(2, 3, 4), back.Affine);
    }

    private static double[] Doubles(JsonElement element, string name) => element.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();

    private static Affine RoundedToFloat32(Affine affine) => new(affine.ToArray().Select(v => (double)(float)v).ToArray());

    private static Affine Translate(Affine affine, double x, double y, double z)
    {
        var m = affine.ToArray();
        m[3] = x;
        m[7] = y;
        m[11] = z;
        return new Affine(m);
    }

    private static Affine Sheared()
    {
        var m = Affine.Diagonal(1.2, 1.3, 1.4).ToArray();
        m[1] = 0.4; // the j axis leans along x
        m[3] = -7;
        return new Affine(m);
    }

    /// <summary>Rodrigues' rotation by <paramref name="degrees"/> about <paramref name="axis"/>.</summary>
    private static Affine Rotation(double[] axis, double degrees)
    {
        var norm = Math.Sqrt(axis.Sum(v => v * v));
        var (x, y, z) = (axis[0] / norm, axis[1] / norm, axis[2] / norm);
        var t = degrees * Math.PI / 180;
        var (c, s, C) = (Math.Cos(t), Math.Sin(t), 1 - Math.Cos(t));
        return new Affine(new[]
        {
            (x * x * C) + c, (x * y * C) - (z * s), (x * z * C) + (y * s), 0,
            (y * x * C) + (z * s), (y * y * C) + c, (y * z * C) - (x * s), 0,
            (z * x * C) - (y * s), (z * y * C) + (x * s), (z * z * C) + c, 0,
            0, 0, 0, 1,
        });
    }

    private sealed class Tolerance : IEqualityComparer<double>
    {
        private readonly double _tolerance;

        public Tolerance(double tolerance) => _tolerance = tolerance;

        public bool Equals(double x, double y) => Math.Abs(x - y) <= _tolerance * Math.Max(1, Math.Abs(x));

        public int GetHashCode(double obj) => 0;
    }
}
