using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Imaging.Pictures;

/// <summary>
/// What a picture file is and whether its header is plausible, checked before the picture library decodes it (the
/// library trusts lengths and sizes and answers in terse codes: "bad ctype", "Invalid argument"). PNG gets its whole
/// chunk structure checked (<see cref="PngStructure"/>); JPEG its marker segments up to the frame header, whose size
/// must fit what the file can code; BMP its header against the file's length. The library's refusals are put in
/// words by <see cref="Explain"/>.
/// </summary>
public static class PictureFiles
{
    /// <summary>A DCT-coded 8×8 block takes at least two bits (a DC code and an end-of-block): up to ~682 samples a byte with 4:2:0 colour.</summary>
    private const long JpegSamplesPerByte = 1024;

    /// <summary>A BMP RLE run of 255 pixels takes two bytes.</summary>
    private const long BmpRlePixelsPerByte = 128;

    private static readonly Dictionary<string, string> LibraryReasons = new(StringComparer.Ordinal)
    {
        ["bad ctype"] = "its colour type is not one PNG defines",
        ["bad png sig"] = "it does not start with the PNG signature",
        ["multiple IHDR"] = "it has a second IHDR chunk",
        ["first not IHDR"] = "its first chunk is not IHDR",
        ["no IDAT"] = "it has no image data",
        ["bad zlib header"] = "its compressed image data does not start with a zlib header",
        ["zlib corrupt"] = "its compressed image data is damaged",
        ["bad huffman code"] = "its compressed data holds a code the Huffman tables do not define (the data is damaged)",
        ["bad codelengths"] = "its compressed data has invalid Huffman code lengths (the data is damaged)",
        ["bad code lengths"] = "its compressed data has invalid Huffman code lengths (the data is damaged)",
        ["bad dist"] = "its compressed data refers back before its start (the data is damaged)",
        ["outofdata"] = "its image data ends before the picture is complete (the file is truncated)",
        ["not enough pixels"] = "its image data ends before the picture is complete (the file is truncated)",
        ["invalid filter"] = "a scanline has a filter type PNG does not define",
        ["no SOI"] = "it does not start with a JPEG start-of-image marker",
        ["no SOF"] = "it has no frame header (SOF) before its scan",
        ["expected marker"] = "its data has bytes where a JPEG marker must be (the file is damaged or truncated)",
        ["unknown marker"] = "it has a marker this JPEG decoder does not know",
        ["bad SOF len"] = "its frame header (SOF) has a wrong length",
        ["bad SOS len"] = "its scan header (SOS) has a wrong length",
        ["bad DQT table"] = "its quantisation table (DQT) is invalid",
        ["bad DHT header"] = "its Huffman table (DHT) is invalid",
        ["bad component count"] = "its frame header gives a component count other than 1, 3 or 4",
        ["bad H"] = "its frame header gives an invalid sampling factor",
        ["bad V"] = "its frame header gives an invalid sampling factor",
        ["0 width"] = "its frame header gives a width of 0",
        ["no header height"] = "its frame header gives a height of 0",
        ["not BMP"] = "it does not start with a BMP header",
        ["bad BMP"] = "its BMP header is invalid",
        ["bad bpp"] = "its bits per pixel are not 1, 4, 8, 16, 24 or 32",
        ["bad masks"] = "its colour masks are invalid",
        ["bad offset"] = "its pixel data offset lies outside the file",
        ["too large"] = "its size is larger than the picture reader allows (2^24 pixels a side)",
        ["outofmem"] = "its size is too large to decode",
    };

    /// <summary>The format by content (PIL decides by content too, not by the file's extension).</summary>
    public static PictureFormat Detect(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 8 && bytes[..8].SequenceEqual(PngStructure.Signature) ? PictureFormat.Png
        : bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF ? PictureFormat.Jpeg
        : bytes.Length >= 2 && bytes[0] == (byte)'B' && bytes[1] == (byte)'M' ? PictureFormat.Bmp
        : PictureFormat.Unknown;

    /// <summary>Checks the file's structure and header; returns its format and, for a PNG, its checked header.</summary>
    public static (PictureFormat Format, PngHeader? Png) Check(string path, ReadOnlySpan<byte> bytes)
    {
        var format = Detect(bytes);
        switch (format)
        {
            case PictureFormat.Png:
                return (format, PngStructure.Check(path, bytes));
            case PictureFormat.Jpeg:
                CheckJpeg(path, bytes);
                return (format, null);
            case PictureFormat.Bmp:
                CheckBmp(path, bytes);
                return (format, null);
            default:
                throw new MdaiClaraException(
                    $"{path} is not a PNG, JPEG or BMP picture: its content is none of these formats (whatever its extension says). Give the picture in one of them, or the image as NIfTI or DICOM.",
                    ErrorIds.PictureInvalid, ErrorKind.InvalidData, path);
        }
    }

    /// <summary>The picture library's refusal of <paramref name="path"/>, in words.</summary>
    public static MdaiClaraException Explain(string path, PictureFormat format, Exception ex)
    {
        var code = ex.Message.Split('\n')[0].Trim().TrimEnd('.');
        var what = ex is InvalidOperationException && LibraryReasons.TryGetValue(code, out var reason)
            ? reason
            : "its data is damaged or truncated (the decoder stopped at an inconsistency)";
        return Invalid(path, format, what, ex);
    }

    private static MdaiClaraException Invalid(string path, PictureFormat format, string what, Exception? inner = null) =>
        new($"{path} is not a readable {format.ToString().ToUpperInvariant()}: {what}.", ErrorIds.PictureInvalid, ErrorKind.InvalidData, path, inner);

    private static void CheckJpeg(string path, ReadOnlySpan<byte> bytes)
    {
        var at = 2;
        while (true)
        {
            while (at < bytes.Length && bytes[at] == 0xFF && at + 1 < bytes.Length && bytes[at + 1] == 0xFF)
            {
                at++; // fill bytes
            }

            if (at + 4 > bytes.Length)
            {
                throw Invalid(path, PictureFormat.Jpeg, "it ends before its frame header (SOF) (the file is truncated)");
            }

            if (bytes[at] != 0xFF)
            {
                throw Invalid(path, PictureFormat.Jpeg, $"byte {at:N0} should start a marker but does not (the file is damaged)");
            }

            var marker = bytes[at + 1];
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                at += 2;
                continue;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes[(at + 2)..]);
            if (length < 2 || at + 2 + length > bytes.Length)
            {
                throw Invalid(path, PictureFormat.Jpeg, $"the segment of marker 0x{marker:X2} at byte {at:N0} declares {length:N0} bytes, {(length < 2 ? "fewer than its own length field" : "past the end of the file (it is truncated or the length is wrong)")}");
            }

            if (marker == 0xDA || marker == 0xD9)
            {
                throw Invalid(path, PictureFormat.Jpeg, "it has no frame header (SOF) before its scan");
            }

            if (marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC))
            {
                if (length < 8)
                {
                    throw Invalid(path, PictureFormat.Jpeg, $"its frame header (SOF) is {length} bytes, too short");
                }

                long height = BinaryPrimitives.ReadUInt16BigEndian(bytes[(at + 5)..]);
                long width = BinaryPrimitives.ReadUInt16BigEndian(bytes[(at + 7)..]);
                long components = bytes[at + 9];
                if (width * height * components > (JpegSamplesPerByte * bytes.Length) + 65536)
                {
                    throw Invalid(path, PictureFormat.Jpeg, $"its frame header claims {width:N0}×{height:N0} pixels of {components} component(s), more than its {bytes.Length:N0} bytes can code");
                }

                return;
            }

            at += 2 + length;
        }
    }

    private static void CheckBmp(string path, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 26)
        {
            throw Invalid(path, PictureFormat.Bmp, $"it is {bytes.Length} bytes, shorter than a BMP header");
        }

        var dataOffset = BinaryPrimitives.ReadUInt32LittleEndian(bytes[10..]);
        var headerSize = BinaryPrimitives.ReadUInt32LittleEndian(bytes[14..]);
        long width, height;
        int bpp;
        uint compression = 0;
        if (headerSize == 12)
        {
            width = BinaryPrimitives.ReadUInt16LittleEndian(bytes[18..]);
            height = BinaryPrimitives.ReadUInt16LittleEndian(bytes[20..]);
            bpp = BinaryPrimitives.ReadUInt16LittleEndian(bytes[24..]);
        }
        else if (headerSize >= 40 && bytes.Length >= 34)
        {
            width = BinaryPrimitives.ReadInt32LittleEndian(bytes[18..]);
            height = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(bytes[22..]));
            bpp = BinaryPrimitives.ReadUInt16LittleEndian(bytes[28..]);
            compression = BinaryPrimitives.ReadUInt32LittleEndian(bytes[30..]);
        }
        else
        {
            throw Invalid(path, PictureFormat.Bmp, $"its header size is {headerSize}, which no BMP version has");
        }

        if (width <= 0 || height <= 0)
        {
            throw Invalid(path, PictureFormat.Bmp, $"its header gives {width:N0}×{height:N0} pixels");
        }

        if (dataOffset >= bytes.Length)
        {
            throw Invalid(path, PictureFormat.Bmp, $"its pixel data offset {dataOffset:N0} lies past the end of the file ({bytes.Length:N0} bytes)");
        }

        var available = bytes.Length - (long)dataOffset;
        var rle = compression is 1 or 2;
        var needed = rle ? (width * height) / BmpRlePixelsPerByte : (((width * Math.Max(bpp, 1)) + 31) / 32) * 4 * height;
        if (needed > available)
        {
            throw Invalid(path, PictureFormat.Bmp, $"its header claims {width:N0}×{height:N0} pixels at {bpp} bits, more than its {available:N0} bytes of pixel data can hold (the file is truncated or the header is wrong)");
        }
    }
}
