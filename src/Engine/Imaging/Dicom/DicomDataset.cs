using System;
using System.Buffers.Binary;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace MdaiClara.Engine.Imaging.Dicom;

/// <summary>
/// The elements of one data set (or sequence item), in file order, with typed accessors that honour the data set's
/// byte order and character set. Accessors return null (or empty) when an element is absent or empty.
/// </summary>
public sealed class DicomDataset : IReadOnlyCollection<DicomElement>
{
    private readonly List<DicomElement> _elements = new();
    private readonly Dictionary<uint, DicomElement> _byTag = new();

    internal DicomDataset(bool littleEndian, Encoding? characterSet = null)
    {
        LittleEndian = littleEndian;
        CharacterSet = characterSet ?? Latin1;
    }

    public bool LittleEndian { get; }

    /// <summary>How text values are decoded (from SpecificCharacterSet; Latin-1 by default, a superset of the default repertoire).</summary>
    public Encoding CharacterSet { get; internal set; }

    public int Count => _elements.Count;

    private static Encoding Latin1 => Encoding.Latin1;

    public DicomElement? this[DicomTag tag] => _byTag.TryGetValue(tag.Value, out var e) ? e : null;

    public bool Contains(DicomTag tag) => _byTag.ContainsKey(tag.Value);

    public IEnumerator<DicomElement> GetEnumerator() => _elements.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void Add(DicomElement element)
    {
        _byTag[element.Tag.Value] = element;
        _elements.Add(element);
    }

    /// <summary>The whole text value (backslashes kept), padding trimmed.</summary>
    public string? GetString(DicomTag tag)
    {
        var e = this[tag];
        if (e is null || e.IsSequence || e.Value.IsEmpty)
        {
            return null;
        }

        var text = CharacterSet.GetString(e.Value.Span).TrimEnd(' ', '\0');
        return e.VR == DicomVR.UI ? text.Trim() : text.TrimStart(e.VR == DicomVR.LT || e.VR == DicomVR.ST || e.VR == DicomVR.UT ? Array.Empty<char>() : new[] { ' ' });
    }

    /// <summary>The values of a multi-valued text element, each trimmed.</summary>
    public string[] GetStrings(DicomTag tag) =>
        GetString(tag) is { } s ? s.Split('\\').Select(v => v.Trim(' ', '\0')).ToArray() : Array.Empty<string>();

    /// <summary>Decimal strings (DS) or binary floats (FL/FD) as doubles; null when absent or unparsable.</summary>
    public double[]? GetDoubles(DicomTag tag)
    {
        var e = this[tag];
        if (e is null || e.IsSequence || e.Value.IsEmpty)
        {
            return null;
        }

        if (e.VR == DicomVR.FD || e.VR == DicomVR.FL)
        {
            var size = e.VR == DicomVR.FD ? 8 : 4;
            var span = e.Value.Span;
            var values = new double[span.Length / size];
            for (var i = 0; i < values.Length; i++)
            {
                var item = span.Slice(i * size, size);
                values[i] = size == 8
                    ? (LittleEndian ? BinaryPrimitives.ReadDoubleLittleEndian(item) : BinaryPrimitives.ReadDoubleBigEndian(item))
                    : (LittleEndian ? BinaryPrimitives.ReadSingleLittleEndian(item) : BinaryPrimitives.ReadSingleBigEndian(item));
            }

            return values;
        }

        var parts = GetStrings(tag);
        var result = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out result[i]))
            {
                return null;
            }
        }

        return result;
    }

    public double? GetDouble(DicomTag tag) => GetDoubles(tag) is { Length: > 0 } v ? v[0] : null;

    /// <summary>
    /// An integer from IS text or a binary US/SS/UL/SL value (an unknown VR of two or four bytes is read as unsigned).
    /// </summary>
    public long? GetInteger(DicomTag tag, int index = 0)
    {
        var e = this[tag];
        if (e is null || e.IsSequence || e.Value.IsEmpty)
        {
            return null;
        }

        var span = e.Value.Span;
        if (e.VR == DicomVR.IS || e.VR == DicomVR.DS)
        {
            var parts = GetStrings(tag);
            return index < parts.Length && double.TryParse(parts[index], NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && Math.Abs(d) < 9e15 ? (long)Math.Round(d) : null;
        }

        var size = e.VR == DicomVR.UL || e.VR == DicomVR.SL || (e.VR == DicomVR.UN && span.Length == 4) ? 4 : 2;
        if ((index + 1) * size > span.Length)
        {
            return null;
        }

        var item = span.Slice(index * size, size);
        if (size == 2)
        {
            var u = LittleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(item) : BinaryPrimitives.ReadUInt16BigEndian(item);
            return e.VR == DicomVR.SS ? (short)u : u;
        }

        var v = LittleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(item) : BinaryPrimitives.ReadUInt32BigEndian(item);
        return e.VR == DicomVR.SL ? (int)v : v;
    }

    /// <summary>The items of a sequence (empty when absent).</summary>
    public IReadOnlyList<DicomDataset> GetSequence(DicomTag tag) => this[tag]?.Items ?? Array.Empty<DicomDataset>();

    /// <summary>The first item of a sequence, if any.</summary>
    public DicomDataset? GetItem(DicomTag tag) => GetSequence(tag) is { Count: > 0 } items ? items[0] : null;

    /// <summary>Specific Character Set → a .NET encoding for the common single-byte sets and UTF-8; others fall back to Latin-1.</summary>
    internal static Encoding EncodingFor(string? specificCharacterSet)
    {
        var first = specificCharacterSet?.Split('\\').Select(s => s.Trim()).FirstOrDefault(s => s.Length > 0);
        return first switch
        {
            "ISO_IR 192" => Encoding.UTF8,
            "ISO_IR 6" or "ISO 2022 IR 6" or null => Latin1,
            "ISO_IR 100" or "ISO 2022 IR 100" => Latin1,
            _ => Latin1,
        };
    }
}
