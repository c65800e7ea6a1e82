using System;

namespace MdaiClara.Engine.Imaging.Dicom.Codecs;

/// <summary>
/// Decodes a sequential DCT scan with Huffman coding (baseline SOF0 and extended SOF1; ITU T.81 Annex F): per 8x8
/// block a DC difference and run-length coded AC coefficients, dequantized and inverse-transformed straight into the
/// component's plane.
/// </summary>
internal static class SequentialDctScanDecoder
{
    /// <summary>Zig-zag position k to natural (row-major) position in the 8x8 block (ITU T.81 Figure A.6).</summary>
    private static ReadOnlySpan<byte> ZigZagToNatural => new byte[]
    {
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
        12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
        58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    };

    /// <summary>Decodes the scan starting at <paramref name="start"/> and returns the offset where its data ends.</summary>
    public static int Decode(ReadOnlySpan<byte> data, int start, JpegFrame frame, JpegScan scan)
    {
        var reader = new JpegBitReader(data, start);
        Span<int> coefficients = stackalloc int[64];
        Span<int> dcPredictions = stackalloc int[scan.Components.Length];
        var restarts = new JpegRestartCounter(scan.RestartInterval);

        if (scan.Components.Length == 1)
        {
            // Non-interleaved: one block per MCU, over the blocks the component's own size needs.
            JpegComponent component = scan.Components[0];
            int blocksPerLine = JpegFrame.DivideRoundingUp(component.Width, 8);
            int blockRows = JpegFrame.DivideRoundingUp(component.Height, 8);
            for (int blockY = 0; blockY < blockRows; blockY++)
            {
                for (int blockX = 0; blockX < blocksPerLine; blockX++)
                {
                    if (restarts.Restart(ref reader))
                    {
                        dcPredictions.Clear();
                    }

                    restarts.Take();
                    DecodeBlock(ref reader, scan, 0, ref dcPredictions[0], coefficients, frame.Precision);
                    InverseDct.Transform(coefficients, component.Plane, (blockY * 8 * component.PlaneStride) + (blockX * 8), component.PlaneStride, frame.Precision);
                }

                ThrowIfOverrun(in reader, blockY, blockRows);
            }
        }
        else
        {
            for (int mcuY = 0; mcuY < frame.McuRows; mcuY++)
            {
                for (int mcuX = 0; mcuX < frame.McusPerLine; mcuX++)
                {
                    if (restarts.Restart(ref reader))
                    {
                        dcPredictions.Clear();
                    }

                    restarts.Take();
                    for (int c = 0; c < scan.Components.Length; c++)
                    {
                        JpegComponent component = scan.Components[c];
                        for (int v = 0; v < component.VerticalFactor; v++)
                        {
                            int rowOffset = ((mcuY * component.VerticalFactor) + v) * 8 * component.PlaneStride;
                            for (int h = 0; h < component.HorizontalFactor; h++)
                            {
                                DecodeBlock(ref reader, scan, c, ref dcPredictions[c], coefficients, frame.Precision);
                                int offset = rowOffset + (((mcuX * component.HorizontalFactor) + h) * 8);
                                InverseDct.Transform(coefficients, component.Plane, offset, component.PlaneStride, frame.Precision);
                            }
                        }
                    }
                }

                ThrowIfOverrun(in reader, mcuY, frame.McuRows);
            }
        }

        return reader.Position;
    }

    /// <summary>Decodes one block's coefficients, dequantized, into natural order.</summary>
    private static void DecodeBlock(ref JpegBitReader reader, JpegScan scan, int scanComponent, ref int dcPrediction, scoped Span<int> coefficients, int precision)
    {
        ushort[] quantization = scan.QuantizationTables[scanComponent];
        HuffmanTable acTable = scan.AcTables[scanComponent];
        coefficients.Clear();

        int dcCategory = reader.DecodeSymbol(scan.DcTables[scanComponent]);
        if (dcCategory > precision + 3)
        {
            throw CodecErrors.JpegCorrupt($"DC difference category {dcCategory} is too large for {precision}-bit samples.");
        }

        if (dcCategory > 0)
        {
            dcPrediction += Extend(reader.ReadBits(dcCategory), dcCategory);
        }

        coefficients[0] = dcPrediction * quantization[0];
        ReadOnlySpan<byte> zigZag = ZigZagToNatural;
        for (int k = 1; k < 64; k++)
        {
            int runAndSize = reader.DecodeSymbol(acTable);
            int size = runAndSize & 15;
            int run = runAndSize >> 4;
            if (size == 0)
            {
                if (run != 15)
                {
                    break;
                }

                // ZRL: sixteen zeros (the loop's increment adds the sixteenth).
                k += 15;
                continue;
            }

            k += run;
            if (k > 63)
            {
                throw CodecErrors.JpegCorrupt($"an AC run passes the end of a block (coefficient {k}) near offset {reader.Position}.");
            }

            coefficients[zigZag[k]] = Extend(reader.ReadBits(size), size) * quantization[k];
        }
    }

    /// <summary>Turns SSSS extra bits into a signed value (ITU T.81 F.2.2.1, EXTEND).</summary>
    private static int Extend(int bits, int size) => bits < (1 << (size - 1)) ? bits - (1 << size) + 1 : bits;

    private static void ThrowIfOverrun(in JpegBitReader reader, int row, int rows)
    {
        if (reader.Overrun)
        {
            throw CodecErrors.JpegCorrupt(
                $"the entropy-coded data ends (or breaks off at a marker) in block row {row + 1} of {rows}; the stream is truncated.");
        }
    }
}
