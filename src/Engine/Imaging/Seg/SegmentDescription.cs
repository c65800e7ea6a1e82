using MdaiClara.Engine.Imaging.Dicom.Writing;

namespace MdaiClara.Engine.Imaging.Seg;

/// <summary>An sRGB colour, 0–255 per channel.</summary>
public readonly record struct SegmentColor(byte R, byte G, byte B)
{
    public override string ToString() => $"#{R:x2}{G:x2}{B:x2}";
}

/// <summary>
/// What a label value of the label map is, as a segment: its label, the Segmented Property Category and Type codes, a
/// display colour and a description. Anything left null gets the writer's default (see <see cref="SegmentDefaults"/>).
/// </summary>
public sealed record SegmentDescription
{
    /// <summary>Segment Label (0062,0005): the class name, at most 64 characters.</summary>
    public string? Label { get; init; }

    /// <summary>Segmented Property Category Code (CID 7150), e.g. SCT 123037004 "Anatomical Structure".</summary>
    public DicomCode? Category { get; init; }

    /// <summary>Segmented Property Type Code (CID 7151), e.g. SCT 78961009 "Spleen".</summary>
    public DicomCode? Type { get; init; }

    /// <summary>Recommended display colour, written as CIELab (0062,000D).</summary>
    public SegmentColor? Color { get; init; }

    /// <summary>Segment Description (0062,0006), optional.</summary>
    public string? Description { get; init; }
}
