using System;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Transforms;

/// <summary>
/// Cuts a window [start, end) out of the spatial axes of a channel-first tensor, where the window may reach past the
/// image on either side: what lies outside the image is zero. Cropping, un-cropping and un-padding are all this one
/// operation (un-cropping is the window [−start, original − start) of the crop).
/// </summary>
internal static class SpatialWindow
{
    /// <summary>
    /// A new tensor [C, *(end − start)] of the image's dtype and device whose voxel j is image[start + j] inside the
    /// image and 0 outside. Never a view of <paramref name="image"/>.
    /// </summary>
    public static Tensor Extract(Tensor image, long[] start, long[] end)
    {
        var rank = start.Length;
        var shape = new long[rank + 1];
        shape[0] = image.shape[0];
        var overhangs = false;
        var overlaps = true;
        for (var d = 0; d < rank; d++)
        {
            var size = image.shape[d + 1];
            shape[d + 1] = end[d] - start[d];
            overhangs |= start[d] < 0 || end[d] > size;
            overlaps &= Math.Max(start[d], 0) < Math.Min(end[d], size);
        }

        using var scope = NewDisposeScope();
        var result = overhangs || !overlaps
            ? zeros(shape, image.dtype, image.device)
            : empty(shape, image.dtype, image.device);
        if (overlaps)
        {
            var source = image;
            var target = result;
            for (var d = 0; d < rank; d++)
            {
                var low = Math.Max(start[d], 0);
                var high = Math.Min(end[d], image.shape[d + 1]);
                source = source.narrow(d + 1, low, high - low);
                target = target.narrow(d + 1, low - start[d], high - low);
            }

            target.copy_(source);
        }

        return result.MoveToOuterDisposeScope();
    }
}
