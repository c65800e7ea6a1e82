using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Imaging.Nifti;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Imaging.Nifti;

/// <summary>Damaged and unsupported inputs: each gives its own <see cref="MdaiClaraException"/> naming the file, never a crash or a huge allocation.</summary>
public sealed class NiftiBadInputTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void MissingFile()
    {
        var path = _temp.Combine("absent.nii.gz");
        var error = Fails(path, ErrorIds.NiftiNotFound);
        Assert.Equal(ErrorKind.ObjectNotFound, error.Kind);
    }

    [Fact]
    public void FolderInsteadOfFile()
    {
        Directory.CreateDirectory(_temp.Combine("folder.nii"));
        Fails(_temp.Combine("folder.nii"), ErrorIds.NiftiPathInvalid);
    }

    [Fact]
    public void PairWithoutItsImage()
    {
        var header = _temp.Combine("lonely.hdr");
        File.Copy(NiftiTestData.Fixture("cases/pair.hdr"), header);
        var error = Fails(header, ErrorIds.NiftiNotFound);
        Assert.Contains("lonely.img", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(100)]
    [InlineData(347)]
    public void TruncatedHeader(int length)
    {
        var bytes = File.ReadAllBytes(NiftiTestData.Fixture("cases/dtype_int16.nii"))[..length];
        var error = Fails(Write("short.nii", bytes), ErrorIds.NiftiTruncated);
        Assert.Contains("header", error.Message, StringComparison.Ordinal);
        Fails(Write("short.nii.gz", Gzip(bytes)), ErrorIds.NiftiTruncated);
    }

    [Fact]
    public void TruncatedData()
    {
        var bytes = File.ReadAllBytes(NiftiTestData.Fixture("cases/dtype_int16.nii"));
        var error = Fails(Write("cut.nii", bytes[..^10]), ErrorIds.NiftiTruncated);
        Assert.Contains("(5, 4, 3) Int16", error.Message, StringComparison.Ordinal);
        Fails(Write("cut.nii.gz", Gzip(bytes[..^10])), ErrorIds.NiftiTruncated);
    }

    [Fact]
    public void CompressedStreamCutShort()
    {
        // The deflate stream itself ends early (no trailer): the reader runs out of data.
        var gz = File.ReadAllBytes(NiftiTestData.Fixture("golden/ct_ras_iso.nii.gz"));
        var error = Fails(Write("half.nii.gz", gz[..(gz.Length / 2)]), ErrorIds.NiftiTruncated);
        Assert.Contains("248,270 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptDeflateData()
    {
        var gz = File.ReadAllBytes(NiftiTestData.Fixture("golden/ct_ras_iso.nii.gz"));
        for (var n = 2000; n < 2064; n++)
        {
            gz[n] ^= 0x5a;
        }

        Fails(Write("corrupt.nii.gz", gz), ErrorIds.NiftiGzipCorrupt);
    }

    [Fact]
    public void WrongGzipChecksum()
    {
        // Valid deflate data, wrong CRC-32 in the trailer: only a reader that reaches the trailer notices.
        var gz = Gzip(File.ReadAllBytes(NiftiTestData.Fixture("cases/dtype_int16.nii")));
        gz[^8] ^= 0xff;
        var error = Fails(Write("crc.nii.gz", gz), ErrorIds.NiftiGzipCorrupt);
        Assert.Equal(ErrorKind.InvalidData, error.Kind);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(349)]
    [InlineData(-1)]
    [InlineData(0x12345678)]
    public void BadSizeofHdr(int sizeofHdr)
    {
        var bytes = File.ReadAllBytes(NiftiTestData.Fixture("cases/dtype_int16.nii"));
        BinaryPrimitives.WriteInt32LittleEndian(bytes, sizeofHdr);
        var error = Fails(Write("sizeof.nii", bytes), ErrorIds.NiftiHeaderInvalid);
        Assert.Contains("sizeof_hdr", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NotANiftiFileAtAll()
    {
        Fails(Write("text.nii", System.Text.Encoding.ASCII.GetBytes(new string('x', 1000))), ErrorIds.NiftiHeaderInvalid);
    }

    [Fact]
    public void BadMagic()
    {
        var bytes = File.ReadAllBytes(NiftiTestData.Fixture("cases/dtype_int16.nii"));
        "xyz\0"u8.CopyTo(bytes.AsSpan(344));
        var error = Fails(Write("magic.nii", bytes), ErrorIds.NiftiHeaderInvalid);
        Assert.Contains("magic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AlteredNifti2LineEndings()
    {
        var bytes = File.ReadAllBytes(NiftiTestData.Fixture("cases/nifti2_big_endian_qform.nii"));
        bytes[8] = 10; // as if CR LF had become LF
        var error = Fails(Write("eol.nii", bytes), ErrorIds.NiftiHeaderInvalid);
        Assert.Contains("end-of-line", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new short[] { 3, 5, -4, 3 }, "dim[2] is -4")]
    [InlineData(new short[] { 3, 5, 0, 3 }, "dim[2] is 0")]
    [InlineData(new short[] { 0, 5, 4, 3 }, "dim[0]")]
    [InlineData(new short[] { 8, 5, 4, 3 }, "dim[0]")]
    [InlineData(new short[] { -3, 5, 4, 3 }, "dim[0]")]
    public void InvalidDims(short[] dims, string expected)
    {
        var bytes = NiftiTestData.MinimalNifti1(4, 16, dims, 120);
        var error = Fails(Write("dims.nii", bytes), ErrorIds.NiftiHeaderInvalid);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MoreVoxelsThanAnArrayHolds()
    {
        var bytes = NiftiTestData.MinimalNifti1(4, 16, new short[] { 3, 32767, 32767, 32767 }, 0);
        var error = Fails(Write("huge.nii", bytes), ErrorIds.NiftiTooLarge);
        Assert.Contains("(32767, 32767, 32767)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MoreDimensionsThanAVolumeHolds()
    {
        var bytes = NiftiTestData.MinimalNifti1(2, 8, new short[] { 6, 2, 2, 2, 1, 1, 2 }, 16);
        Fails(Write("six.nii", bytes), ErrorIds.NiftiShapeUnsupported);
    }

    [Theory]
    [InlineData("absurd.nii")]
    [InlineData("absurd.nii.gz")]
    public void DimsFarBeyondTheFileAreRefusedBeforeAllocating(string name)
    {
        // 1000 × 1000 × 2000 int8 = 2 GB claimed by a file of a few hundred bytes: the array must never be allocated.
        var bytes = NiftiTestData.MinimalNifti1(256, 8, new short[] { 3, 1000, 1000, 2000 }, 64);
        var path = Write(name, name.EndsWith(".gz", StringComparison.Ordinal) ? Gzip(bytes) : bytes);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Fails(path, ErrorIds.NiftiTruncated);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20, "the reader allocated more than 16 MB for a tiny file");
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1280, "uint64")]
    [InlineData(32, "complex64")]
    [InlineData(128, "RGB24")]
    [InlineData(1792, "complex128")]
    [InlineData(1536, "float128")]
    [InlineData(1, "binary")]
    [InlineData(77, "unknown code 77")]
    public void UnsupportedDatatype(short code, string name)
    {
        var bytes = NiftiTestData.MinimalNifti1(code, 8, new short[] { 3, 2, 2, 2 }, 64);
        var error = Fails(Write("type.nii", bytes), ErrorIds.NiftiDatatypeUnsupported);
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(100f, ErrorIds.NiftiHeaderInvalid)]
    [InlineData(351f, ErrorIds.NiftiHeaderInvalid)]
    [InlineData(-352f, ErrorIds.NiftiHeaderInvalid)]
    [InlineData(float.NaN, ErrorIds.NiftiHeaderInvalid)]
    [InlineData(1e9f, ErrorIds.NiftiTruncated)]
    public void BadVoxOffset(float offset, string errorId)
    {
        var bytes = NiftiTestData.MinimalNifti1(4, 16, new short[] { 3, 2, 2, 2 }, 16);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(108), offset);
        Fails(Write("offset.nii", bytes), errorId);
        Fails(Write("offset.nii.gz", Gzip(bytes)), errorId);
    }

    [Fact]
    public void VoxOffsetZeroMeansRightAfterTheHeader()
    {
        var bytes = NiftiTestData.MinimalNifti1(2, 8, new short[] { 3, 2, 2, 2 }, 8);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(108), 0f);
        bytes[352] = 42;
        var volume = NiftiReader.Read(Write("zero.nii", bytes));
        Assert.Equal(42, volume.GetVoxels<byte>()[0]);
        Assert.Contains(volume.Warnings, w => w.Contains("vox_offset is 0", StringComparison.Ordinal));
    }

    [Fact]
    public void QuaternionLongerThanOne()
    {
        var bytes = NiftiTestData.MinimalNifti1(4, 16, new short[] { 3, 2, 2, 2 }, 16);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(252), 1); // qform_code
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(254), 0); // sform_code
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(256), 0.9f);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(260), 0.5f);
        var error = Fails(Write("quaternion.nii", bytes), ErrorIds.NiftiHeaderInvalid);
        Assert.Contains("quaternion", error.Message, StringComparison.Ordinal);

        // With an sform the qform is never used, so the same quaternion is harmless (as in nibabel).
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(254), 1);
        Assert.Equal(VoxelType.Int16, NiftiReader.Read(Write("quaternion-unused.nii", bytes)).DataType);
    }

    [Fact]
    public void NonFiniteSform()
    {
        var bytes = NiftiTestData.MinimalNifti1(4, 16, new short[] { 3, 2, 2, 2 }, 16);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(284), float.PositiveInfinity);
        var error = Fails(Write("inf.nii", bytes), ErrorIds.NiftiHeaderInvalid);
        Assert.Contains("sform", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SlopeWithoutAFiniteIntercept()
    {
        var bytes = NiftiTestData.MinimalNifti1(4, 16, new short[] { 3, 2, 2, 2 }, 16);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(112), 2f);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(116), float.NaN);
        var error = Fails(Write("inter.nii", bytes), ErrorIds.NiftiHeaderInvalid);
        Assert.Contains("scl_inter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CancellationStopsReading()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => NiftiReader.Read(NiftiTestData.Fixture("golden/ct_ras_iso.nii.gz"), cancelled.Token));
    }

    [Theory]
    [InlineData("volume.nrrd")]
    [InlineData("volume.gz")]
    [InlineData("volume.img")]
    public void WriterRefusesOtherExtensions(string name)
    {
        var volume = new Volume(new byte[8], new long[] { 2, 2, 2 }, Affine.Identity, "test");
        var error = Assert.Throws<MdaiClaraException>(() => NiftiWriter.Write(volume, _temp.Combine(name)));
        Assert.Equal(ErrorIds.NiftiPathInvalid, error.ErrorId);
        Assert.False(File.Exists(_temp.Combine(name)));
    }

    [Fact]
    public void WriterReportsAMissingFolder()
    {
        var volume = new Volume(new byte[8], new long[] { 2, 2, 2 }, Affine.Identity, "test");
        var error = Assert.Throws<MdaiClaraException>(() => NiftiWriter.Write(volume, _temp.Combine("no-such-folder", "x.nii")));
        Assert.Equal(ErrorIds.NiftiWriteFailed, error.ErrorId);
        Assert.Equal(ErrorKind.WriteError, error.Kind);
    }

    [Theory]
    [InlineData(double.NaN, 1)]
    [InlineData(1, 0)]
    public void WriterRefusesAffinesItCannotStore(double x, double y)
    {
        var volume = new Volume(new byte[8], new long[] { 2, 2, 2 }, Affine.Diagonal(x, y, 1), "test");
        var error = Assert.Throws<MdaiClaraException>(() => NiftiWriter.Write(volume, _temp.Combine("affine.nii")));
        Assert.Equal(ErrorIds.NiftiAffineInvalid, error.ErrorId);
        Assert.Empty(Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public void CancelledWriteLeavesTheTargetAndNoTemporaryFile()
    {
        var path = _temp.Write("keep.nii.gz", "previous");
        var volume = new Volume(new float[64], new long[] { 4, 4, 4 }, Affine.Identity, "test");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => NiftiWriter.Write(volume, path, cancelled.Token));
        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Equal(new[] { "keep.nii.gz" }, Directory.GetFiles(_temp.Path).Select(Path.GetFileName));
    }

    private static MdaiClaraException Fails(string path, string errorId)
    {
        var error = Assert.Throws<MdaiClaraException>(() => NiftiReader.Read(path));
        Assert.Equal(errorId, error.ErrorId);
        Assert.Contains(Path.GetFileName(path), error.Message, StringComparison.Ordinal);
        return error;
    }

    private string Write(string name, byte[] bytes)
    {
        var path = _temp.Combine(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }
}
