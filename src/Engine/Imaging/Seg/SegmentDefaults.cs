using System;
using MdaiClara.Engine.Imaging.Dicom.Writing;

namespace MdaiClara.Engine.Imaging.Seg;

/// <summary>
/// What a segment is when nobody said: category SCT 85756007 "Tissue", type SCT 113343008 "Organ" (the class name is
/// the Segment Label), and a colour from a fixed palette by segment number.
/// </summary>
public static class SegmentDefaults
{
    public static readonly DicomCode Category = new("85756007", "SCT", "Tissue");

    public static readonly DicomCode Type = new("113343008", "SCT", "Organ");

    /// <summary>Algorithm Family (CID 7162): DCM 123110 "Artificial Intelligence".</summary>
    public static readonly DicomCode AlgorithmFamily = new("123110", "DCM", "Artificial Intelligence");

    /// <summary>Derivation Code of a segmentation (CID 7203): DCM 113076 "Segmentation".</summary>
    public static readonly DicomCode DerivationSegmentation = new("113076", "DCM", "Segmentation");

    /// <summary>Purpose of Reference of a source image (CID 7202): DCM 121322 "Source image for image processing operation".</summary>
    public static readonly DicomCode SourceImagePurpose = new("121322", "DCM", "Source image for image processing operation");

    private static readonly SegmentColor[] Palette =
    {
        new(230, 25, 75), new(60, 180, 75), new(255, 225, 25), new(0, 130, 200), new(245, 130, 48), new(145, 30, 180),
        new(70, 240, 240), new(240, 50, 230), new(210, 245, 60), new(250, 190, 212), new(0, 128, 128), new(220, 190, 255),
        new(170, 110, 40), new(255, 250, 200), new(128, 0, 0), new(170, 255, 195), new(128, 128, 0), new(255, 215, 180),
        new(0, 0, 128), new(128, 128, 128),
    };

    /// <summary>The palette colour of segment <paramref name="segmentNumber"/> (1-based; the palette repeats).</summary>
    public static SegmentColor ColorOf(int segmentNumber) => Palette[(segmentNumber - 1) % Palette.Length];

    /// <summary>
    /// sRGB → CIELab (D65) → the scaled unsigned values DICOM stores (PS3.3 C.10.7.1.1): L* 0..100 → 0..65535,
    /// a* and b* −128..127 → 0..65535.
    /// </summary>
    public static ushort[] ToDicomLab(SegmentColor color)
    {
        static double Linear(byte c)
        {
            var v = c / 255.0;
            return v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
        }

        var (r, g, b) = (Linear(color.R), Linear(color.G), Linear(color.B));
        var x = ((0.4124564 * r) + (0.3575761 * g) + (0.1804375 * b)) / 0.95047;
        var y = (0.2126729 * r) + (0.7151522 * g) + (0.0721750 * b);
        var z = ((0.0193339 * r) + (0.1191920 * g) + (0.9503041 * b)) / 1.08883;
        static double F(double t) => t > 216.0 / 24389 ? Math.Cbrt(t) : ((24389.0 / 27 * t) + 16) / 116;
        var (fx, fy, fz) = (F(x), F(y), F(z));
        var l = (116 * fy) - 16;
        var a = 500 * (fx - fy);
        var bb = 200 * (fy - fz);
        static ushort Scale(double v, double min, double max) => (ushort)Math.Clamp(Math.Round((v - min) / (max - min) * 65535), 0, 65535);
        return new[] { Scale(l, 0, 100), Scale(a, -128, 127), Scale(bb, -128, 127) };
    }
}
