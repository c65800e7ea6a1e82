using System;

namespace MdaiClara.Engine.Imaging.Dicom.Codecs;

/// <summary>One image component of a frame: its header fields, its size, and the plane its samples decode into.</summary>
internal sealed class JpegComponent
{
    public JpegComponent(byte id, int horizontalFactor, int verticalFactor, int quantizationTableId)
    {
        Id = id;
        HorizontalFactor = horizontalFactor;
        VerticalFactor = verticalFactor;
        QuantizationTableId = quantizationTableId;
    }

    public byte Id { get; }

    public int HorizontalFactor { get; }

    public int VerticalFactor { get; }

    public int QuantizationTableId { get; }

    /// <summary>Samples per row of this component: ceil(X * H / Hmax) (ITU T.81 A.1.1).</summary>
    public int Width { get; set; }

    /// <summary>Sample rows of this component: ceil(Y * V / Vmax).</summary>
    public int Height { get; set; }

    /// <summary>Row length of <see cref="Plane"/>: the component's width padded to whole MCUs.</summary>
    public int PlaneStride { get; set; }

    /// <summary>Rows of <see cref="Plane"/>: the component's height padded to whole MCUs.</summary>
    public int PlaneRows { get; set; }

    /// <summary>The decoded samples (reconstructed values for lossless, level-shifted IDCT output for DCT).</summary>
    public ushort[] Plane { get; set; } = Array.Empty<ushort>();

    /// <summary>True once a scan has decoded this component.</summary>
    public bool Decoded { get; set; }
}
