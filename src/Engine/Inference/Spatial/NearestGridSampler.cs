using System.Linq;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Spatial;

/// <summary>
/// <c>grid_sample(mode="nearest")</c> on volumes as PyTorch before 2.1 computes it (the PyTorch of Clara 4.x and of
/// the MONAI references): a source index exactly halfway between two voxels rounds away from zero (std::round).
/// PyTorch 2.1 switched 3-D to round-half-to-even, which picks the other voxel at such ties, e.g. when upsampling
/// by an integer factor. 2-D grid sampling always rounded half to even, so only volumes come here.
/// </summary>
internal static class NearestGridSampler
{
    /// <summary>
    /// Samples <paramref name="image"/> [C, D, H, W] at <paramref name="grid"/> (1, D', H', W', 3; coordinates in
    /// [-1, 1], x = last axis, as affine_grid gives them). Returns float32 [C, D', H', W']; the caller owns the
    /// dispose scope.
    /// </summary>
    public static Tensor Sample(Tensor image, Tensor grid, GridSamplePaddingMode padding, bool alignCorners)
    {
        var inputShape = image.shape.Skip(1).ToArray();
        var outputShape = grid.shape.Skip(1).Take(3).ToArray();
        var flatIndex = zeros(outputShape, ScalarType.Int64, image.device);
        var inside = ones(outputShape, ScalarType.Bool, image.device);
        for (var axis = 0; axis < 3; axis++)
        {
            // Per-axis temporaries are as large as the output; free them before the next axis.
            using var axisScope = NewDisposeScope();
            var size = inputShape[axis];
            var index = RoundHalfAwayFromZero(SourceIndex(grid.select(-1, 2 - axis).squeeze(0), size, padding, alignCorners));
            inside.logical_and_(index.ge(0).logical_and(index.lt(size)));
            flatIndex.mul_(size).add_(index.clamp(0, size - 1).to_type(ScalarType.Int64));
        }

        var channels = image.shape[0];
        var values = image.reshape(channels, -1).index_select(1, flatIndex.flatten()).reshape(new[] { channels }.Concat(outputShape).ToArray());
        return values.masked_fill(inside.logical_not().unsqueeze(0), 0).to_type(ScalarType.Float32);
    }

    /// <summary>PyTorch grid_sampler_compute_source_index: unnormalise, then apply the padding mode's clipping or reflection.</summary>
    private static Tensor SourceIndex(Tensor coordinate, long size, GridSamplePaddingMode padding, bool alignCorners)
    {
        var index = alignCorners ? (coordinate + 1) / 2 * (size - 1) : (((coordinate + 1) * size) - 1) / 2;
        return padding switch
        {
            GridSamplePaddingMode.Border => Clip(index, size),
            GridSamplePaddingMode.Reflection => Clip(alignCorners ? Reflect(index, 0, 2 * (size - 1)) : Reflect(index, -1, (2 * size) - 1), size),
            _ => index,
        };
    }

    private static Tensor Clip(Tensor index, long size) => index.clamp_min(0).clamp_max(size - 1);

    /// <summary>PyTorch reflect_coordinates: mirror into [low, high] given as twice their values.</summary>
    private static Tensor Reflect(Tensor index, long twiceLow, long twiceHigh)
    {
        if (twiceLow == twiceHigh)
        {
            return zeros_like(index);
        }

        var low = twiceLow / 2.0;
        var span = (twiceHigh - twiceLow) / 2.0;
        var distance = (index - low).abs();
        var extra = distance.fmod(span);
        var flips = (distance / span).floor();
        return where(flips.remainder(2).eq(0), extra + low, span - extra + low);
    }

    /// <summary>std::round: the nearest integer, halfway cases away from zero (torch.round would go to even).</summary>
    private static Tensor RoundHalfAwayFromZero(Tensor value)
    {
        var truncated = value.trunc();
        var halfway = (value - truncated).abs().eq(0.5);
        return where(halfway, truncated + value.sign(), value.round());
    }
}
