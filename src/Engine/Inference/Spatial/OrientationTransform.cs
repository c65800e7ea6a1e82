using System;
using MdaiClara.Engine.Imaging;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Spatial;

/// <summary>
/// How MONAI's Orientation reorders a grid: spatial axis k of the output is input axis <see cref="Permutation"/>[k],
/// flipped where <see cref="Flip"/>[k] (flip applied to the input axis before the permutation, as MONAI does).
/// </summary>
public sealed record OrientationPlan(int[] Permutation, bool[] Flip, Affine OutputAffine, long[] OutputShape, long[] InputShape);

/// <summary>
/// MONAI <c>Orientation</c>: flips and permutes the spatial axes of a channel-first image so its axis codes become the
/// requested ones (nibabel io_orientation of the affine, nearest codes for oblique affines); never interpolates.
/// </summary>
public static class OrientationTransform
{
    public static OrientationPlan Plan(Affine input, long[] spatialShape, string? axcodes, bool asClosestCanonical, MonaiSemantics semantics) =>
        throw new NotImplementedException();

    public static Tensor Apply(Tensor image, OrientationPlan plan) => throw new NotImplementedException();

    /// <summary>Back to the input layout of <paramref name="plan"/> (Invertd).</summary>
    public static Tensor Invert(Tensor image, OrientationPlan plan) => throw new NotImplementedException();
}
