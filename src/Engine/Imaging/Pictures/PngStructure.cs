using System;
using System.Buffers.Binary;
using System.Text;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Imaging.Pictures;

/// <summary>The IHDR of a PNG whose chunk structure was checked, and how many bytes of image data (IDAT) it has.</summary>
public sealed record PngHeader(int Width, int Height, int BitDepth, int ColourType, int Interlace, long ImageDataBytes)
{
    /// <summary>Samples per pixel for the colour type (palette indices count as one).</summary>
    public int Channels => ColourType switch { 2 => 3, 4 => 2, 6 => 4, _ => 1 };

    /// <summary>Bytes of filtered scanlines the image data must inflate to (non-interlaced; interlaced is a little more).</summary>
    public long RawBytes => (((((long)Width * Channels * BitDepth) + 7) / 8) + 1) * Height;
}

/// <summary>
/// Checks a PNG's chunk structure before any decoder sees it, deciding each case as libpng does: the signature, IHDR
/// first and only once with valid values, every chunk inside the file, CRCs of critical chunks (IHDR, PLTE, IDAT,
/// IEND) right, no unknown critical chunk, consecutive IDATs, a palette where the colour type needs one, IEND last.
/// Ancillary chunks (tEXt, gAMA, private ones…) are skipped, with a bad CRC or not (libpng's default). A header
/// claiming more pixels than its compressed data can inflate to (deflate packs at most ~1032:1) is refused here, so
/// no decoder allocates it.
/// </summary>
public static class PngStructure
{
    public static readonly byte[] Signature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

    /// <summary>Deflate's largest ratio is 1032:1; with zlib framing and slack, refuse beyond this.</summary>
    private const long MaxInflateRatio = 1100;

    private static readonly uint[] CrcTable = BuildCrcTable();

    public static PngHeader Check(string path, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 8 || !bytes[..8].SequenceEqual(Signature))
        {
            throw Invalid(path, "it does not start with the PNG signature");
        }

        PngHeader? header = null;
        var sawPalette = false;
        var idatState = 0; // 0: none yet, 1: in the IDAT run, 2: after it
        long imageData = 0;
        var at = 8L;
        while (true)
        {
            if (at == bytes.Length)
            {
                throw Invalid(path, header is null ? "it has no IHDR chunk" : "it ends without an IEND chunk (the file is truncated)");
            }

            if (at + 12 > bytes.Length)
            {
                throw Invalid(path, $"the file ends inside the chunk header at byte {at:N0} (it is truncated)");
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(bytes[(int)at..]);
            var typeBytes = bytes.Slice((int)at + 4, 4);
            var type = ChunkName(typeBytes);
            if (!IsChunkType(typeBytes))
            {
                throw Invalid(path, $"the chunk at byte {at:N0} has the type {type}, which is not four letters (the file is damaged)");
            }

            if (length > int.MaxValue || at + 12 + length > bytes.Length)
            {
                throw Invalid(path, $"the {type} chunk at byte {at:N0} declares {length:N0} bytes of data, but the file ends {at + 12 + (long)length - bytes.Length:N0} bytes before that (it is truncated or the length is wrong)");
            }

            var data = bytes.Slice((int)at + 8, (int)length);
            var critical = char.IsAsciiLetterUpper(type[0]);
            var crcOk = Crc(bytes.Slice((int)at + 4, 4 + (int)length)) == BinaryPrimitives.ReadUInt32BigEndian(bytes[(int)(at + 8 + length)..]);
            if (critical && !crcOk)
            {
                throw Invalid(path, $"the CRC of the {type} chunk at byte {at:N0} does not match its data (the file is damaged)");
            }

            if (header is null && type != "IHDR")
            {
                throw Invalid(path, $"its first chunk is {type}, not IHDR");
            }

            if (idatState == 1 && type != "IDAT")
            {
                idatState = 2;
            }

            switch (type)
            {
                case "IHDR":
                    if (header is not null)
                    {
                        throw Invalid(path, $"it has a second IHDR chunk at byte {at:N0}");
                    }

                    header = ReadHeader(path, data);
                    break;
                case "PLTE":
                    if (idatState != 0)
                    {
                        throw Invalid(path, "its PLTE chunk comes after the image data");
                    }

                    if (length == 0 || length % 3 != 0 || length / 3 > 256)
                    {
                        throw Invalid(path, $"its PLTE chunk is {length:N0} bytes, not 3 to 768 bytes in whole colours");
                    }

                    sawPalette = true;
                    break;
                case "IDAT":
                    if (idatState == 2)
                    {
                        throw Invalid(path, $"its IDAT chunks are not consecutive (another starts at byte {at:N0})");
                    }

                    if (header!.ColourType == 3 && !sawPalette)
                    {
                        throw Invalid(path, "it is a palette image without a PLTE chunk before its image data");
                    }

                    idatState = 1;
                    imageData += length;
                    break;
                case "IEND":
                    if (imageData == 0)
                    {
                        throw Invalid(path, "it has no image data (no IDAT chunk)");
                    }

                    var result = header! with { ImageDataBytes = imageData };
                    if (result.RawBytes > (MaxInflateRatio * imageData) + 1024)
                    {
                        throw Invalid(path, $"its header claims {result.Width:N0}×{result.Height:N0} pixels, more than its {imageData:N0} bytes of compressed image data can hold");
                    }

                    return result;
                default:
                    if (critical)
                    {
                        throw Invalid(path, $"it has the unknown critical chunk {type} at byte {at:N0}, which a PNG reader must not skip");
                    }

                    break;
            }

            at += 12 + length;
        }
    }

    /// <summary>The error for a PNG that cannot be read: names the file and what is wrong.</summary>
    public static MdaiClaraException Invalid(string path, string what) =>
        new($"{path} is not a readable PNG: {what}.", ErrorIds.PictureInvalid, ErrorKind.InvalidData, path);

    private static PngHeader ReadHeader(string path, ReadOnlySpan<byte> data)
    {
        if (data.Length != 13)
        {
            throw Invalid(path, $"its IHDR chunk is {data.Length} bytes, not 13");
        }

        var width = BinaryPrimitives.ReadUInt32BigEndian(data);
        var height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        int depth = data[8], colour = data[9], compression = data[10], filter = data[11], interlace = data[12];
        if (width is 0 or > int.MaxValue || height is 0 or > int.MaxValue)
        {
            throw Invalid(path, $"its IHDR gives {width:N0}×{height:N0} pixels; both must be 1 to 2,147,483,647");
        }

        var depths = colour switch
        {
            0 => new[] { 1, 2, 4, 8, 16 },
            3 => new[] { 1, 2, 4, 8 },
            2 or 4 or 6 => new[] { 8, 16 },
            _ => null,
        };
        if (depths is null)
        {
            throw Invalid(path, $"its IHDR gives colour type {colour}; PNG has 0 (grey), 2 (RGB), 3 (palette), 4 (grey + alpha) and 6 (RGBA)");
        }

        if (Array.IndexOf(depths, depth) < 0)
        {
            throw Invalid(path, $"its IHDR gives {depth} bits per sample for colour type {colour}; that colour type allows {string.Join(", ", depths)}");
        }

        if (compression != 0 || filter != 0 || interlace > 1)
        {
            throw Invalid(path, $"its IHDR gives compression method {compression}, filter method {filter} and interlace method {interlace}; PNG defines 0, 0 and 0 or 1");
        }

        return new PngHeader((int)width, (int)height, depth, colour, interlace, 0);
    }

    private static bool IsChunkType(ReadOnlySpan<byte> type)
    {
        foreach (var b in type)
        {
            if (!char.IsAsciiLetter((char)b))
            {
                return false;
            }
        }

        return true;
    }

    private static string ChunkName(ReadOnlySpan<byte> type)
    {
        var text = new StringBuilder(4);
        foreach (var b in type)
        {
            text.Append(b is >= 0x20 and < 0x7F ? (char)b : '?');
        }

        return text.ToString();
    }

    private static uint Crc(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
