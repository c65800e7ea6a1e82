using System;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Transforms;

/// <summary>
/// A crop box on the spatial axes: [Start, End) per axis. End may lie past the image (MONAI 0.8.1 pads the overhang
/// at the end); Start is never negative for 0.8.1 and 1.x (1.3 clamps both ends when allow_smaller).
/// </summary>
public sealed record CropBox(long[] Start, long[] End);

/// <summary>MONAI <c>CropForeground</c> on channel-first tensors, with the border handling of each MONAI version.</summary>
public static class CropForegroundTransform
{
    /// <summary>
    /// The bounding box of the foreground of <paramref name="source"/> (<paramref name="select"/> or x &gt; 0 on the
    /// selected channels, any channel), grown by <paramref name="margin"/>, sized to multiples of <paramref name="kDivisible"/>.
    /// No foreground: an empty box.
    /// </summary>
    public static CropBox ComputeBox(Tensor source, Func<Tensor, Tensor>? select, long[]? channelIndices, long[] margin, long[] kDivisible, bool allowSmaller, MonaiSemantics semantics) =>
        throw new NotImplementedException();

    /// <summary>Crops <paramref name="image"/> to the box, zero-padding where the box passes the image (0.8.1).</summary>
    public static Tensor Crop(Tensor image, CropBox box) => throw new NotImplementedException();

    /// <summary>Invertd: back to the pre-crop size, the cropped data at the box, zeros elsewhere.</summary>
    public static Tensor Invert(Tensor image, CropBox box, long[] originalSpatialShape) => throw new NotImplementedException();
}
