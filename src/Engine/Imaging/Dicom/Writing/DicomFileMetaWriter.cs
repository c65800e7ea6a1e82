using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace MdaiClara.Engine.Imaging.Dicom.Writing;

/// <summary>
/// Writes the start of a Part 10 file (PS3.10 7.1) for a data set that already exists as encoded bytes (an instance
/// received over the network): the 128-byte preamble, "DICM" and the File Meta Information group in explicit VR little
/// endian, naming the SOP class and instance, the transfer syntax the data set bytes that follow are encoded in,
/// MdaiClara's implementation identity and, when known, the AE title that sent it. The caller writes the data set next.
/// </summary>
public static class DicomFileMetaWriter
{
    public static void Write(Stream output, string sopClassUid, string sopInstanceUid, string transferSyntaxUid, string? sourceAeTitle)
    {
        var meta = new MemoryStream();
        Element(meta, 0x0001, "OB", [0, 1]);
        Element(meta, 0x0002, "UI", Text(sopClassUid, 0));
        Element(meta, 0x0003, "UI", Text(sopInstanceUid, 0));
        Element(meta, 0x0010, "UI", Text(transferSyntaxUid, 0));
        Element(meta, 0x0012, "UI", Text(DicomImplementation.ClassUid, 0));
        Element(meta, 0x0013, "SH", Text(DicomImplementation.VersionName, (byte)' '));
        if (!string.IsNullOrWhiteSpace(sourceAeTitle))
        {
            Element(meta, 0x0016, "AE", Text(sourceAeTitle.Trim(), (byte)' '));
        }

        Span<byte> head = stackalloc byte[132];
        head.Clear();
        "DICM"u8.CopyTo(head[128..]);
        output.Write(head);
        var length = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)meta.Length);
        Element(output, 0x0000, "UL", length);
        meta.WriteTo(output);
    }

    private static void Element(Stream output, ushort element, string vr, byte[] value)
    {
        var longLength = vr == "OB";
        Span<byte> head = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(head, 0x0002);
        BinaryPrimitives.WriteUInt16LittleEndian(head[2..], element);
        head[4] = (byte)vr[0];
        head[5] = (byte)vr[1];
        if (longLength)
        {
            head[6] = 0;
            head[7] = 0;
            BinaryPrimitives.WriteUInt32LittleEndian(head[8..], (uint)value.Length);
            output.Write(head);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(head[6..], (ushort)value.Length);
            output.Write(head[..8]);
        }

        output.Write(value);
    }

    private static byte[] Text(string value, byte pad)
    {
        var bytes = Encoding.ASCII.GetBytes(value);
        if ((bytes.Length & 1) == 1)
        {
            Array.Resize(ref bytes, bytes.Length + 1);
            bytes[^1] = pad;
        }

        return bytes;
    }
}
