using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;
using MdaiClara.Engine.Imaging.Dicom;

namespace MdaiClara.Engine.Networking.Dimse.Query;

/// <summary>
/// A C-FIND identifier (PS3.4 C.4.1.1.3): text keys only (matching values, or empty for return keys), encoded in
/// Implicit or Explicit VR Little Endian, elements in tag order, values padded to even length (UI with NUL, others with space).
/// </summary>
public sealed class DimseIdentifier
{
    private readonly SortedDictionary<DicomTag, (string Vr, string Value)> _keys = new();

    public DimseIdentifier Set(DicomTag tag, string vr, string? value)
    {
        _keys[tag] = (vr, value ?? "");
        return this;
    }

    public byte[] Encode(bool explicitVr)
    {
        var stream = new MemoryStream();
        Span<byte> head = stackalloc byte[8];
        foreach (var (tag, (vr, value)) in _keys)
        {
            var bytes = Encoding.ASCII.GetBytes(value);
            if (bytes.Length % 2 == 1)
            {
                Array.Resize(ref bytes, bytes.Length + 1);
                bytes[^1] = vr == "UI" ? (byte)0 : (byte)' ';
            }

            BinaryPrimitives.WriteUInt16LittleEndian(head, tag.Group);
            BinaryPrimitives.WriteUInt16LittleEndian(head[2..], tag.Element);
            if (explicitVr)
            {
                head[4] = (byte)vr[0];
                head[5] = (byte)vr[1];
                BinaryPrimitives.WriteUInt16LittleEndian(head[6..], (ushort)bytes.Length);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(head[4..], (uint)bytes.Length);
            }

            stream.Write(head);
            stream.Write(bytes);
        }

        return stream.ToArray();
    }
}
