using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Pictures;

namespace MdaiClara.Engine.Inference.Pipeline;

/// <summary>
/// 16-bit greyscale PNGs (the usual export of radiographs), which the picture library reads only as 8 bits: MONAI's
/// PIL reader keeps all 16, so we decode them ourselves. Non-interlaced greyscale only; other 16-bit layouts are refused.
/// </summary>
internal static class Png16Decoder
{
    /// <summary>
    /// Rows × columns of samples, row-major, from a PNG whose structure <see cref="PngStructure.Check"/> accepted
    /// (chunks inside the file, critical CRCs right, one IHDR, image data plausible for the size).
    /// </summary>
    public static (ushort[] Samples, int Width, int Height) Decode(string path, byte[] bytes, PngHeader header)
    {
        var (width, height) = (header.Width, header.Height);
        if (header.ColourType != 0 || header.Interlace != 0 || (long)width * height > 1L << 28)
        {
            throw new MdaiClaraException(
                $"{path} is a 16-bit PNG of colour type {header.ColourType}{(header.Interlace != 0 ? ", interlaced" : string.Empty)}, {width}×{height}; MdaiClara reads 16-bit PNGs when they are greyscale and not interlaced. Convert it to NIfTI or DICOM.",
                ErrorIds.PictureInvalid, ErrorKind.InvalidData, path);
        }

        // Concatenate the IDAT chunks, then inflate the zlib stream.
        using var compressed = new MemoryStream();
        for (var at = 8; at + 12 <= bytes.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at));
            if (bytes.AsSpan(at + 4, 4).SequenceEqual("IDAT"u8))
            {
                compressed.Write(bytes, at + 8, length);
            }

            at += 12 + length;
        }

        var stride = (width * 2) + 1;
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

    private static MdaiClaraException Corrupt(string path, string what) => PngStructure.Invalid(path, what);
}
