using System;
using System.Buffers.Binary;
using System.Text;

namespace MdaiClara.Engine.Imaging.Nifti;

/// <summary>
/// NIfTI-1 (348 bytes) and NIfTI-2 (540 bytes) headers to and from bytes. The byte order is the one under which
/// sizeof_hdr reads as 348 or 540. Writing is always little-endian.
/// </summary>
internal static class NiftiHeaderCodec
{
    /// <summary>The version and byte order that the first four bytes (sizeof_hdr) announce, or null if neither.</summary>
    public static (int Version, bool BigEndian)? Identify(ReadOnlySpan<byte> sizeofHdr)
    {
        if (sizeofHdr.Length < 4)
        {
            return null;
        }

        return BinaryPrimitives.ReadInt32LittleEndian(sizeofHdr) switch
        {
            NiftiHeader.Nifti1Size => (1, false),
            NiftiHeader.Nifti2Size => (2, false),
            _ => BinaryPrimitives.ReadInt32BigEndian(sizeofHdr) switch
            {
                NiftiHeader.Nifti1Size => (1, true),
                NiftiHeader.Nifti2Size => (2, true),
                _ => null,
            },
        };
    }

    /// <summary>Parses a header whose version and byte order <see cref="Identify"/> found; <paramref name="bytes"/> holds at least its size.</summary>
    public static NiftiHeader Parse(ReadOnlySpan<byte> bytes, int version, bool bigEndian)
    {
        var f = new FieldReader(bytes, bigEndian);
        var h = new NiftiHeader { Version = version, BigEndian = bigEndian };
        if (version == 1)
        {
            for (var n = 0; n < 8; n++)
            {
                h.Dim[n] = f.Int16(40 + (2 * n));
                h.PixDim[n] = f.Single(76 + (4 * n));
            }

            h.IntentCode = f.Int16(68);
            h.DataType = f.Int16(70);
            h.BitPix = f.Int16(72);
            h.VoxOffset = f.Single(108);
            h.SclSlope = f.Single(112);
            h.SclInter = f.Single(116);
            h.XyztUnits = bytes[123];
            h.Description = Text(bytes.Slice(148, 80));
            h.QformCode = f.Int16(252);
            h.SformCode = f.Int16(254);
            h.QuaternB = f.Single(256);
            h.QuaternC = f.Single(260);
            h.QuaternD = f.Single(264);
            h.QoffsetX = f.Single(268);
            h.QoffsetY = f.Single(272);
            h.QoffsetZ = f.Single(276);
            for (var n = 0; n < 4; n++)
            {
                h.SrowX[n] = f.Single(280 + (4 * n));
                h.SrowY[n] = f.Single(296 + (4 * n));
                h.SrowZ[n] = f.Single(312 + (4 * n));
            }

            h.Magic = Text(bytes.Slice(344, 4));
            return h;
        }

        h.Magic = Text(bytes.Slice(4, 4));
        h.EolCheck = bytes.Slice(8, 4).ToArray();
        h.DataType = f.Int16(12);
        h.BitPix = f.Int16(14);
        for (var n = 0; n < 8; n++)
        {
            h.Dim[n] = f.Int64(16 + (8 * n));
            h.PixDim[n] = f.Double(104 + (8 * n));
        }

        h.VoxOffset = f.Int64(168);
        h.SclSlope = f.Double(176);
        h.SclInter = f.Double(184);
        h.Description = Text(bytes.Slice(240, 80));
        h.QformCode = f.Int32(344);
        h.SformCode = f.Int32(348);
        h.QuaternB = f.Double(352);
        h.QuaternC = f.Double(360);
        h.QuaternD = f.Double(368);
        h.QoffsetX = f.Double(376);
        h.QoffsetY = f.Double(384);
        h.QoffsetZ = f.Double(392);
        for (var n = 0; n < 4; n++)
        {
            h.SrowX[n] = f.Double(400 + (8 * n));
            h.SrowY[n] = f.Double(432 + (8 * n));
            h.SrowZ[n] = f.Double(464 + (8 * n));
        }

        h.XyztUnits = f.Int32(500);
        h.IntentCode = f.Int32(504);
        return h;
    }

    /// <summary>The header as little-endian bytes (348 or 540, without the 4-byte extension flag). NIfTI-1 floats are rounded to float32.</summary>
    public static byte[] Encode(NiftiHeader h)
    {
        var bytes = new byte[h.Size];
        var f = new FieldWriter(bytes);
        f.Int32(0, h.Size);
        if (h.Version == 1)
        {
            bytes[38] = (byte)'r'; // "regular", as Analyze readers expect
            for (var n = 0; n < 8; n++)
            {
                f.Int16(40 + (2 * n), checked((short)h.Dim[n]));
                f.Single(76 + (4 * n), h.PixDim[n]);
            }

            f.Int16(68, checked((short)h.IntentCode));
            f.Int16(70, h.DataType);
            f.Int16(72, h.BitPix);
            f.Single(108, h.VoxOffset);
            f.Single(112, h.SclSlope);
            f.Single(116, h.SclInter);
            bytes[123] = checked((byte)h.XyztUnits);
            WriteText(bytes.AsSpan(148, 80), h.Description);
            f.Int16(252, checked((short)h.QformCode));
            f.Int16(254, checked((short)h.SformCode));
            f.Single(256, h.QuaternB);
            f.Single(260, h.QuaternC);
            f.Single(264, h.QuaternD);
            f.Single(268, h.QoffsetX);
            f.Single(272, h.QoffsetY);
            f.Single(276, h.QoffsetZ);
            for (var n = 0; n < 4; n++)
            {
                f.Single(280 + (4 * n), h.SrowX[n]);
                f.Single(296 + (4 * n), h.SrowY[n]);
                f.Single(312 + (4 * n), h.SrowZ[n]);
            }

            WriteText(bytes.AsSpan(344, 4), h.Magic);
            return bytes;
        }

        WriteText(bytes.AsSpan(4, 4), h.Magic);
        h.EolCheck.AsSpan(0, 4).CopyTo(bytes.AsSpan(8, 4));
        f.Int16(12, h.DataType);
        f.Int16(14, h.BitPix);
        for (var n = 0; n < 8; n++)
        {
            f.Int64(16 + (8 * n), h.Dim[n]);
            f.Double(104 + (8 * n), h.PixDim[n]);
        }

        f.Int64(168, checked((long)h.VoxOffset));
        f.Double(176, h.SclSlope);
        f.Double(184, h.SclInter);
        WriteText(bytes.AsSpan(240, 80), h.Description);
        f.Int32(344, h.QformCode);
        f.Int32(348, h.SformCode);
        f.Double(352, h.QuaternB);
        f.Double(360, h.QuaternC);
        f.Double(368, h.QuaternD);
        f.Double(376, h.QoffsetX);
        f.Double(384, h.QoffsetY);
        f.Double(392, h.QoffsetZ);
        for (var n = 0; n < 4; n++)
        {
            f.Double(400 + (8 * n), h.SrowX[n]);
            f.Double(432 + (8 * n), h.SrowY[n]);
            f.Double(464 + (8 * n), h.SrowZ[n]);
        }

        f.Int32(500, h.XyztUnits);
        f.Int32(504, h.IntentCode);
        return bytes;
    }

    /// <summary>A NUL-padded character field up to its first NUL (Latin-1, so any byte maps to one character).</summary>
    private static string Text(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return Encoding.Latin1.GetString(end < 0 ? field : field[..end]);
    }

    private static void WriteText(Span<byte> field, string text)
    {
        var length = Math.Min(text.Length, field.Length);
        Encoding.Latin1.GetBytes(text.AsSpan(0, length), field);
    }

    private readonly ref struct FieldReader
    {
        private readonly ReadOnlySpan<byte> _bytes;
        private readonly bool _bigEndian;

        public FieldReader(ReadOnlySpan<byte> bytes, bool bigEndian)
        {
            _bytes = bytes;
            _bigEndian = bigEndian;
        }

        public short Int16(int at) => _bigEndian ? BinaryPrimitives.ReadInt16BigEndian(_bytes[at..]) : BinaryPrimitives.ReadInt16LittleEndian(_bytes[at..]);

        public int Int32(int at) => _bigEndian ? BinaryPrimitives.ReadInt32BigEndian(_bytes[at..]) : BinaryPrimitives.ReadInt32LittleEndian(_bytes[at..]);

        public long Int64(int at) => _bigEndian ? BinaryPrimitives.ReadInt64BigEndian(_bytes[at..]) : BinaryPrimitives.ReadInt64LittleEndian(_bytes[at..]);

        public float Single(int at) => _bigEndian ? BinaryPrimitives.ReadSingleBigEndian(_bytes[at..]) : BinaryPrimitives.ReadSingleLittleEndian(_bytes[at..]);

        public double Double(int at) => _bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(_bytes[at..]) : BinaryPrimitives.ReadDoubleLittleEndian(_bytes[at..]);
    }

    private readonly ref struct FieldWriter
    {
        private readonly Span<byte> _bytes;

        public FieldWriter(Span<byte> bytes) => _bytes = bytes;

        public void Int16(int at, short value) => BinaryPrimitives.WriteInt16LittleEndian(_bytes[at..], value);

        public void Int32(int at, int value) => BinaryPrimitives.WriteInt32LittleEndian(_bytes[at..], value);

        public void Int64(int at, long value) => BinaryPrimitives.WriteInt64LittleEndian(_bytes[at..], value);

        public void Single(int at, double value) => BinaryPrimitives.WriteSingleLittleEndian(_bytes[at..], (float)value);

        public void Double(int at, double value) => BinaryPrimitives.WriteDoubleLittleEndian(_bytes[at..], value);
    }
}
