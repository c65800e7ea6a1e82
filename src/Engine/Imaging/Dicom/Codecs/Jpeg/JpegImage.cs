using System;
using System.Collections.Generic;

namespace MdaiClara.Engine.Imaging.Dicom.Codecs;

/// <summary>
/// A decoded JPEG image: <paramref name="Samples"/> holds <paramref name="Width"/> x <paramref name="Height"/> pixels
/// of <paramref name="Components"/> samples each, interleaved colour-by-pixel, row-major, with the values as decoded
/// (no colour conversion; subsampled components are upsampled to full resolution). <paramref name="Precision"/> is the
/// frame's sample precision in bits (8 or 12 for DCT processes, 2..16 for lossless).
/// </summary>
public sealed record JpegImage(int Width, int Height, int Components, int Precision, ushort[] Samples)
{
    /// <summary>The coding process of the frame.</summary>
    public JpegProcess Process { get; init; }

    /// <summary>True when the stream has a JFIF APP0 segment (which implies YCbCr for three components).</summary>
    public bool HasJfif { get; init; }

    /// <summary>
    /// The transform flag of an Adobe APP14 segment (0: none, i.e. RGB or CMYK; 1: YCbCr; 2: YCCK), or null when the
    /// stream has no such segment.
    /// </summary>
    public int? AdobeTransform { get; init; }

    /// <summary>The component identifiers of the frame header, in sample order (e.g. 1,2,3 or 'R','G','B').</summary>
    public IReadOnlyList<byte> ComponentIds { get; init; } = Array.Empty<byte>();

    /// <summary>For lossless frames, the predictor (selection value 1..7) of the first scan; 0 otherwise.</summary>
    public int Predictor { get; init; }

    /// <summary>For lossless frames, the point transform of the first scan; 0 otherwise.</summary>
    public int PointTransform { get; init; }
}
