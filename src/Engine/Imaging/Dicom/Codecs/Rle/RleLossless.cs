using System;
using System.Buffers;
using System.Buffers.Binary;

namespace MdaiClara.Engine.Imaging.Dicom.Codecs;

/// <summary>
/// Decodes one frame of the DICOM RLE Lossless transfer syntax (PS3.5 Annex G). The frame starts with a 64-byte
/// header (segment count, then 15 segment offsets, all uint32 little-endian); each segment holds one byte plane of one
/// sample, most significant byte first, PackBits-coded.
/// </summary>
public static class RleLossless
{
    private const int HeaderLength = 64;
    private const int MaxSegments = 15;

    /// <summary>
    /// Returns the frame as uncompressed Explicit VR Little Endian pixel data would hold it: little-endian samples of
    /// <paramref name="bitsAllocated"/> bits, colour-by-plane (PlanarConfiguration 1) when there are several samples
    /// per pixel, which is what DICOM says decompressed RLE data is.
    /// </summary>
    public static byte[] DecodeFrame(ReadOnlySpan<byte> frame, int rows, int columns, int samplesPerPixel, int bitsAllocated)
    {
        if (rows < 1 || rows > ushort.MaxValue || columns < 1 || columns > ushort.MaxValue)
        {
            throw CodecErrors.RleCorrupt($"image size {rows} x {columns} is outside 1..65535.");
        }

        if (bitsAllocated != 8 && bitsAllocated != 16 && bitsAllocated != 32)
        {
            throw CodecErrors.RleUnsupported($"Bits Allocated is {bitsAllocated}; RLE frames hold 8, 16 or 32-bit samples.");
        }

        int bytesPerSample = bitsAllocated / 8;
        if (samplesPerPixel < 1 || samplesPerPixel * bytesPerSample > MaxSegments)
        {
            throw CodecErrors.RleUnsupported(
                $"{samplesPerPixel} samples per pixel of {bitsAllocated} bits need more than the {MaxSegments} segments an RLE frame can hold.");
        }

        int expectedSegments = samplesPerPixel * bytesPerSample;
        if (frame.Length < HeaderLength)
        {
            throw CodecErrors.RleCorrupt($"the frame has {frame.Length} bytes, fewer than its {HeaderLength}-byte header.");
        }

        uint segmentCount = BinaryPrimitives.ReadUInt32LittleEndian(frame);
        if (segmentCount != expectedSegments)
        {
            throw CodecErrors.RleCorrupt(
                $"the header lists {segmentCount} segments; {samplesPerPixel} sample(s) of {bitsAllocated} bits need exactly {expectedSegments}.");
        }

        Span<int> starts = stackalloc int[MaxSegments + 1];
        for (int i = 0; i < expectedSegments; i++)
        {
            uint offset = BinaryPrimitives.ReadUInt32LittleEndian(frame.Slice(4 + (4 * i)));
            if (offset < HeaderLength || offset > (uint)frame.Length)
            {
                throw CodecErrors.RleCorrupt($"segment {i + 1} starts at offset {offset}, outside the frame's data (64..{frame.Length}).");
            }

            if (i > 0 && offset < starts[i - 1])
            {
                throw CodecErrors.RleCorrupt($"segment {i + 1} starts at offset {offset}, before segment {i} ({starts[i - 1]}).");
            }

            starts[i] = (int)offset;
        }

        starts[expectedSegments] = frame.Length;

        long pixelCount = (long)rows * columns;
        for (int i = 0; i < expectedSegments; i++)
        {
            // Refuse before allocating: a segment this short cannot fill a plane, however it is coded.
            if (PackBits.MaxDecodedLength(starts[i + 1] - starts[i]) < pixelCount)
            {
                throw CodecErrors.RleCorrupt(
                    $"segment {i + 1} has {starts[i + 1] - starts[i]} bytes, too few to decode to {pixelCount} bytes ({rows} x {columns}).");
            }
        }

        long outputLength = pixelCount * expectedSegments;
        if (outputLength > Array.MaxLength)
        {
            throw CodecErrors.RleUnsupported($"the decoded frame would have {outputLength} bytes, more than one array can hold.");
        }

        int pixels = (int)pixelCount;

        var output = new byte[outputLength];
        if (bytesPerSample == 1)
        {
            // One byte per sample: each segment is already a finished colour plane.
            for (int i = 0; i < expectedSegments; i++)
            {
                DecodeSegment(frame, starts, i, output.AsSpan(i * pixels, pixels));
            }

            return output;
        }

        byte[] plane = ArrayPool<byte>.Shared.Rent(pixels);
        try
        {
            Span<byte> planeSpan = plane.AsSpan(0, pixels);
            for (int sample = 0; sample < samplesPerPixel; sample++)
            {
                Span<byte> samplePlane = output.AsSpan(sample * pixels * bytesPerSample, pixels * bytesPerSample);
                for (int significance = 0; significance < bytesPerSample; significance++)
                {
                    int segment = (sample * bytesPerSample) + significance;
                    DecodeSegment(frame, starts, segment, planeSpan);

                    // Segments run most significant byte first; little-endian output puts that byte last.
                    int byteIndex = bytesPerSample - 1 - significance;
                    for (int p = 0; p < pixels; p++)
                    {
                        samplePlane[(p * bytesPerSample) + byteIndex] = planeSpan[p];
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(plane);
        }

        return output;
    }

    private static void DecodeSegment(ReadOnlySpan<byte> frame, ReadOnlySpan<int> starts, int segment, Span<byte> destination)
    {
        ReadOnlySpan<byte> encoded = frame.Slice(starts[segment], starts[segment + 1] - starts[segment]);
        int written = PackBits.Decode(encoded, destination);
        if (written < destination.Length)
        {
            throw CodecErrors.RleCorrupt(
                $"segment {segment + 1} ({encoded.Length} bytes at offset {starts[segment]}) decodes to {written} bytes; {destination.Length} are needed.");
        }
    }
}
