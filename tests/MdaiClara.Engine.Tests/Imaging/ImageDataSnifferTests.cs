using System;
using System.IO;
using System.Linq;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Imaging;

/// <summary>Image data (possibly patient data) recognised by name and by its first bytes, whatever the name.</summary>
public class ImageDataSnifferTests
{
    private static ImageDataMatch? Classify(string name, byte[] bytes) => ImageDataSniffer.Classify(name, new MemoryStream(bytes));

    [Theory]
    [InlineData("a/ct.nii", ImageDataFormat.Nifti)]
    [InlineData("CT.NII.GZ", ImageDataFormat.Nifti)]
    [InlineData("IM0001.dcm", ImageDataFormat.Dicom)]
    [InlineData("x.dicom", ImageDataFormat.Dicom)]
    [InlineData("vol.mha", ImageDataFormat.MetaImage)]
    [InlineData("vol.nrrd", ImageDataFormat.Nrrd)]
    public void ANameSaysImageData(string name, ImageDataFormat format)
    {
        var match = Classify(name, "not an image"u8.ToArray());

        Assert.NotNull(match);
        Assert.Equal(format, match.Format);
        Assert.False(match.ByContent);
    }

    [Theory]
    [InlineData("config.json")]
    [InlineData("model.ts")]
    [InlineData(".nii")]
    public void OtherNamesWithOtherBytesAreNot(string name) =>
        Assert.Null(Classify(name, "{\"a\": 1}"u8.ToArray()));

    [Fact]
    public void BytesSayImageDataWhateverTheName()
    {
        var nifti = ClutteredMmar.NiftiBytes();
        var dicom = ClutteredMmar.DicomBytes();

        Assert.Equal((ImageDataFormat.Nifti, true, "a NIfTI-1 header"), Tuple(Classify("lut.bin", nifti)));
        Assert.Equal((ImageDataFormat.Nifti, true, "a NIfTI-1 header, gzip-compressed"), Tuple(Classify("lut.bin", ClutteredMmar.Gzip(nifti))));
        Assert.Equal((ImageDataFormat.Dicom, true, "the DICM marker at byte 128"), Tuple(Classify("IM0001", dicom)));
        Assert.Equal((ImageDataFormat.Dicom, true, "the DICM marker at byte 128, gzip-compressed"), Tuple(Classify("IM0001.gz", ClutteredMmar.Gzip(dicom))));

        // Big-endian NIfTI-1, and NIfTI-2.
        var bigEndian = (byte[])nifti.Clone();
        bigEndian[0] = 0;
        bigEndian[1] = 0;
        bigEndian[2] = 0x01;
        bigEndian[3] = 0x5c;
        Assert.Equal(ImageDataFormat.Nifti, Classify("x", bigEndian)?.Format);
        var nifti2 = new byte[544];
        BitConverter.GetBytes(540).CopyTo(nifti2, 0);
        "n+2\0\r\n\u001a\n"u8.ToArray().CopyTo(nifti2, 4);
        Assert.Equal("a NIfTI-2 header", Classify("x", nifti2)?.Evidence);
    }

    [Fact]
    public void ALookalikeWithoutTheMagicIsNotImageData()
    {
        var bytes = ClutteredMmar.NiftiBytes();
        bytes[344] = (byte)'x';
        Assert.Null(Classify("weights.bin", bytes));

        var short128 = new byte[131];
        Assert.Null(Classify("x", short128));
    }

    [Fact]
    public void ADamagedGzipStreamIsJudgedByWhatInflatedAndByItsName()
    {
        var gz = ClutteredMmar.Gzip(ClutteredMmar.NiftiBytes().Concat(new byte[4000]).ToArray());
        var cut = gz[..20];

        Assert.Null(Classify("cut.gz", cut));
        Assert.Equal(ImageDataFormat.Nifti, Classify("cut.nii.gz", cut)?.Format);
        Assert.False(Classify("cut.nii.gz", cut)!.ByContent);
    }

    [Fact]
    public void OnlyTheHeadOfALargeFileIsRead()
    {
        var stream = new CountingStream(new MemoryStream(new byte[10 * 1024 * 1024]));

        Assert.Null(ImageDataSniffer.Classify("big.bin", stream));
        Assert.True(stream.BytesRead <= ImageDataSniffer.HeadBytes, $"{stream.BytesRead} bytes read");
    }

    private static (ImageDataFormat, bool, string)? Tuple(ImageDataMatch? m) => m is null ? null : (m.Format, m.ByContent, m.Evidence);

    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            BytesRead += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
