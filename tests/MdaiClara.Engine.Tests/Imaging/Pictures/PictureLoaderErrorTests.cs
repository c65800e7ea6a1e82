using System;
using System.Buffers.Binary;
using System.IO;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Tests.Inference;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Imaging.Pictures;

/// <summary>
/// Issue 8's fuzz probe: broken PNG/JPEG/BMP files gave the picture library's raw text ("Invalid argument", chunk
/// bytes, "bad ctype"), and the 16-bit PNG decoder accepted bad CRCs, unknown critical chunks and a second IHDR.
/// Each case is now decided as libpng decides it, with a message that names the file and what is wrong.
/// </summary>
[Collection(TorchCollection.Name)]
public class PictureLoaderErrorTests
{
    private static MdaiClaraException Refused(TempDirectory temp, byte[] bytes, string name = "picture.png")
    {
        var path = temp.Combine(name);
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<MdaiClaraException>(() => ImageLoader.Load(InputSource.FromFile(path, "picture"), TorchSharp.torch.CPU, default, null));
        Assert.Equal(ErrorIds.PictureInvalid, ex.ErrorId);
        Assert.StartsWith(path + " is not a readable ", ex.Message, StringComparison.Ordinal);
        return ex;
    }

    private static long[] Loads(TempDirectory temp, byte[] bytes)
    {
        var path = temp.Combine("ok.png");
        File.WriteAllBytes(path, bytes);
        using var image = ImageLoader.Load(InputSource.FromFile(path, "picture"), TorchSharp.torch.CPU, default, null);
        return image.Data.shape;
    }

    [Fact]
    public void AWellFormedPngStillLoads()
    {
        using var temp = new TempDirectory();

        Assert.Equal(new long[] { 5, 3 }, Loads(temp, PngBuilder.Grey8(5, 3).ToBytes()));
    }

    [Fact]
    public void AChunkLengthPastTheEndOfTheFileIsCaughtBeforeTheLibrarySeeks()
    {
        using var temp = new TempDirectory();
        var bytes = PngBuilder.Grey8(5, 3).ToBytes();
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(33), 0x7FFF0000); // the IDAT's length

        var ex = Refused(temp, bytes);

        Assert.Contains("the IDAT chunk at byte 33 declares 2,147,418,112 bytes of data, but the file ends", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Invalid argument", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadCrcOnACriticalChunkIsAnError()
    {
        using var temp = new TempDirectory();

        var ex = Refused(temp, PngBuilder.Grey8(5, 3).BreakCrc(1).ToBytes());

        Assert.Contains("the CRC of the IDAT chunk at byte 33 does not match its data", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownCriticalChunkIsAnError()
    {
        using var temp = new TempDirectory();

        var ex = Refused(temp, PngBuilder.Grey8(5, 3).Insert(1, "ZZZZ", new byte[4]).ToBytes());

        Assert.Contains("the unknown critical chunk ZZZZ at byte 33", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADuplicateIhdrIsAnError()
    {
        using var temp = new TempDirectory();

        var ex = Refused(temp, PngBuilder.Grey8(5, 3).Insert(1, "IHDR", PngBuilder.Ihdr(5, 3, 8, 0)).ToBytes());

        Assert.Contains("a second IHDR chunk at byte 33", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownAncillaryChunksAreIgnoredEvenWithABadCrc()
    {
        using var temp = new TempDirectory();
        var bytes = PngBuilder.Grey8(5, 3).Insert(1, "zzTx", new byte[] { 1, 2, 3 }, badCrc: true).Insert(1, "tEXt", "Comment\0x"u8.ToArray()).ToBytes();

        Assert.Equal(new long[] { 5, 3 }, Loads(temp, bytes));
    }

    [Fact]
    public void ABadColourTypeIsSaidInPngTermsNotTheLibrarysCode()
    {
        using var temp = new TempDirectory();

        var ex = Refused(temp, PngBuilder.Grey8(5, 3, colourType: 5).ToBytes());

        Assert.Contains("colour type 5; PNG has 0 (grey), 2 (RGB), 3 (palette), 4 (grey + alpha) and 6 (RGBA)", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("bad ctype", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void SixteenBitPngsAreCheckedTheSameWay(int breakage)
    {
        using var temp = new TempDirectory();
        var png = PngBuilder.Grey8(4, 2, bitDepth: 16);
        var bytes = breakage switch
        {
            1 => png.BreakCrc(1).ToBytes(),
            2 => png.Insert(1, "ABCD", new byte[2]).ToBytes(),
            _ => png.Insert(1, "IHDR", PngBuilder.Ihdr(4, 2, 16, 0)).ToBytes(),
        };
        Assert.Equal(new long[] { 4, 2 }, Loads(temp, PngBuilder.Grey8(4, 2, bitDepth: 16).ToBytes()));

        var ex = Refused(temp, bytes);

        Assert.Contains(breakage switch { 1 => "CRC of the IDAT chunk", 2 => "unknown critical chunk ABCD", _ => "second IHDR" }, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADamagedJpegIsDescribedNotPassedThrough()
    {
        using var temp = new TempDirectory();
        // SOI, then an APP0 segment whose length runs past the end of the file.
        var bytes = new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0x40, 0x00, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0 };

        var ex = Refused(temp, bytes, "photo.jpg");

        Assert.StartsWith(temp.Combine("photo.jpg") + " is not a readable JPEG: the segment of marker 0xE0 at byte 2 declares 16,384 bytes, past the end of the file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AJpegWhoseFrameClaimsMoreThanItsBytesCanCodeIsRefused()
    {
        using var temp = new TempDirectory();
        var bytes = new byte[] { 0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 8, 0xFF, 0xFF, 0xFF, 0xFF, 1, 1, 0x11, 0, 0xFF, 0xD9 };

        var ex = Refused(temp, bytes, "photo.jpg");

        Assert.Contains("its frame header claims 65,535×65,535 pixels of 1 component(s), more than its 17 bytes can code", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABmpWhoseHeaderClaimsMoreThanTheFileHoldsIsRefused()
    {
        using var temp = new TempDirectory();
        var bytes = new byte[64];
        bytes[0] = (byte)'B';
        bytes[1] = (byte)'M';
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(10), 54);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(18), 30000);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(22), 30000);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(28), 24);

        var ex = Refused(temp, bytes, "scan.bmp");

        Assert.Contains("its header claims 30,000×30,000 pixels at 24 bits, more than its 10 bytes of pixel data can hold", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileThatIsNoPictureAtAllSaysSo()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("notes.png");
        File.WriteAllText(path, "just text");

        var ex = Assert.Throws<MdaiClaraException>(() => ImageLoader.Load(InputSource.FromFile(path, "picture"), TorchSharp.torch.CPU, default, null));

        Assert.Equal(ErrorIds.PictureInvalid, ex.ErrorId);
        Assert.Contains("is not a PNG, JPEG or BMP picture", ex.Message, StringComparison.Ordinal);
    }
}
