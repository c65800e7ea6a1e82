using System;
using System.Runtime.CompilerServices;

namespace MdaiClara.Engine.Imaging.Dicom.Codecs;

/// <summary>
/// Decodes a lossless (SOF3) scan, ITU T.81 Annex H: each sample is a Huffman-coded difference from a prediction
/// made from its left (Ra), upper (Rb) and upper-left (Rc) neighbours, modulo 2^16. The first sample of a scan or
/// restart interval is predicted by 2^(P - Pt - 1), the rest of that first line by Ra, and the first sample of every
/// later line by Rb. Samples stay in the point-transformed domain here; <see cref="JpegDecoder"/> shifts them back.
/// </summary>
internal static class LosslessScanDecoder
{
    /// <summary>Decodes the scan starting at <paramref name="start"/> and returns the offset where its data ends.</summary>
    public static int Decode(ReadOnlySpan<byte> data, int start, JpegFrame frame, JpegScan scan)
    {
        var reader = new JpegBitReader(data, start);
        if (scan.Components.Length == 1)
        {
            DecodeSingleComponent(ref reader, frame, scan);
        }
        else
        {
            DecodeInterleaved(ref reader, frame, scan);
        }

        return reader.Position;
    }

    /// <summary>A non-interleaved scan: one sample per MCU, in raster order over the component.</summary>
    private static void DecodeSingleComponent(ref JpegBitReader reader, JpegFrame frame, JpegScan scan)
    {
        JpegComponent component = scan.Components[0];
        HuffmanTable table = scan.DcTables[0];
        ushort[] plane = component.Plane;
        int stride = component.PlaneStride;
        int width = component.Width;
        int initialPrediction = 1 << (frame.Precision - scan.PointTransform - 1);
        var restarts = new JpegRestartCounter(scan.RestartInterval);
        int intervalRow = 0;
        bool atIntervalStart = true;

        for (int y = 0; y < component.Height; y++)
        {
            Span<ushort> row = plane.AsSpan(y * stride, stride);
            int x = 0;
            while (x < width)
            {
                if (restarts.Restart(ref reader))
                {
                    atIntervalStart = true;
                    intervalRow = y;
                }

                int end = (int)Math.Min(width, (long)x + restarts.Left);
                restarts.Take(end - x);
                if (atIntervalStart)
                {
                    row[x] = (ushort)(initialPrediction + ReadDifference(ref reader, table));
                    atIntervalStart = false;
                    x++;
                }

                if (y == intervalRow)
                {
                    DecodeRun(ref reader, table, row, default, x, end, predictor: 1);
                }
                else
                {
                    ReadOnlySpan<ushort> above = plane.AsSpan((y - 1) * stride, stride);
                    if (x == 0 && end > 0)
                    {
                        row[0] = (ushort)(above[0] + ReadDifference(ref reader, table));
                        x = 1;
                    }

                    DecodeRun(ref reader, table, row, above, x, end, scan.Predictor);
                }

                x = end;
            }

            if (reader.Overrun)
            {
                throw Truncated(y, component.Height);
            }
        }
    }

    /// <summary>Decodes samples x0..x1-1 of a row whose samples x0-1 (and the row above, when used) are known.</summary>
    private static void DecodeRun(ref JpegBitReader reader, HuffmanTable table, Span<ushort> row, ReadOnlySpan<ushort> above, int x0, int x1, int predictor)
    {
        switch (predictor)
        {
            case 1:
                for (int x = x0; x < x1; x++)
                {
                    row[x] = (ushort)(row[x - 1] + ReadDifference(ref reader, table));
                }

                break;
            case 2:
                for (int x = x0; x < x1; x++)
                {
                    row[x] = (ushort)(above[x] + ReadDifference(ref reader, table));
                }

                break;
            default:
                for (int x = x0; x < x1; x++)
                {
                    int prediction = Predict(predictor, row[x - 1], above[x], above[x - 1]);
                    row[x] = (ushort)(prediction + ReadDifference(ref reader, table));
                }

                break;
        }
    }

    /// <summary>
    /// An interleaved scan: each MCU holds H x V samples of every scan component. The position rules of the
    /// prediction are applied per sample, relative to where the current restart interval began in each component.
    /// </summary>
    private static void DecodeInterleaved(ref JpegBitReader reader, JpegFrame frame, JpegScan scan)
    {
        JpegComponent[] components = scan.Components;
        int count = components.Length;
        Span<int> intervalX = stackalloc int[count];
        Span<int> intervalY = stackalloc int[count];
        int initialPrediction = 1 << (frame.Precision - scan.PointTransform - 1);
        int predictor = scan.Predictor;
        var restarts = new JpegRestartCounter(scan.RestartInterval);

        for (int mcuY = 0; mcuY < frame.McuRows; mcuY++)
        {
            for (int mcuX = 0; mcuX < frame.McusPerLine; mcuX++)
            {
                if (restarts.Restart(ref reader))
                {
                    for (int c = 0; c < count; c++)
                    {
                        intervalX[c] = mcuX * components[c].HorizontalFactor;
                        intervalY[c] = mcuY * components[c].VerticalFactor;
                    }
                }

                restarts.Take();
                for (int c = 0; c < count; c++)
                {
                    JpegComponent component = components[c];
                    HuffmanTable table = scan.DcTables[c];
                    ushort[] plane = component.Plane;
                    int stride = component.PlaneStride;
                    for (int v = 0; v < component.VerticalFactor; v++)
                    {
                        int py = (mcuY * component.VerticalFactor) + v;
                        for (int h = 0; h < component.HorizontalFactor; h++)
                        {
                            int px = (mcuX * component.HorizontalFactor) + h;
                            int i = (py * stride) + px;
                            int prediction;
                            if (py == intervalY[c])
                            {
                                prediction = px == intervalX[c] ? initialPrediction : plane[i - 1];
                            }
                            else if (px == 0)
                            {
                                prediction = plane[i - stride];
                            }
                            else
                            {
                                prediction = Predict(predictor, plane[i - 1], plane[i - stride], plane[i - stride - 1]);
                            }

                            plane[i] = (ushort)(prediction + ReadDifference(ref reader, table));
                        }
                    }
                }
            }

            if (reader.Overrun)
            {
                throw Truncated(mcuY, frame.McuRows);
            }
        }
    }

    /// <summary>The predictors of ITU T.81 Table H.1, computed in full integer precision.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Predict(int predictor, int ra, int rb, int rc) => predictor switch
    {
        1 => ra,
        2 => rb,
        3 => rc,
        4 => ra + rb - rc,
        5 => ra + ((rb - rc) >> 1),
        6 => rb + ((ra - rc) >> 1),
        _ => (ra + rb) >> 1,
    };

    /// <summary>
    /// Reads one difference: a Huffman-coded category SSSS, then SSSS extra bits (Table H.2). Category 16 is the
    /// difference 32768 and has no extra bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ReadDifference(ref JpegBitReader reader, HuffmanTable table)
    {
        int category = reader.DecodeSymbol(table);
        if (category == 0)
        {
            return 0;
        }

        if (category >= 16)
        {
            return category == 16 ? 32768 : throw CodecErrors.JpegCorrupt($"lossless difference category {category} is above 16.");
        }

        int bits = reader.ReadBits(category);
        return bits < (1 << (category - 1)) ? bits - (1 << category) + 1 : bits;
    }

    private static Exception Truncated(int row, int rows) =>
        CodecErrors.JpegCorrupt($"the entropy-coded data ends (or breaks off at a marker) in row {row + 1} of {rows}; the stream is truncated.");
}
