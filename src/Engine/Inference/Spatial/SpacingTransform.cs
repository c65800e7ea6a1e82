using System;
using MdaiClara.Engine.Imaging;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Spatial;

/// <summary>Where MONAI's Spacing puts the output grid: its affine, its shape, and whether resampling can be skipped.</summary>
public sealed record SpacingPlan(Affine OutputAffine, long[] OutputShape, bool IsIdentity);

/// <summary>
/// MONAI <c>Spacing</c>: resample a channel-first image [C, *spatial] (spatial rank 2 or 3; a 4×4 affine whose unused
/// rows/columns are identity for rank 2) onto a grid with the requested voxel size, keeping its orientation, with
/// <c>grid_sample</c> on the tensor's device. Follows <see cref="MonaiSemantics"/>: short pixdim padding, output
/// origin, operation order of the shape computation and the align_corners grid differ between 0.8.1 and 1.x.
/// </summary>
public static class SpacingTransform
{
    /// <summary>The output grid for <paramref name="pixdim"/> (shorter than the rank: padded per semantics; ≤ 0: keep).</summary>
    public static SpacingPlan Plan(Affine input, long[] spatialShape, double[] pixdim, bool diagonal, MonaiSemantics semantics) =>
        throw new NotImplementedException();

    /// <summary>Resamples <paramref name="image"/> (grid <paramref name="source"/>) onto the grid (<paramref name="target"/>, <paramref name="targetShape"/>); returns float32.</summary>
    public static Tensor Resample(Tensor image, Affine source, Affine target, long[] targetShape, Interpolation mode, GridPaddingMode padding, bool alignCorners, MonaiSemantics semantics) =>
        throw new NotImplementedException();

    /// <summary>
    /// Invertd's inverse of a Spacing: resamples <paramref name="image"/> (grid <paramref name="current"/>) back onto the
    /// original grid (<paramref name="original"/>, <paramref name="originalShape"/>) as the given MONAI version does.
    /// </summary>
    public static Tensor Invert(Tensor image, Affine current, Affine original, long[] originalShape, Interpolation mode, GridPaddingMode padding, bool alignCorners, MonaiSemantics semantics) =>
        throw new NotImplementedException();
}
