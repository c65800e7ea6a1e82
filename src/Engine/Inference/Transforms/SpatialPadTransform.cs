using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Transforms;

/// <summary>MONAI <c>SpatialPad</c>: pads each spatial axis up to <c>spatial_size</c> (never crops).</summary>
public static class SpatialPadTransform
{
    private const string Component = "SpatialPad";

    /// <summary>
    /// Pads (method "symmetric": half before, rest after; "end": all after) with mode "constant" (value) or F.pad's
    /// others; returns the padding added before each axis.
    /// </summary>
    /// <param name="image">Channel-first image [C, *spatial] (any device; its dtype is kept).</param>
    /// <param name="spatialSize">Target size: one value for all axes or one per axis; an axis already as large, or a
    /// size ≤ 0, is left alone.</param>
    /// <param name="method">"symmetric" (width // 2 before, the rest after, as MONAI) or "end".</param>
    /// <param name="mode">What the border holds, by np.pad / F.pad name: "constant" (<paramref name="value"/>),
    /// "edge" or "replicate" (nearest edge voxel), "reflect" (mirrored without repeating the edge), "symmetric"
    /// (mirrored with the edge), "wrap" or "circular" (periodic). Borders wider than the image repeat the pattern, as
    /// np.pad does. np.pad's statistic modes (mean, median, minimum, maximum, linear_ramp, empty) are refused.</param>
    /// <param name="value">The constant of mode "constant"; must be 0 with the other modes (np.pad refuses a constant there).</param>
    /// <returns>A new tensor (never a view of the input) and the voxels added before each axis.</returns>
    public static (Tensor Padded, long[] PadBefore) Pad(Tensor image, long[] spatialSize, string method, string mode, double value)
    {
        var rank = AxisArguments.SpatialRank(image, Component);
        var target = AxisArguments.Expand(spatialSize, rank, Component, "spatial_size");
        var shape = AxisArguments.SpatialShape(image);
        var widths = target.Select((size, d) => size > 0 ? Math.Max(size - shape[d], 0) : 0).ToArray();
        var before = method switch
        {
            "symmetric" => widths.Select(w => w / 2).ToArray(),
            "end" => new long[rank],
            _ => throw TransformErrors.Argument(Component, "method", $"must be \"symmetric\" or \"end\", got \"{method}\""),
        };
        var after = widths.Zip(before, (w, b) => w - b).ToArray();
        var border = ParseMode(mode);
        if (border != PadBorder.Constant && value != 0)
        {
            throw TransformErrors.Argument(Component, "value", $"applies to mode \"constant\" only, not to \"{mode}\"");
        }

        if (border != PadBorder.Constant && widths.Where((w, d) => w > 0 && shape[d] == 0).Any())
        {
            throw TransformErrors.Input(Component, $"cannot extend an empty axis with mode \"{mode}\" (image shape {AxisArguments.Describe(image.shape)})");
        }

        using var scope = NewDisposeScope();
        var padded = border == PadBorder.Constant
            ? PadConstant(image, before, after, value)
            : PadByIndex(image, before, after, border);
        return (padded.MoveToOuterDisposeScope(), before);
    }

    /// <summary>Invertd: removes the padding again.</summary>
    /// <param name="image">Data in the padded space [C, *padded] (any channel count).</param>
    /// <param name="padBefore">What <see cref="Pad"/> returned as the padding before each axis.</param>
    /// <param name="originalSpatialShape">The spatial shape before padding.</param>
    /// <returns>A new tensor [C, *originalSpatialShape] of the image's dtype and device.</returns>
    public static Tensor Invert(Tensor image, long[] padBefore, long[] originalSpatialShape)
    {
        var rank = AxisArguments.SpatialRank(image, Component);
        if (padBefore is null || padBefore.Length != rank || padBefore.Any(p => p < 0))
        {
            throw TransformErrors.Argument(Component, "pad before", $"must give {rank} non-negative widths");
        }

        if (originalSpatialShape is null || originalSpatialShape.Length != rank || originalSpatialShape.Any(s => s < 0))
        {
            throw TransformErrors.Argument(Component, "original spatial shape", $"must give {rank} non-negative sizes");
        }

        var shape = AxisArguments.SpatialShape(image);
        if (Enumerable.Range(0, rank).Any(d => padBefore[d] + originalSpatialShape[d] > shape[d]))
        {
            throw TransformErrors.Input(Component,
                $"cannot remove padding {AxisArguments.Describe(padBefore)} before an original shape {AxisArguments.Describe(originalSpatialShape)} from data of spatial shape {AxisArguments.Describe(shape)}");
        }

        var end = padBefore.Zip(originalSpatialShape, (p, s) => p + s).ToArray();
        return SpatialWindow.Extract(image, padBefore, end);
    }

    private enum PadBorder
    {
        Constant,
        Edge,
        Reflect,
        Symmetric,
        Wrap,
    }

    private static PadBorder ParseMode(string mode) => mode switch
    {
        "constant" => PadBorder.Constant,
        "edge" or "replicate" => PadBorder.Edge,
        "reflect" => PadBorder.Reflect,
        "symmetric" => PadBorder.Symmetric,
        "wrap" or "circular" => PadBorder.Wrap,
        "linear_ramp" or "maximum" or "mean" or "median" or "minimum" or "empty" => throw TransformErrors.Argument(Component, "mode",
            $"\"{mode}\" (an np.pad statistic mode) is not supported; use constant, edge/replicate, reflect, symmetric or wrap/circular"),
        _ => throw TransformErrors.Argument(Component, "mode",
            $"\"{mode}\" is not a padding mode; use constant, edge/replicate, reflect, symmetric or wrap/circular"),
    };

    private static Tensor PadConstant(Tensor image, long[] before, long[] after, double value)
    {
        // F.pad lists the last axis first.
        var pads = new long[2 * before.Length];
        for (var d = 0; d < before.Length; d++)
        {
            var slot = 2 * (before.Length - 1 - d);
            pads[slot] = before[d];
            pads[slot + 1] = after[d];
        }

        // constant_pad_nd may hand back the input itself when nothing is added; the result must be our own tensor.
        return pads.All(p => p == 0) ? image.clone() : nn.functional.pad(image, pads, PaddingModes.Constant, value);
    }

    /// <summary>Non-constant borders as a gather per axis: output index j reads input index map(j − before).</summary>
    private static Tensor PadByIndex(Tensor image, long[] before, long[] after, PadBorder border)
    {
        var result = image;
        for (var d = 0; d < before.Length; d++)
        {
            if (before[d] == 0 && after[d] == 0)
            {
                continue;
            }

            var size = image.shape[d + 1];
            var sources = new long[before[d] + size + after[d]];
            for (long j = 0; j < sources.LongLength; j++)
            {
                sources[j] = SourceIndex(j - before[d], size, border);
            }

            result = result.index_select(d + 1, tensor(sources, device: image.device));
        }

        return ReferenceEquals(result, image) ? image.clone() : result;
    }

    /// <summary>Where position <paramref name="i"/> (possibly outside [0, size)) reads from, as np.pad fills it.</summary>
    private static long SourceIndex(long i, long size, PadBorder border)
    {
        if (i >= 0 && i < size)
        {
            return i;
        }

        switch (border)
        {
            case PadBorder.Edge:
                return Math.Clamp(i, 0, size - 1);
            case PadBorder.Wrap:
                return Mod(i, size);
            case PadBorder.Symmetric:
            {
                var m = Mod(i, 2 * size);
                return m < size ? m : 2 * size - 1 - m;
            }

            default:
            {
                // np.pad extends a single voxel by repeating it ("legacy behaviour" there); mirroring needs two.
                if (size == 1)
                {
                    return 0;
                }

                var m = Mod(i, 2 * (size - 1));
                return m < size ? m : 2 * (size - 1) - m;
            }
        }
    }

    private static long Mod(long a, long n) => ((a % n) + n) % n;
}
