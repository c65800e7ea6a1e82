using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Inferers;

/// <summary>
/// Where MONAI's sliding window puts its windows over one image: the ROI (non-positive entries replaced by the
/// image extent), the padding that makes the image at least ROI-sized, and the window starts in the padded image,
/// enumerated in C order (axis 0 slowest) as <c>dense_patch_slices</c> does.
/// </summary>
internal sealed class SlidingWindowGrid
{
    private SlidingWindowGrid(long[] imageShape, long[] roi, long[] padBefore, long[] paddedShape, long[][] windowStarts)
    {
        ImageShape = imageShape;
        Roi = roi;
        PadBefore = padBefore;
        PaddedShape = paddedShape;
        WindowStarts = windowStarts;
    }

    /// <summary>The spatial shape of the image before padding.</summary>
    public long[] ImageShape { get; }

    /// <summary>The window size per spatial axis.</summary>
    public long[] Roi { get; }

    /// <summary>Voxels added before each spatial axis (the rest of the padding goes after).</summary>
    public long[] PadBefore { get; }

    /// <summary>The spatial shape after padding: <c>max(image, roi)</c> per axis.</summary>
    public long[] PaddedShape { get; }

    /// <summary>The start of every window in the padded image, one array per window (C order).</summary>
    public IReadOnlyList<long[]> WindowStarts { get; }

    /// <summary>Whether any axis is padded.</summary>
    public bool IsPadded => PaddedShape.Where((size, axis) => size != ImageShape[axis]).Any();

    /// <summary>
    /// Lays out the windows. <paramref name="roiSize"/> and <paramref name="overlap"/> hold one value for every axis
    /// or one per axis (validated by the caller).
    /// </summary>
    public static SlidingWindowGrid Create(long[] imageShape, long[] roiSize, double[] overlap)
    {
        var rank = imageShape.Length;
        var roi = new long[rank];
        var padBefore = new long[rank];
        var padded = new long[rank];
        var startsPerAxis = new long[rank][];
        for (var axis = 0; axis < rank; axis++)
        {
            var requested = roiSize.Length == 1 ? roiSize[0] : roiSize[axis];
            roi[axis] = requested > 0 ? requested : imageShape[axis];
            padded[axis] = Math.Max(imageShape[axis], roi[axis]);
            padBefore[axis] = (padded[axis] - imageShape[axis]) / 2;
            startsPerAxis[axis] = AxisStarts(padded[axis], roi[axis], overlap.Length == 1 ? overlap[0] : overlap[axis]);
        }

        return new SlidingWindowGrid(imageShape, roi, padBefore, padded, CartesianProduct(startsPerAxis));
    }

    /// <summary>The padding as F.pad wants it: (before, after) pairs from the last axis to the first.</summary>
    public long[] FunctionalPadding()
    {
        var pad = new long[2 * Roi.Length];
        for (var axis = 0; axis < Roi.Length; axis++)
        {
            var slot = 2 * (Roi.Length - 1 - axis);
            pad[slot] = PadBefore[axis];
            pad[slot + 1] = PaddedShape[axis] - ImageShape[axis] - PadBefore[axis];
        }

        return pad;
    }

    /// <summary>
    /// The view of window <paramref name="window"/> of batch item <paramref name="item"/> in a padded tensor
    /// [N, C, *padded] (keeps the batch axis, size 1).
    /// </summary>
    public Tensor Window(Tensor padded, long item, int window)
    {
        var view = padded.narrow(0, item, 1);
        var starts = WindowStarts[window];
        for (var axis = 0; axis < starts.Length; axis++)
        {
            view = view.narrow(axis + 2, starts[axis], Roi[axis]);
        }

        return view;
    }

    /// <summary>The image's own region of a padded tensor [N, C, *padded] (a view).</summary>
    public Tensor Unpad(Tensor padded)
    {
        var view = padded;
        for (var axis = 0; axis < ImageShape.Length; axis++)
        {
            if (PaddedShape[axis] != ImageShape[axis])
            {
                view = view.narrow(axis + 2, PadBefore[axis], ImageShape[axis]);
            }
        }

        return view;
    }

    // MONAI steps by int(roi * (1 - overlap)) (at least 1; a whole-axis window is not stepped) and takes windows until
    // one reaches the border; a window that would cross it is shifted back to end exactly at the border.
    private static long[] AxisStarts(long size, long roi, double overlap)
    {
        var interval = roi == size ? roi : Math.Max(1, (long)(roi * (1.0 - overlap)));
        var starts = new List<long>();
        for (long index = 0; ; index++)
        {
            var start = index * interval;
            starts.Add(Math.Min(start, size - roi));
            if (start + roi >= size)
            {
                return starts.ToArray();
            }
        }
    }

    private static long[][] CartesianProduct(long[][] startsPerAxis)
    {
        IEnumerable<long[]> windows = new[] { Array.Empty<long>() };
        foreach (var axisStarts in startsPerAxis)
        {
            windows = windows.SelectMany(prefix => axisStarts.Select(start => prefix.Append(start).ToArray()));
        }

        return windows.ToArray();
    }
}
