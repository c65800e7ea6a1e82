using System;
using System.Buffers.Binary;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace MdaiClara.Engine.Imaging.Dicom.Writing;

/// <summary>
/// A data set (or sequence item) being built for writing: elements kept in tag order, each value encoded and padded
/// when it is added, with its VR taken from the dictionary (private attributes name theirs). Text is encoded with
/// <see cref="TextEncoding"/>, which the writer of the whole object chooses together with Specific Character Set.
/// </summary>
public sealed class DicomWriteDataset : IReadOnlyCollection<DicomWriteElement>
{
    private readonly SortedDictionary<uint, DicomWriteElement> _elements = new();

    public DicomWriteDataset(Encoding? textEncoding = null)
    {
        TextEncoding = textEncoding ?? Encoding.ASCII;
    }

    /// <summary>How text values are encoded (ASCII by default; UTF-8 with Specific Character Set ISO_IR 192).</summary>
    public Encoding TextEncoding { get; }

    public int Count => _elements.Count;

    public DicomWriteElement? this[DicomTag tag] => _elements.TryGetValue(tag.Value, out var e) ? e : null;

    /// <summary>Bytes the elements take in explicit VR little endian.</summary>
    public long EncodedLength => _elements.Values.Sum(e => e.EncodedLength);

    public IEnumerator<DicomWriteElement> GetEnumerator() => _elements.Values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>A new item for a sequence of this data set, encoding text the same way.</summary>
    public DicomWriteDataset NewItem() => new(TextEncoding);

    /// <summary>A text attribute (one value, or several joined by backslashes); null writes an empty (type 2) value.</summary>
    public DicomWriteDataset Add(DicomTag tag, params string?[] values) => AddText(tag, VrOf(tag), values);

    /// <summary>A text attribute of a private (or unlisted) tag with its VR.</summary>
    public DicomWriteDataset AddText(DicomTag tag, DicomVR vr, params string?[] values)
    {
        if (!vr.IsString)
        {
            throw new ArgumentException($"{tag} is {vr}, not a text VR.", nameof(tag));
        }

        foreach (var value in values)
        {
            DicomValueRules.Check(tag, vr, value ?? string.Empty);
        }

        var text = values.Length == 1 && values[0] is null ? string.Empty : string.Join('\\', values.Select(v => v ?? string.Empty));
        var encoding = vr == DicomVR.UI || vr == DicomVR.CS || vr == DicomVR.DA || vr == DicomVR.TM || vr == DicomVR.DS || vr == DicomVR.IS || vr == DicomVR.AS
            ? Encoding.ASCII
            : TextEncoding;
        var bytes = encoding.GetBytes(text);
        if (!vr.HasLongLength && bytes.Length > ushort.MaxValue - 1)
        {
            throw DicomValueRules.Invalid(tag, vr, text, $"it takes {bytes.Length} bytes; a {vr} value takes at most 65534");
        }

        return Put(new DicomWriteElement(tag, vr, Pad(bytes, vr == DicomVR.UI ? (byte)0 : (byte)' ')));
    }

    /// <summary>Decimal strings (DS) of the numbers, each at most 16 characters.</summary>
    public DicomWriteDataset AddDecimals(DicomTag tag, params double[] values) =>
        AddText(tag, DicomVR.DS, values.Select(DicomValueRules.FormatDecimal).ToArray());

    /// <summary>An integer string (IS).</summary>
    public DicomWriteDataset AddInteger(DicomTag tag, long value) =>
        AddText(tag, DicomVR.IS, value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Unsigned shorts (US); the overload with a VR is for private tags.</summary>
    public DicomWriteDataset AddUInt16(DicomTag tag, params ushort[] values) => AddUInt16(tag, VrOf(tag), values);

    public DicomWriteDataset AddUInt16(DicomTag tag, DicomVR vr, params ushort[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), values[i]);
        }

        return Put(new DicomWriteElement(tag, vr, bytes));
    }

    /// <summary>Unsigned longs (UL).</summary>
    public DicomWriteDataset AddUInt32(DicomTag tag, params uint[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return Put(new DicomWriteElement(tag, VrOf(tag), bytes));
    }

    /// <summary>Attribute tags (AT): group then element of each.</summary>
    public DicomWriteDataset AddTags(DicomTag tag, params DicomTag[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 4), values[i].Group);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan((i * 4) + 2), values[i].Element);
        }

        return Put(new DicomWriteElement(tag, VrOf(tag), bytes));
    }

    /// <summary>Bytes (OB, OW…), padded with a zero byte to an even length.</summary>
    public DicomWriteDataset AddBytes(DicomTag tag, DicomVR vr, byte[] value) => Put(new DicomWriteElement(tag, vr, Pad(value, 0)));

    /// <summary>A sequence of defined length (an empty one writes a zero-length type 2 sequence).</summary>
    public DicomWriteDataset AddSequence(DicomTag tag, params DicomWriteDataset[] items) => AddSequence(tag, (IReadOnlyList<DicomWriteDataset>)items);

    public DicomWriteDataset AddSequence(DicomTag tag, IReadOnlyList<DicomWriteDataset> items)
    {
        if (VrOf(tag) != DicomVR.SQ)
        {
            throw new ArgumentException($"{tag} {DicomDictionary.Keyword(tag)} is not a sequence.", nameof(tag));
        }

        return Put(new DicomWriteElement(tag, items));
    }

    /// <summary>A sequence of one item holding one code (Code Sequence Macro, PS3.3 Table 8.8-1).</summary>
    public DicomWriteDataset AddCode(DicomTag tag, DicomCode code) => AddSequence(tag, code.ToItem(NewItem()));

    private DicomWriteDataset Put(DicomWriteElement element)
    {
        if (element.Tag.Group == 0x0002 || element.Tag.Group == 0xFFFE || element.Tag.Element == 0x0000)
        {
            throw new ArgumentException($"{element.Tag} is written by the Part 10 writer itself (file meta, items, group lengths).", nameof(element));
        }

        _elements[element.Tag.Value] = element;
        return this;
    }

    /// <summary>The VR of a standard attribute; a tag missing from the dictionary is a programming error here.</summary>
    private static DicomVR VrOf(DicomTag tag) => DicomDictionary.TryGet(tag, out var vr, out _) && vr != DicomVR.UN
        ? vr
        : throw new ArgumentException($"{tag} is not in the DICOM dictionary; name its VR.", nameof(tag));

    private static byte[] Pad(byte[] bytes, byte pad)
    {
        if ((bytes.Length & 1) == 0)
        {
            return bytes;
        }

        var padded = new byte[bytes.Length + 1];
        bytes.CopyTo(padded, 0);
        padded[^1] = pad;
        return padded;
    }
}
