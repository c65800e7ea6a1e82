using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace MdaiClara.Engine.Imaging.Seg;

/// <summary>One frame of a binary SEG: which segment (by label value) on which slice of the source grid.</summary>
internal readonly record struct SegFrame(int SegmentNumber, int LabelValue, int Slice);

/// <summary>
/// The frames of a binary SEG and their 1-bit pixel data: one frame per non-empty (segment, slice) pair, ordered by
/// segment then slice; frame pixels in row-major order (row r, column c ↔ voxel i = c, j = r of the slice, as the
/// series assembler laid them out), and the frames' bits packed one after another with no padding between frames,
/// least significant bit first (PS3.5 8.1.1 for Bits Allocated 1), the whole padded to an even number of bytes.
/// </summary>
internal sealed class DicomSegFrames
{
    private DicomSegFrames(IReadOnlyList<SegFrame> frames, IReadOnlyList<int> labelValues, byte[] pixelData)
    {
        Frames = frames;
        LabelValues = labelValues;
        PixelData = pixelData;
    }

    public IReadOnlyList<SegFrame> Frames { get; }

    /// <summary>The label values present, ascending: segment n is LabelValues[n − 1].</summary>
    public IReadOnlyList<int> LabelValues { get; }

    public byte[] PixelData { get; }

    public static DicomSegFrames From(Volume labels, CancellationToken cancellationToken)
    {
        var pixels = checked((int)(labels.Shape[0] * labels.Shape[1]));
        var slices = (int)labels.Shape[2];
        var slice = new int[pixels];

        // Pass 1: which labels each slice holds. A byte label map (the usual case) is scanned in place, skipping the
        // zeros (most of a map) with vectorised searches; other types go through an int copy of each slice.
        var bytes = labels.GetVoxels().GetType().GetElementType() == typeof(byte) ? (byte[])labels.GetVoxels() : null;
        var present = new SortedSet<int>[slices];
        for (var k = 0; k < slices; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var set = new SortedSet<int>();
            if (bytes is not null)
            {
                var span = bytes.AsSpan(k * pixels, pixels);
                for (var p = span.IndexOfAnyExcept((byte)0); p >= 0;)
                {
                    set.Add(span[p]);
                    var next = span[(p + 1)..].IndexOfAnyExcept((byte)0, span[p]);
                    p = next < 0 ? -1 : p + 1 + next;
                }
            }
            else
            {
                LabelSlices.Read(labels, k, slice);
                var last = 0;
                foreach (var v in slice)
                {
                    if (v != 0 && v != last)
                    {
                        set.Add(v);
                        last = v;
                    }
                }
            }

            present[k] = set;
        }

        var labelValues = present.SelectMany(s => s).Distinct().OrderBy(v => v).ToList();
        var frames = new List<SegFrame>();
        var frameOf = new Dictionary<(int Label, int Slice), int>();
        for (var s = 0; s < labelValues.Count; s++)
        {
            for (var k = 0; k < slices; k++)
            {
                if (present[k].Contains(labelValues[s]))
                {
                    frameOf[(labelValues[s], k)] = frames.Count;
                    frames.Add(new SegFrame(s + 1, labelValues[s], k));
                }
            }
        }

        // Pass 2: set the bits of each frame.
        var length = (((long)frames.Count * pixels) + 7) / 8;
        var data = new byte[checked((int)(length + (length & 1)))];
        for (var k = 0; k < slices; k++)
        {
            if (present[k].Count == 0)
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (bytes is not null)
            {
                var span = bytes.AsSpan(k * pixels, pixels);
                var firstBitOf = new long[256];
                foreach (var v in present[k])
                {
                    firstBitOf[v] = (long)frameOf[(v, k)] * pixels;
                }

                for (var p = span.IndexOfAnyExcept((byte)0); p >= 0;)
                {
                    var bit = firstBitOf[span[p]] + p;
                    data[bit >> 3] |= (byte)(1 << (int)(bit & 7));
                    var next = p + 1 < pixels ? span[(p + 1)..].IndexOfAnyExcept((byte)0) : -1;
                    p = next < 0 ? -1 : p + 1 + next;
                }

                continue;
            }

            LabelSlices.Read(labels, k, slice);
            for (var p = 0; p < pixels; p++)
            {
                var v = slice[p];
                if (v != 0)
                {
                    var bit = ((long)frameOf[(v, k)] * pixels) + p;
                    data[bit >> 3] |= (byte)(1 << (int)(bit & 7));
                }
            }
        }

        return new DicomSegFrames(frames, labelValues, data);
    }
}
