using System;

namespace MdaiClara.Engine.Imaging.Dicom.Codecs;

/// <summary>The frame header (SOFn) of a codestream and the geometry derived from it (ITU T.81 B.2.2, A.1.1).</summary>
internal sealed class JpegFrame
{
    public JpegFrame(JpegProcess process, int precision, int width, int height, JpegComponent[] components)
    {
        Process = process;
        Precision = precision;
        Width = width;
        Height = height;
        Components = components;
        foreach (JpegComponent component in components)
        {
            MaxHorizontalFactor = Math.Max(MaxHorizontalFactor, component.HorizontalFactor);
            MaxVerticalFactor = Math.Max(MaxVerticalFactor, component.VerticalFactor);
        }

        // An interleaved MCU covers Hmax x Vmax data units: single samples for lossless, 8x8 blocks for DCT.
        int unit = DataUnitSize;
        McusPerLine = DivideRoundingUp(width, MaxHorizontalFactor * unit);
        McuRows = DivideRoundingUp(height, MaxVerticalFactor * unit);
        foreach (JpegComponent component in components)
        {
            component.Width = DivideRoundingUp(width * component.HorizontalFactor, MaxHorizontalFactor);
            component.Height = DivideRoundingUp(height * component.VerticalFactor, MaxVerticalFactor);
            component.PlaneStride = McusPerLine * component.HorizontalFactor * unit;
            component.PlaneRows = McuRows * component.VerticalFactor * unit;
        }
    }

    public JpegProcess Process { get; }

    public int Precision { get; }

    public int Width { get; }

    public int Height { get; }

    public JpegComponent[] Components { get; }

    public int MaxHorizontalFactor { get; }

    public int MaxVerticalFactor { get; }

    /// <summary>Edge of a data unit in samples: 1 for lossless, 8 for DCT.</summary>
    public int DataUnitSize => Process == JpegProcess.Lossless ? 1 : 8;

    public int McusPerLine { get; }

    public int McuRows { get; }

    public static int DivideRoundingUp(int value, int divisor) => (int)(((long)value + divisor - 1) / divisor);
}
