using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace MdaiClara.Engine.Imaging.Dicom.Codecs;

/// <summary>
/// Reads the entropy-coded segment of a scan bit by bit, most significant bit first, removing the stuffed zero after
/// each 0xFF (ITU T.81 F.1.2.3). At a marker or the end of data it supplies zero bits but counts them, so the scan
/// decoders can tell a truncated or corrupt stream (one that needed those bits) from a complete one.
/// </summary>
internal ref struct JpegBitReader
{
    private readonly ReadOnlySpan<byte> data;
    private int position;
    private ulong buffer;
    private int bitCount;
    private int paddingBytes;
    private bool atMarker;

    public JpegBitReader(ReadOnlySpan<byte> data, int start)
    {
        this.data = data;
        position = start;
        buffer = 0;
        bitCount = 0;
        paddingBytes = 0;
        atMarker = false;
    }

    /// <summary>Offset of the next byte not yet taken into the bit buffer (the marker's 0xFF once one is reached).</summary>
    public readonly int Position => position;

    /// <summary>True when bits were consumed that the stream does not have (they came from the zero padding).</summary>
    public readonly bool Overrun => paddingBytes * 8 > bitCount;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadBits(int count)
    {
        if (bitCount < count)
        {
            Fill();
        }

        bitCount -= count;
        return (int)(buffer >> bitCount) & ((1 << count) - 1);
    }

    /// <summary>Decodes one Huffman-coded symbol.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int DecodeSymbol(HuffmanTable table)
    {
        if (bitCount < 16)
        {
            Fill();
        }

        int entry = table.Lookup[(int)(buffer >> (bitCount - HuffmanTable.LookupBits)) & ((1 << HuffmanTable.LookupBits) - 1)];
        if (entry == 0)
        {
            entry = table.DecodeLong((int)(buffer >> (bitCount - 16)) & 0xFFFF);
            if (entry < 0)
            {
                throw CodecErrors.JpegCorrupt($"invalid Huffman code in the entropy-coded data near offset {position}.");
            }
        }

        bitCount -= entry >> 8;
        return entry & 0xFF;
    }

    /// <summary>
    /// Ends a restart interval: drops the fill bits of the last byte, and consumes the RSTn marker that must follow
    /// (n = <paramref name="expectedIndex"/>), skipping any stray bytes before it.
    /// </summary>
    public void Restart(int expectedIndex)
    {
        if (Overrun)
        {
            throw CodecErrors.JpegCorrupt($"a restart interval's data ends early (at offset {position}).");
        }

        int markerAt = JpegDecoder.FindNextMarker(data, position);
        if (markerAt < 0)
        {
            throw CodecErrors.JpegCorrupt($"the data ends where restart marker RST{expectedIndex} was expected (after offset {position}).");
        }

        byte marker = data[markerAt + 1];
        if (marker != JpegMarker.Rst0 + expectedIndex)
        {
            throw CodecErrors.JpegCorrupt(
                $"expected restart marker RST{expectedIndex} at offset {markerAt}, found marker 0x{marker:X2}.");
        }

        position = markerAt + 2;
        buffer = 0;
        bitCount = 0;
        paddingBytes = 0;
        atMarker = false;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Fill()
    {
        // Fast path: take whole bytes at once while the next eight hold no 0xFF (no stuffing, no marker).
        if (!atMarker && position + 8 <= data.Length)
        {
            ulong word = BinaryPrimitives.ReadUInt64BigEndian(data.Slice(position));
            ulong inverted = ~word;
            bool hasFF = ((inverted - 0x0101010101010101UL) & ~inverted & 0x8080808080808080UL) != 0;
            if (!hasFF)
            {
                // At most 7 bytes, so the shifts below stay under 64; callers fill with at most 16 bits left.
                int take = (63 - bitCount) >> 3;
                buffer = (buffer << (take * 8)) | (word >> (64 - (take * 8)));
                bitCount += take * 8;
                position += take;
                return;
            }
        }

        while (bitCount <= 56)
        {
            uint next = 0;
            if (!atMarker && position < data.Length)
            {
                next = data[position];
                if (next != 0xFF)
                {
                    position++;
                }
                else if (position + 1 < data.Length && data[position + 1] == 0x00)
                {
                    position += 2;
                }
                else
                {
                    // A marker ends the segment; stay on it so the caller can find it.
                    atMarker = true;
                    next = 0;
                    paddingBytes++;
                }
            }
            else
            {
                paddingBytes++;
            }

            buffer = (buffer << 8) | next;
            bitCount += 8;
        }
    }
}
