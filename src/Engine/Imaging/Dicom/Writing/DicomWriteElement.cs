using System;
using System.Collections.Generic;

namespace MdaiClara.Engine.Imaging.Dicom.Writing;

/// <summary>One element to write: its tag, VR and either its encoded (even-length, padded) value or its sequence items.</summary>
public sealed class DicomWriteElement
{
    internal DicomWriteElement(DicomTag tag, DicomVR vr, byte[] value)
    {
        if ((value.Length & 1) == 1)
        {
            throw new ArgumentException("Values are padded to an even length before they become elements.", nameof(value));
        }

        Tag = tag;
        VR = vr;
        Value = value;
    }

    internal DicomWriteElement(DicomTag tag, IReadOnlyList<DicomWriteDataset> items)
    {
        Tag = tag;
        VR = DicomVR.SQ;
        Value = Array.Empty<byte>();
        Items = items;
    }

    public DicomTag Tag { get; }

    public DicomVR VR { get; }

    /// <summary>The encoded value, padded to an even length (empty for sequences).</summary>
    public byte[] Value { get; }

    /// <summary>The items of a sequence; null for other VRs.</summary>
    public IReadOnlyList<DicomWriteDataset>? Items { get; }

    /// <summary>Bytes this element takes in explicit VR little endian, header included (sequences and items of defined length).</summary>
    public long EncodedLength
    {
        get
        {
            if (Items is null)
            {
                return (VR.HasLongLength ? 12 : 8) + Value.LongLength;
            }

            long length = 12;
            foreach (var item in Items)
            {
                length += 8 + item.EncodedLength;
            }

            return length;
        }
    }

    public override string ToString() => $"{Tag} {VR} {DicomDictionary.Keyword(Tag)} ({(Items is not null ? $"{Items.Count} items" : $"{Value.Length} bytes")})";
}
