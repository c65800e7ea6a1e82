using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Inference.Pipeline;

/// <summary>
/// 16-bit greyscale PNGs (the usual export of radiographs), which the picture library reads only as 8 bits: MONAI's
/// PIL reader keeps all 16, so we decode them ourselves. Non-interlaced greyscale only; other 16-bit layouts are refused.
/// </summary>
internal static class Png16Decoder
{
    private static readonly byte[] Signature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

    /// <summary>True when <paramref name="header"/> (the file's first 29 bytes or more) is a PNG with 16 bits per sample.</summary>
    public static bool Is16Bit(ReadOnlySpan<byte> header) =>
        header.Length >= 29 && header[..8].SequenceEqual(Signature) && header[24] == 16;

    /// <summary>Rows × columns of samples, row-major.</summary>
    public static (ushort[] Samples, int Width, int Height) Decode(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var width = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16));
        var height = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20));
        var colourType = bytes[25];
        var interlace = bytes[28];
        if (colourType != 0 || interlace != 0 || width <= 0 || height <= 0 || (long)width * height > 1L << 28)
        {
            throw new MdaiClaraException(
                $"{path} is a 16-bit PNG of colour type {colourType}{(interlace != 0 ? ", interlaced" : string.Empty)}, {width}×{height}; MdaiClara reads 16-bit PNGs when they are greyscale and not interlaced. Convert it to NIfTI or DICOM.",
                ErrorIds.TransformInputInvalid, ErrorKind.InvalidData, path);
        }

        // Concatenate the IDAT chunks, then inflate the zlib stream.
        using var compressed = new MemoryStream();
        for (var at = 8; at + 12 <= bytes.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(bytes, at + 4, 4);
            if (length < 0 || at + 12L + length > bytes.Length)
            {
                throw Corrupt(path, $"chunk {type} at byte {at} runs past the end of the file");
            }

            if (type == "IDAT")
            {
                compressed.Write(bytes, at + 8, length);
            }

            at += 12 + length;
        }

        var stride = (width * 2) + 1;
        if ((long)stride * height > (1100L * compressed.Length) + (1 << 20))
        {
            // Deflate packs at most ~1032:1: a header claiming more than the data can hold must not allocate it.
            throw Corrupt(path, $"its header claims {width}×{height} pixels, more than its {compressed.Length:N0} bytes of image data can hold");
        }

        var raw = new byte[(long)stride * height];
        compressed.Position = 0;
        using (var zlib = new ZLibStream(compressed, CompressionMode.Decompress))
        {
            try
            {
                zlib.ReadExactly(raw);
            }
            catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
            {
                throw Corrupt(path, "its image data is truncated or corrupt");
            }
        }

        var samples = new ushort[(long)width * height];
        var previous = new byte[width * 2];
        var current = new byte[width * 2];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[(long)y * stride];
            raw.AsSpan((int)((long)y * stride) + 1, width * 2).CopyTo(current);
            Unfilter(filter, current, previous, path);
            for (var x = 0; x < width; x++)
            {
                samples[((long)y * width) + x] = BinaryPrimitives.ReadUInt16BigEndian(current.AsSpan(x * 2));
            }

            (previous, current) = (current, previous);
        }

        return (samples, width, height);
    }

    /// <summary>Undoes one scanline's PNG filter (two bytes per pixel).</summary>
    private static void Unfilter(byte filter, byte[] line, byte[] above, string path)
    {
        const int bpp = 2;
        for (var i = 0; i < line.Length; i++)
        {
            int left = i >= bpp ? line[i - bpp] : 0;
            int up = above[i];
            int upLeft = i >= bpp ? above[i - bpp] : 0;
            line[i] = filter switch
            {
                0 => line[i],
                1 => (byte)(line[i] + left),
                2 => (byte)(line[i] + up),
                3 => (byte)(line[i] + ((left + up) / 2)),
                4 => (byte)(line[i] + Paeth(left, up, upLeft)),
                _ => throw Corrupt(path, $"a scanline has filter type {filter}"),
            };
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static MdaiClaraException Corrupt(string path, string what) =>
        new($"{path} is not a readable PNG: {what}.", ErrorIds.TransformInputInvalid, ErrorKind.InvalidData, path);
}
