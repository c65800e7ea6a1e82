using System;

namespace MdaiClara.Engine.Imaging.Dicom.Writing;

/// <summary>A coded concept: code value, coding scheme designator and code meaning (e.g. SCT 85756007 "Tissue").</summary>
public sealed record DicomCode(string Value, string Scheme, string Meaning)
{
    /// <summary>"SCT:85756007:Tissue" (scheme:value:meaning) → a code; null when the text has not three parts.</summary>
    public static DicomCode? Parse(string text)
    {
        var parts = text.Split(':', 3);
        return parts.Length == 3 && parts[0].Trim().Length > 0 && parts[1].Trim().Length > 0 && parts[2].Trim().Length > 0
            ? new DicomCode(parts[1].Trim(), parts[0].Trim(), parts[2].Trim())
            : null;
    }

    /// <summary>Fills <paramref name="item"/> with the Code Sequence Macro's three attributes.</summary>
    public DicomWriteDataset ToItem(DicomWriteDataset item)
    {
        var valueTag = Value.Length > 16 ? DicomWriteTags.LongCodeValue : DicomWriteTags.CodeValue;
        return item.Add(valueTag, Value).Add(DicomWriteTags.CodingSchemeDesignator, Scheme).Add(DicomWriteTags.CodeMeaning, Meaning);
    }

    public override string ToString() => $"{Scheme}:{Value}:{Meaning}";

    public bool Equals(DicomCode? other) => other is not null && Value == other.Value && string.Equals(Scheme, other.Scheme, StringComparison.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Value, Scheme);
}
