using System;
using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom.Codecs;
using Xunit;

namespace MdaiClara.Engine.Tests.Imaging.Codecs;

/// <summary>Malformed, truncated and unsupported codestreams: a specific MdaiClaraException, never a crash or hang.</summary>
public class JpegCorruptInputTests
{
    public static TheoryData<string> JpegFixtures => new(CodecFixtures.OfKind("jpeg").Select(f => f.Name));

    [Fact]
    public void RefusesDataWithoutSoi()
    {
        Assert.Contains("SOI", AssertCorrupt(new byte[] { 0x00, 0xD8, 0xFF, 0xD9 }).Message);
        Assert.Contains("SOI", AssertCorrupt(Array.Empty<byte>()).Message);
    }

    [Fact]
    public void RefusesGarbageWhereAMarkerBelongs()
    {
        byte[] stream = CodecFixtures.Named("ll_mr16_sv1").Codestream;
        byte[] broken = stream.Take(2).Append((byte)0x12).Concat(stream.Skip(2)).ToArray();

        Assert.Contains("expected a marker at offset 2", AssertCorrupt(broken).Message);
    }

    [Fact]
    public void RefusesHuffmanTableWithMoreCodesThanBitsAllow()
    {
        // Three codes of length 1 cannot exist.
        byte[] counts = new byte[16];
        counts[0] = 3;
        byte[] stream = Stream(Segment(0xC4, new byte[] { 0x00 }.Concat(counts).Concat(new byte[] { 0, 1, 2 })));

        Assert.Contains("Huffman table DC0", AssertCorrupt(stream).Message);
    }

    [Fact]
    public void RefusesHuffmanTableListingMoreSymbolsThanTheSegmentHolds()
    {
        byte[] counts = new byte[16];
        counts[3] = 12;
        byte[] stream = Stream(Segment(0xC4, new byte[] { 0x11 }.Concat(counts).Concat(new byte[] { 0, 1, 2 })));

        Assert.Contains("lists 12 symbols", AssertCorrupt(stream).Message);
    }

    [Fact]
    public void RefusesSegmentLongerThanTheData()
    {
        byte[] stream = { 0xFF, 0xD8, 0xFF, 0xFE, 0x10, 0x00, 0x41 };

        Assert.Contains("runs past the end", AssertCorrupt(stream).Message);
    }

    [Fact]
    public void RefusesScanBeforeFrameAndScanWithUndefinedTable()
    {
        byte[] scanHeader = Segment(0xDA, new byte[] { 1, 1, 0x00, 1, 0, 0 });
        Assert.Contains("before any frame header", AssertCorrupt(Stream(scanHeader, new byte[] { 0, 0 })).Message);

        byte[] frame = Segment(0xC3, new byte[] { 16, 0, 4, 0, 4, 1, 1, 0x11, 0 });
        Assert.Contains("no DHT segment defined", AssertCorrupt(Stream(frame, scanHeader, new byte[] { 0, 0 })).Message);
    }

    [Fact]
    public void RefusesCodeTheHuffmanTableLacks()
    {
        // This fixture's table gives 5-bit codes to the 17 categories; 11111 is none of them.
        byte[] stream = CodecFixtures.Named("ll_own_ssss16_p1").Codestream;
        int data = ScanDataStart(stream);
        stream[data] = 0xFF;
        stream[data + 1] = 0x00;

        Assert.Contains("invalid Huffman code", AssertCorrupt(stream).Message);
    }

    [Fact]
    public void RefusesLosslessDifferenceCategoryAbove16()
    {
        byte[] stream = CodecFixtures.Named("ll_own_ssss16_p1").Codestream;
        int dht = IndexOfMarker(stream, 0xC4);
        stream.AsSpan(dht + 4 + 17, 17).Fill(17);

        Assert.Contains("category 17", AssertCorrupt(stream).Message);
    }

    [Fact]
    public void RefusesWrongRestartMarker()
    {
        byte[] stream = CodecFixtures.Named("base_gray_rst3").Codestream;
        int rst0 = IndexOfMarker(stream, 0xD0, ScanDataStart(stream));
        stream[rst0 + 1] = 0xD3;

        Assert.Contains("expected restart marker RST0", AssertCorrupt(stream).Message);
    }

    [Fact]
    public void RefusesRestartIntervalThatEndsEarly()
    {
        // Dropping a restart interval's last data byte leaves its last block short of bits.
        byte[] stream = CodecFixtures.Named("ll_own_rgb8_p6_rst82").Codestream;
        int rst0 = IndexOfMarker(stream, 0xD0, ScanDataStart(stream));
        byte[] broken = stream.Take(rst0 - 1).Concat(stream.Skip(rst0)).ToArray();

        Assert.Contains("breaks off at a marker", AssertCorrupt(broken).Message);
    }

    [Fact]
    public void RefusesHugeFrameWithLittleDataBeforeAllocating()
    {
        // 16383 x 16383 x 16 bits is a legal frame (512 MiB), but 64 bytes of data cannot hold it.
        byte[] counts = new byte[16];
        counts[0] = 1;
        byte[] table = Segment(0xC4, new byte[] { 0x00 }.Concat(counts).Append((byte)0).ToArray());
        byte[] frame = Segment(0xC3, new byte[] { 16, 0x3F, 0xFF, 0x3F, 0xFF, 1, 1, 0x11, 0 });
        byte[] scan = Segment(0xDA, new byte[] { 1, 1, 0x00, 1, 0, 0 });
        long before = GC.GetAllocatedBytesForCurrentThread();

        MdaiClaraException error = AssertCorrupt(Stream(table, frame, scan, new byte[64]));

        Assert.Contains("truncated", error.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "the decoder allocated for the claimed size");
    }

    [Fact]
    public void RefusesFrameLargerThanTheSampleLimit()
    {
        byte[] frame = Segment(0xC3, new byte[] { 16, 0xFF, 0xFF, 0xFF, 0xFF, 1, 1, 0x11, 0 });

        Assert.Contains("65535 x 65535", AssertUnsupported(Stream(frame)).Message);
    }

    [Fact]
    public void RefusesFrameHeightGivenByDnl()
    {
        byte[] frame = Segment(0xC0, new byte[] { 8, 0, 0, 0, 8, 1, 1, 0x11, 0 });

        MdaiClaraException error = AssertUnsupported(Stream(frame));
        Assert.Contains("DNL", error.Message);
    }

    [Theory]
    [InlineData(0xC2, "progressive")]
    [InlineData(0xC5, "hierarchical")]
    [InlineData(0xC7, "hierarchical differential lossless")]
    [InlineData(0xC9, "arithmetic")]
    [InlineData(0xCB, "lossless coding with arithmetic")]
    [InlineData(0xCC, "arithmetic")]
    [InlineData(0xDE, "hierarchical")]
    [InlineData(0xF7, "JPEG-LS")]
    public void RefusesUnsupportedProcessWithItsNameAndTheRemedy(byte marker, string expectedWords)
    {
        byte[] stream = Stream(Segment(marker, new byte[] { 8, 0, 8, 0, 8, 1, 1, 0x11, 0 }));

        MdaiClaraException error = AssertUnsupported(stream);

        Assert.Contains(expectedWords, error.Message);
        Assert.Contains("gdcmconv --raw in.dcm out.dcm", error.Message);
    }

    [Fact]
    public void AcceptsMissingEoiAndFillBytesBeforeMarkers()
    {
        byte[] stream = CodecFixtures.Named("ll_mr16_p4").Codestream;
        ushort[] expected = JpegDecoder.Decode(stream).Samples;
        int eoi = LastIndexOfMarker(stream, 0xD9);

        Assert.Equal(expected, JpegDecoder.Decode(stream.Take(eoi).ToArray()).Samples);

        int sof = IndexOfMarker(stream, 0xC3);
        byte[] filled = stream.Take(sof).Concat(new byte[] { 0xFF, 0xFF, 0xFF }).Concat(stream.Skip(sof)).ToArray();
        Assert.Equal(expected, JpegDecoder.Decode(filled).Samples);
    }

    [Theory]
    [MemberData(nameof(JpegFixtures))]
    public void RefusesEveryTruncation(string name)
    {
        byte[] stream = CodecFixtures.Named(name).Codestream;
        int eoi = LastIndexOfMarker(stream, 0xD9);

        // Fill bytes (0xFF) may precede EOI; cutting only those and EOI leaves a complete image.
        while (stream[eoi - 1] == 0xFF)
        {
            eoi--;
        }

        int step = Math.Max(1, eoi / 150);
        var cuts = Enumerable.Range(0, eoi / step).Select(i => 2 + (i * step)).Where(c => c < eoi).Append(eoi - 1);
        foreach (int cut in cuts)
        {
            var error = Assert.Throws<MdaiClaraException>(() => JpegDecoder.Decode(stream.AsSpan(0, cut)));
            Assert.True(error.ErrorId == ErrorIds.JpegCorrupt, $"{name} cut at {cut}: {error.ErrorId}: {error.Message}");
        }
    }

    [Theory]
    [MemberData(nameof(JpegFixtures))]
    public void MutatedStreamsDecodeOrFailWithACodecError(string name)
    {
        byte[] original = CodecFixtures.Named(name).Codestream;
        var random = new Random(name.Length * 7919);
        int headerEnd = ScanDataStart(original);
        for (int trial = 0; trial < 60; trial++)
        {
            byte[] mutated = (byte[])original.Clone();
            int changes = 1 + random.Next(3);
            for (int i = 0; i < changes; i++)
            {
                // Half the mutations hit the marker segments, where the decoder's bounds checks live.
                int at = random.Next(2) == 0 ? random.Next(headerEnd) : random.Next(mutated.Length);
                mutated[at] = (byte)random.Next(256);
            }

            try
            {
                JpegImage image = JpegDecoder.Decode(mutated);
                Assert.Equal(image.Width * image.Height * image.Components, image.Samples.Length);
            }
            catch (MdaiClaraException error)
            {
                Assert.True(
                    error.ErrorId == ErrorIds.JpegCorrupt || error.ErrorId == ErrorIds.JpegUnsupported,
                    $"{name} trial {trial}: {error.ErrorId}: {error.Message}");
            }
        }
    }

    private static MdaiClaraException AssertCorrupt(byte[] stream) => AssertError(stream, ErrorIds.JpegCorrupt);

    private static MdaiClaraException AssertUnsupported(byte[] stream) => AssertError(stream, ErrorIds.JpegUnsupported);

    private static MdaiClaraException AssertError(byte[] stream, string errorId)
    {
        var error = Assert.Throws<MdaiClaraException>(() => JpegDecoder.Decode(stream));
        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(ErrorKind.InvalidData, error.Kind);
        return error;
    }

    /// <summary>SOI, the given pieces, EOI.</summary>
    private static byte[] Stream(params byte[][] pieces)
    {
        var bytes = new List<byte> { 0xFF, 0xD8 };
        foreach (byte[] piece in pieces)
        {
            bytes.AddRange(piece);
        }

        bytes.AddRange(new byte[] { 0xFF, 0xD9 });
        return bytes.ToArray();
    }

    private static byte[] Segment(byte marker, IEnumerable<byte> payload)
    {
        byte[] body = payload.ToArray();
        int length = body.Length + 2;
        return new byte[] { 0xFF, marker, (byte)(length >> 8), (byte)length }.Concat(body).ToArray();
    }

    private static int IndexOfMarker(byte[] stream, byte marker, int from = 0)
    {
        for (int i = from; i + 1 < stream.Length; i++)
        {
            if (stream[i] == 0xFF && stream[i + 1] == marker)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"marker 0x{marker:X2} not found");
    }

    private static int LastIndexOfMarker(byte[] stream, byte marker)
    {
        for (int i = stream.Length - 2; i >= 0; i--)
        {
            if (stream[i] == 0xFF && stream[i + 1] == marker)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"marker 0x{marker:X2} not found");
    }

    /// <summary>Offset of the first entropy-coded byte of the first scan.</summary>
    private static int ScanDataStart(byte[] stream)
    {
        int sos = IndexOfMarker(stream, 0xDA);
        return sos + 2 + ((stream[sos + 2] << 8) | stream[sos + 3]);
    }
}
