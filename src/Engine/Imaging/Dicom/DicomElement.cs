using System;
using System.Collections.Generic;

namespace MdaiClara.Engine.Imaging.Dicom;

/// <summary>A fragment of encapsulated pixel data: where its bytes are.</summary>
public readonly record struct PixelFragment(long Offset, int Length);

/// <summary>
/// One data element: tag, VR and either its value bytes (a slice of the file, not a copy), the items of a sequence, or,
/// for top-level pixel data, only where the value is (it is read when decoded, never while parsing headers).
/// </summary>
public sealed class DicomElement
{
    internal DicomElement(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> value, long valueOffset, long valueLength)
    {
        Tag = tag;
        VR = vr;
        Value = value;
        ValueOffset = valueOffset;
        ValueLength = valueLength;
    }

    internal DicomElement(DicomTag tag, DicomVR vr, IReadOnlyList<DicomDataset> items, long valueOffset, long valueLength)
        : this(tag, vr, ReadOnlyMemory<byte>.Empty, valueOffset, valueLength)
    {
        Items = items;
    }

    public DicomTag Tag { get; }

    public DicomVR VR { get; }

    /// <summary>The raw value bytes (empty for sequences and for pixel data left in the file).</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>Byte offset of the value in the file (or the inflated data set for deflated files).</summary>
    public long ValueOffset { get; }

    /// <summary>The value length as encoded; -1 for undefined length.</summary>
    public long ValueLength { get; }

    /// <summary>Sequence items, for SQ elements.</summary>
    public IReadOnlyList<DicomDataset>? Items { get; }

    public bool IsSequence => Items is not null;

    public override string ToString() => $"{Tag} {VR} {DicomDictionary.Keyword(Tag)} ({(Items is not null ? $"{Items.Count} items" : ValueLength < 0 ? "undefined length" : $"{ValueLength} bytes")})";
}
