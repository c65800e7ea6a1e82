using System;
using System.Linq;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Transforms;

/// <summary>
/// A crop box on the spatial axes: [Start, End) per axis, in voxels of the image it was computed on. The box may
/// reach past the image: MONAI 0.8.1 lets End pass the image end (the crop zero-pads the overhang), and k_divisible
/// (any version) or allow_smaller=False (1.x) can move Start below 0 (padded before). Start == End on every axis is
/// the empty box of an image without foreground.
/// </summary>
public sealed record CropBox(long[] Start, long[] End)
{
    /// <summary>The cropped size per axis (End − Start): the spatial shape <see cref="CropForegroundTransform.Crop"/> returns.</summary>
    public long[] Size => Start.Zip(End, (start, end) => end - start).ToArray();

    /// <summary>True for the box of an image without foreground: the crop is a zero-size tensor.</summary>
    public bool IsEmpty => Size.Any(size => size == 0);

    /// <summary>Zero-padding the crop adds before each axis (where Start is below 0).</summary>
    public long[] PadBefore => Start.Select(start => Math.Max(-start, 0)).ToArray();

    /// <summary>Zero-padding the crop adds after each axis (where End passes <paramref name="spatialShape"/>).</summary>
    public long[] PadAfter(long[] spatialShape) => End.Zip(spatialShape, (end, size) => Math.Max(end - size, 0)).ToArray();
}

/// <summary>MONAI <c>CropForeground</c> on channel-first tensors, with the border handling of each MONAI version.</summary>
public static class CropForegroundTransform
{
    private const string Component = "CropForeground";

    /// <summary>
    /// The bounding box of the foreground of <paramref name="source"/> (<paramref name="select"/> or x &gt; 0 on the
    /// selected channels, any channel), grown by <paramref name="margin"/>, sized to multiples of <paramref name="kDivisible"/>.
    /// No foreground: an empty box.
    /// </summary>
    /// <param name="source">The channel-first image [C, *spatial] the foreground is looked for in (any device).</param>
    /// <param name="select">MONAI's <c>select_fn</c>: maps the (channel-selected) image to a mask of the same shape;
    /// a non-boolean result counts where it is non-zero. Null: x &gt; 0.</param>
    /// <param name="channelIndices">Channels to look at (negative counts from the end); null: all.</param>
    /// <param name="margin">Voxels added on both sides of the foreground: one value for all axes or one per axis; not negative.</param>
    /// <param name="kDivisible">The box size is rounded up to a multiple of k, growing about the centre (the extra
    /// voxel of an odd growth goes to the end); one value or one per axis; k ≤ 0 means 1.</param>
    /// <param name="allowSmaller">MONAI 1.x <c>allow_smaller</c>: true clamps the margin box to the image, false lets
    /// it pass the image on both sides (the crop pads). MONAI 0.5 and 0.8.1 have no such argument and it is ignored
    /// for them: 0.5 clamps both ends, 0.8.1 clamps the start only.</param>
    /// <param name="semantics">Which MONAI's border handling to follow.</param>
    public static CropBox ComputeBox(Tensor source, Func<Tensor, Tensor>? select, long[]? channelIndices, long[] margin, long[] kDivisible, bool allowSmaller, MonaiSemantics semantics)
    {
        var rank = AxisArguments.SpatialRank(source, Component);
        var margins = AxisArguments.Expand(margin, rank, Component, "margin");
        if (margins.Any(m => m < 0))
        {
            throw TransformErrors.Argument(Component, "margin", $"must not be negative, got {AxisArguments.Describe(margins)}");
        }

        var divisors = AxisArguments.Expand(kDivisible, rank, Component, "k_divisible");
        var spatialShape = AxisArguments.SpatialShape(source);

        var extent = ForegroundExtent(source, select, channelIndices, rank);
        if (extent is null)
        {
            // MONAI's box for "no foreground": [0, 0) on every axis, which k_divisible leaves empty.
            return new CropBox(new long[rank], new long[rank]);
        }

        var (clampStart, clampEnd) = semantics switch
        {
            // 0.8.1 clamps only the start; the crop zero-pads whatever the end passes.
            MonaiSemantics.Monai08 => (true, false),
            MonaiSemantics.Monai05 => (true, true),
            _ => (allowSmaller, allowSmaller),
        };
        var (first, last) = extent.Value;
        var start = new long[rank];
        var end = new long[rank];
        for (var d = 0; d < rank; d++)
        {
            start[d] = first[d] - margins[d];
            end[d] = last[d] + margins[d] + 1;
            if (clampStart)
            {
                start[d] = Math.Max(start[d], 0);
            }

            if (clampEnd)
            {
                end[d] = Math.Min(end[d], spatialShape[d]);
            }

            // Every version applies k_divisible to its own (clamped or not) margin box.
            var k = divisors[d] > 0 ? divisors[d] : 1;
            var size = end[d] - start[d];
            var divisibleSize = (size + k - 1) / k * k;
            start[d] -= (divisibleSize - size) / 2;
            end[d] = start[d] + divisibleSize;
        }

        return new CropBox(start, end);
    }

    /// <summary>Crops <paramref name="image"/> to the box, zero-padding where the box passes the image (0.8.1).</summary>
    /// <returns>A new tensor [C, *box.Size] of the image's dtype and device (MONAI crops and pads without casting);
    /// zero-size for the empty box, as MONAI's crop of an image without foreground.</returns>
    public static Tensor Crop(Tensor image, CropBox box)
    {
        var rank = AxisArguments.SpatialRank(image, Component);
        CheckBox(box, rank);
        return SpatialWindow.Extract(image, box.Start, box.End);
    }

    /// <summary>Invertd: back to the pre-crop size, the cropped data at the box, zeros elsewhere.</summary>
    /// <param name="image">Data in the cropped space [C, *box.Size] (any channel count, e.g. a prediction).</param>
    /// <param name="box">The box the forward crop used.</param>
    /// <param name="originalSpatialShape">The spatial shape of the image before the crop.</param>
    /// <returns>A new tensor [C, *originalSpatialShape] of the image's dtype and device: the padding the crop added is
    /// dropped, everything outside the box is 0 in every channel.</returns>
    public static Tensor Invert(Tensor image, CropBox box, long[] originalSpatialShape)
    {
        var rank = AxisArguments.SpatialRank(image, Component);
        CheckBox(box, rank);
        if (originalSpatialShape is null || originalSpatialShape.Length != rank || originalSpatialShape.Any(s => s < 0))
        {
            throw TransformErrors.Argument(Component, "original spatial shape",
                $"must give {rank} non-negative sizes, got {(originalSpatialShape is null ? "none" : AxisArguments.Describe(originalSpatialShape))}");
        }

        var cropped = AxisArguments.SpatialShape(image);
        if (!cropped.SequenceEqual(box.Size))
        {
            throw TransformErrors.Input(Component,
                $"cannot invert the crop: the data has spatial shape {AxisArguments.Describe(cropped)}, the crop box has size {AxisArguments.Describe(box.Size)}");
        }

        // The original image seen from the crop: the window [−start, original − start) of the cropped data.
        var start = box.Start.Select(s => -s).ToArray();
        var end = originalSpatialShape.Zip(box.Start, (size, s) => size - s).ToArray();
        return SpatialWindow.Extract(image, start, end);
    }

    /// <summary>First and last foreground index per spatial axis, or null when there is no foreground.</summary>
    private static (long[] First, long[] Last)? ForegroundExtent(Tensor source, Func<Tensor, Tensor>? select, long[]? channelIndices, int rank)
    {
        var spatialShape = AxisArguments.SpatialShape(source);
        var channels = source.shape[0];
        if (channels == 0 || spatialShape.Any(s => s == 0))
        {
            return null;
        }

        using var scope = NewDisposeScope();
        var data = source;
        if (channelIndices is not null)
        {
            var indices = channelIndices.Select(c => c < 0 ? c + channels : c).ToArray();
            if (indices.Length == 0 || indices.Any(c => c < 0 || c >= channels))
            {
                throw TransformErrors.Argument(Component, "channel_indices",
                    $"must name channels of an image with {channels} channel(s), got {AxisArguments.Describe(channelIndices)}");
            }

            data = source.index_select(0, tensor(indices, device: source.device));
        }

        var mask = select is null ? data.gt(0) : select(data);
        if (!mask.shape.SequenceEqual(data.shape))
        {
            throw TransformErrors.Argument(Component, "select_fn",
                $"must return a mask of its input's shape {AxisArguments.Describe(data.shape)}, got {AxisArguments.Describe(mask.shape)}");
        }

        if (mask.dtype != ScalarType.Bool)
        {
            mask = mask.ne(0);
        }

        var anyChannel = mask.any(0);
        var profiles = new Tensor[rank];
        for (var d = 0; d < rank; d++)
        {
            profiles[d] = anyChannel.movedim(new long[] { d }, new long[] { 0 }).reshape(spatialShape[d], -1).any(1);
        }

        // One transfer of a few hundred booleans: the box is needed on the host anyway.
        var flags = cat(profiles).cpu().data<bool>().ToArray();
        var first = new long[rank];
        var last = new long[rank];
        var offset = 0;
        for (var d = 0; d < rank; d++)
        {
            var profile = new ArraySegment<bool>(flags, offset, (int)spatialShape[d]);
            first[d] = profile.AsSpan().IndexOf(true);
            if (first[d] < 0)
            {
                return null;
            }

            last[d] = profile.AsSpan().LastIndexOf(true);
            offset += (int)spatialShape[d];
        }

        return (first, last);
    }

    private static void CheckBox(CropBox box, int rank)
    {
        if (box is null || box.Start is null || box.End is null || box.Start.Length != rank || box.End.Length != rank)
        {
            throw TransformErrors.Argument(Component, "box", $"must give a start and an end for each of the image's {rank} spatial axes");
        }

        if (box.Start.Zip(box.End).Any(p => p.Second < p.First))
        {
            throw TransformErrors.Argument(Component, "box",
                $"ends before it starts (start {AxisArguments.Describe(box.Start)}, end {AxisArguments.Describe(box.End)})");
        }
    }
}
