using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace MdaiClara.Engine.Tests.TestSupport;

/// <summary>Writes small PNGs chunk by chunk (right CRCs unless told otherwise), to break one thing at a time.</summary>
internal sealed class PngBuilder
{
    private readonly List<(string Type, byte[] Data, bool BadCrc)> _chunks = new();

    /// <summary>An 8-bit greyscale picture of <paramref name="width"/>×<paramref name="height"/>: IHDR, IDAT, IEND.</summary>
    public static PngBuilder Grey8(int width, int height, int colourType = 0, int bitDepth = 8)
    {
        var builder = new PngBuilder();
        builder.Add("IHDR", Ihdr(width, height, bitDepth, colourType));
        var bytesPerSample = bitDepth / 8;
        var raw = new byte[((width * bytesPerSample) + 1) * height];
        for (var i = 0; i < raw.Length; i++)
        {
            raw[i] = i % ((width * bytesPerSample) + 1) == 0 ? (byte)0 : (byte)(i * 7);
        }

        builder.Add("IDAT", Zlib(raw));
        builder.Add("IEND", Array.Empty<byte>());
        return builder;
    }

    public static byte[] Ihdr(int width, int height, int bitDepth, int colourType)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = (byte)bitDepth;
        ihdr[9] = (byte)colourType;
        return ihdr;
    }

    public PngBuilder Add(string type, byte[] data, bool badCrc = false)
    {
        _chunks.Add((type, data, badCrc));
        return this;
    }

    /// <summary>Inserts a chunk before the chunk at <paramref name="index"/>.</summary>
    public PngBuilder Insert(int index, string type, byte[] data, bool badCrc = false)
    {
        _chunks.Insert(index, (type, data, badCrc));
        return this;
    }

    public PngBuilder BreakCrc(int index)
    {
        _chunks[index] = (_chunks[index].Type, _chunks[index].Data, true);
        return this;
    }

    public byte[] ToBytes()
    {
        using var output = new MemoryStream();
        output.Write(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        foreach (var (type, data, badCrc) in _chunks)
        {
            var header = new byte[8];
            BinaryPrimitives.WriteInt32BigEndian(header, data.Length);
            Encoding.ASCII.GetBytes(type).CopyTo(header, 4);
            output.Write(header);
            output.Write(data);
            var crc = Crc(header.AsSpan(4), data) ^ (badCrc ? 1u : 0u);
            var tail = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(tail, crc);
            output.Write(tail);
        }

        return output.ToArray();
    }

    private static byte[] Zlib(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(raw);
        }

        return output.ToArray();
    }

    private static uint Crc(ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var span in new[] { type.ToArray(), data.ToArray() })
        {
            foreach (var b in span)
            {
                crc ^= b;
                for (var k = 0; k < 8; k++)
                {
                    crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
                }
            }
        }

        return crc ^ 0xFFFFFFFFu;
    }
}
