using System;

namespace MdaiClara.Engine.Imaging.Dicom.Codecs;

/// <summary>
/// Brings a subsampled component to full resolution, the way libjpeg does by default (and so GDCM, whose decodings
/// are the references): a triangle filter ("fancy upsampling", weights 3/4 and 1/4 towards the nearer neighbour) for
/// 2:1 horizontal and 2:1 horizontal-and-vertical ratios, sample replication for every other integral ratio.
/// Edges repeat the outermost sample.
/// </summary>
internal static class ChromaUpsampler
{
    /// <summary>
    /// Writes component <paramref name="channel"/> of <paramref name="channels"/> into the interleaved
    /// <paramref name="output"/> of <paramref name="width"/> x <paramref name="height"/> pixels.
    /// </summary>
    public static void Write(JpegComponent component, int hFactor, int vFactor, ushort[] output, int width, int height, int channel, int channels)
    {
        if (hFactor == 1 && vFactor == 1)
        {
            CopyFull(component, output, width, height, channel, channels);
        }
        else if (hFactor == 2 && vFactor == 1)
        {
            TriangleHorizontal(component, output, width, height, channel, channels);
        }
        else if (hFactor == 2 && vFactor == 2)
        {
            TriangleBoth(component, output, width, height, channel, channels);
        }
        else
        {
            Replicate(component, hFactor, vFactor, output, width, height, channel, channels);
        }
    }

    private static void CopyFull(JpegComponent component, ushort[] output, int width, int height, int channel, int channels)
    {
        ushort[] plane = component.Plane;
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<ushort> row = plane.AsSpan(y * component.PlaneStride, width);
            if (channels == 1)
            {
                row.CopyTo(output.AsSpan(y * width, width));
                continue;
            }

            int target = (y * width * channels) + channel;
            for (int x = 0; x < width; x++, target += channels)
            {
                output[target] = row[x];
            }
        }
    }

    private static void Replicate(JpegComponent component, int hFactor, int vFactor, ushort[] output, int width, int height, int channel, int channels)
    {
        ushort[] plane = component.Plane;
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<ushort> row = plane.AsSpan((y / vFactor) * component.PlaneStride, component.PlaneStride);
            int target = (y * width * channels) + channel;
            for (int x = 0; x < width; x++, target += channels)
            {
                output[target] = row[x / hFactor];
            }
        }
    }

    private static void TriangleHorizontal(JpegComponent component, ushort[] output, int width, int height, int channel, int channels)
    {
        int inputWidth = component.Width;
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<ushort> row = component.Plane.AsSpan(y * component.PlaneStride, inputWidth);
            int target = (y * width * channels) + channel;
            for (int x = 0; x < width; x++, target += channels)
            {
                int i = x >> 1;
                int nearest = row[i] * 3;
                int value;
                if ((x & 1) == 0)
                {
                    value = i == 0 ? row[0] : (nearest + row[i - 1] + 1) >> 2;
                }
                else
                {
                    value = i == inputWidth - 1 ? row[i] : (nearest + row[i + 1] + 2) >> 2;
                }

                output[target] = (ushort)value;
            }
        }
    }

    private static void TriangleBoth(JpegComponent component, ushort[] output, int width, int height, int channel, int channels)
    {
        int inputWidth = component.Width;
        int lastInputRow = component.Height - 1;
        int[] columnSums = new int[inputWidth];
        for (int y = 0; y < height; y++)
        {
            // Output row y sits between input row y/2 (weight 3/4) and its neighbour above (even y) or below (odd y).
            int inputRow = y >> 1;
            int neighbourRow = (y & 1) == 0 ? Math.Max(inputRow - 1, 0) : Math.Min(inputRow + 1, lastInputRow);
            ReadOnlySpan<ushort> nearRow = component.Plane.AsSpan(inputRow * component.PlaneStride, inputWidth);
            ReadOnlySpan<ushort> farRow = component.Plane.AsSpan(neighbourRow * component.PlaneStride, inputWidth);
            for (int i = 0; i < inputWidth; i++)
            {
                columnSums[i] = (nearRow[i] * 3) + farRow[i];
            }

            int target = (y * width * channels) + channel;
            for (int x = 0; x < width; x++, target += channels)
            {
                int i = x >> 1;
                int nearest = columnSums[i] * 3;
                int value;
                if ((x & 1) == 0)
                {
                    value = i == 0 ? ((columnSums[0] * 4) + 8) >> 4 : (nearest + columnSums[i - 1] + 8) >> 4;
                }
                else
                {
                    value = i == inputWidth - 1 ? ((columnSums[i] * 4) + 7) >> 4 : (nearest + columnSums[i + 1] + 7) >> 4;
                }

                output[target] = (ushort)value;
            }
        }
    }
}
