using System;
using System.Buffers.Binary;
using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom.Codecs;
using Xunit;

namespace MdaiClara.Engine.Tests.Imaging.Codecs;

public class RleLosslessTests
{
    public static TheoryData<string> RleFixtures => new(CodecFixtures.OfKind("rle").Select(f => f.Name));

    [Theory]
    [MemberData(nameof(RleFixtures))]
    public void DecodesCorpusFrameToTheReferenceExactly(string name)
    {
        CodecFixture fixture = CodecFixtures.Named(name);
        byte[] decoded = Decode(fixture, fixture.Codestream);

        byte[] reference = fixture.ReferenceBytes;
        Assert.Equal(fixture.Shape.Aggregate(1, (a, b) => a * b) * (fixture.Int("bitsAllocated") / 8), reference.Length);
        Assert.Equal(reference.Length, decoded.Length);
        int firstDifference = Enumerable.Range(0, reference.Length).FirstOrDefault(i => reference[i] != decoded[i], -1);
        Assert.True(firstDifference < 0, $"{name}: first differing byte at {firstDifference}");
    }

    [Fact]
    public void WritesPlanesLittleEndianMostSignificantSegmentFirst()
    {
        // 2 x 1 pixels, 2 samples of 16 bits: segments are (sample 0 MSB, sample 0 LSB, sample 1 MSB, sample 1 LSB).
        byte[] frame = Frame(
            new byte[] { 1, 0x12, 0x34 },
            new byte[] { 1, 0x56, 0x78 },
            new byte[] { 0xFF, 0xAB },
            new byte[] { 1, 0x01, 0x02 });

        byte[] decoded = RleLossless.DecodeFrame(frame, 1, 2, 2, 16);

        Assert.Equal(new byte[] { 0x56, 0x12, 0x78, 0x34, 0x01, 0xAB, 0x02, 0xAB }, decoded);
    }

    [Fact]
    public void IgnoresNoOpHeadersPaddingAndOverlongRuns()
    {
        // -128 is a no-op; the run of 5 overshoots the 4 bytes needed; the trailing bytes are padding.
        byte[] frame = Frame(new byte[] { 0x80, 0x00, 0x07, 0xFC, 0x09, 0x00, 0x00 });

        byte[] decoded = RleLossless.DecodeFrame(frame, 2, 2, 1, 8);

        Assert.Equal(new byte[] { 0x07, 0x09, 0x09, 0x09 }, decoded);
    }

    [Fact]
    public void RefusesWrongSegmentCount()
    {
        CodecFixture fixture = CodecFixtures.Named("rle_rgb_8bit");
        byte[] frame = fixture.Codestream;
        BinaryPrimitives.WriteUInt32LittleEndian(frame, 2);

        MdaiClaraException error = AssertCorrupt(() => Decode(fixture, frame));
        Assert.Contains("2 segments", error.Message);
        Assert.Contains("exactly 3", error.Message);
    }

    [Fact]
    public void RefusesSegmentOffsetOutsideTheFrame()
    {
        CodecFixture fixture = CodecFixtures.Named("rle_mr_small_16bit");
        byte[] frame = fixture.Codestream;
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(8), (uint)frame.Length + 1);

        MdaiClaraException error = AssertCorrupt(() => Decode(fixture, frame));
        Assert.Contains("segment 2 starts at offset", error.Message);
    }

    [Fact]
    public void RefusesOffsetsOutOfOrder()
    {
        byte[] frame = Frame(new byte[] { 0xFD, 1 }, new byte[] { 0xFD, 2 });
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(8), 63);

        Assert.Contains("outside the frame", AssertCorrupt(() => RleLossless.DecodeFrame(frame, 2, 2, 1, 16)).Message);

        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), 66);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(8), 64);
        Assert.Contains("before segment 1", AssertCorrupt(() => RleLossless.DecodeFrame(frame, 2, 2, 1, 16)).Message);
    }

    [Fact]
    public void RefusesTruncatedFrame()
    {
        CodecFixture fixture = CodecFixtures.Named("rle_rgb_32bit");
        byte[] frame = fixture.Codestream;

        MdaiClaraException error = AssertCorrupt(() => Decode(fixture, frame.AsSpan(0, frame.Length - 40).ToArray()));
        Assert.Contains("decodes to", error.Message);
    }

    [Fact]
    public void RefusesFrameShorterThanItsHeader()
    {
        Assert.Contains("64-byte header", AssertCorrupt(() => RleLossless.DecodeFrame(new byte[40], 4, 4, 1, 8)).Message);
    }

    [Fact]
    public void RefusesImpossibleSizeBeforeAllocating()
    {
        // A 65535 x 65535 frame from a few bytes: refused by the size check, not by running out of memory.
        byte[] frame = Frame(new byte[] { 0x81, 0x00 });
        long before = GC.GetAllocatedBytesForCurrentThread();

        MdaiClaraException error = AssertCorrupt(() => RleLossless.DecodeFrame(frame, 65535, 65535, 1, 8));

        Assert.Contains("too few to decode", error.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }

    [Theory]
    [InlineData(12, 1)]
    [InlineData(16, 8)]
    [InlineData(64, 1)]
    public void RefusesGeometryRleCannotHold(int bitsAllocated, int samplesPerPixel)
    {
        var error = Assert.Throws<MdaiClaraException>(() => RleLossless.DecodeFrame(new byte[100], 2, 2, samplesPerPixel, bitsAllocated));
        Assert.Equal(ErrorIds.RleUnsupported, error.ErrorId);
        Assert.Equal(ErrorKind.InvalidData, error.Kind);
    }

    [Fact]
    public void MutatedFramesDecodeOrFailWithACodecError()
    {
        var random = new Random(1234);
        foreach (CodecFixture fixture in CodecFixtures.OfKind("rle"))
        {
            byte[] original = fixture.Codestream;
            for (int trial = 0; trial < 150; trial++)
            {
                byte[] mutated = (byte[])original.Clone();
                int changes = 1 + random.Next(4);
                for (int i = 0; i < changes; i++)
                {
                    // Half the mutations hit the header, where they matter most.
                    int at = random.Next(2) == 0 ? random.Next(Math.Min(64, mutated.Length)) : random.Next(mutated.Length);
                    mutated[at] = (byte)random.Next(256);
                }

                if (random.Next(4) == 0)
                {
                    mutated = mutated.AsSpan(0, random.Next(mutated.Length)).ToArray();
                }

                try
                {
                    Decode(fixture, mutated);
                }
                catch (MdaiClaraException error)
                {
                    Assert.True(error.ErrorId == ErrorIds.RleCorrupt, $"{fixture.Name} trial {trial}: {error.ErrorId} {error.Message}");
                }
            }
        }
    }

    private static byte[] Decode(CodecFixture fixture, byte[] frame) =>
        RleLossless.DecodeFrame(frame, fixture.Int("rows"), fixture.Int("columns"), fixture.Int("samplesPerPixel"), fixture.Int("bitsAllocated"));

    private static MdaiClaraException AssertCorrupt(Func<byte[]> decode)
    {
        var error = Assert.Throws<MdaiClaraException>(() => decode());
        Assert.Equal(ErrorIds.RleCorrupt, error.ErrorId);
        Assert.Equal(ErrorKind.InvalidData, error.Kind);
        return error;
    }

    /// <summary>An RLE frame: the 64-byte header, then the given segments in order.</summary>
    private static byte[] Frame(params byte[][] segments)
    {
        var frame = new byte[64 + segments.Sum(s => s.Length)];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)segments.Length);
        int offset = 64;
        for (int i = 0; i < segments.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4 + (4 * i)), (uint)offset);
            segments[i].CopyTo(frame, offset);
            offset += segments[i].Length;
        }

        return frame;
    }
}
