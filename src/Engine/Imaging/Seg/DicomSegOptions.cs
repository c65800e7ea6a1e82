using System.Collections.Generic;

namespace MdaiClara.Engine.Imaging.Seg;

/// <summary>What a DICOM Segmentation object says beyond the label map: series, segments, the algorithm that made it.</summary>
public sealed record DicomSegOptions
{
    /// <summary>The root new UIDs (SOP instance, series, dimension organization) are made under; null: 2.25 (UUID-derived).</summary>
    public string? UidRoot { get; init; }

    /// <summary>Series Number (0020,0011) of the new series.</summary>
    public int SeriesNumber { get; init; } = 9901;

    /// <summary>Series Description (0008,103E) of the new series.</summary>
    public string SeriesDescription { get; init; } = "MdaiClara segmentation";

    /// <summary>Segment descriptions by label value; a label value not here gets defaults and its class name.</summary>
    public IReadOnlyDictionary<int, SegmentDescription> Segments { get; init; } = new Dictionary<int, SegmentDescription>();

    /// <summary>Class names by label value (a model's labels), used as Segment Labels where no description names one.</summary>
    public IReadOnlyDictionary<int, string> ClassNames { get; init; } = new Dictionary<int, string>();

    /// <summary>Segment Algorithm Name and Algorithm Name: the model (MMAR) name.</summary>
    public string AlgorithmName { get; init; } = "MdaiClara";

    /// <summary>Algorithm Version; "unknown" when null.</summary>
    public string? AlgorithmVersion { get; init; }

    /// <summary>The SHA-256 of the model file (TorchScript), written as Algorithm Parameters.</summary>
    public string? ModelSha256 { get; init; }

    /// <summary>Content Label (0070,0080): upper-case letters, digits, space and underscore.</summary>
    public string ContentLabel { get; init; } = "SEGMENTATION";

    /// <summary>Device Serial Number (0018,1000) of the writing installation; the machine name when null.</summary>
    public string? DeviceSerialNumber { get; init; }
}
