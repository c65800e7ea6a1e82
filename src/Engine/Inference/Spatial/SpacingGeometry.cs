using System;
using System.Linq;

namespace MdaiClara.Engine.Inference.Spatial;

/// <summary>
/// The geometry behind MONAI's Spacing: the voxel size it aims for, the output affine (MONAI's <c>zoom_affine</c>)
/// and the output shape and origin (<c>compute_shape_offset</c>), with the differences between MONAI releases.
/// Matrices are homogeneous of size rank+1 (see <see cref="AffineMath"/>).
/// </summary>
internal static class SpacingGeometry
{
    /// <summary>MONAI's AFFINE_TOL: below this an index transform counts as the identity.</summary>
    public const double IdentityTolerance = 1e-3;

    /// <summary>
    /// The requested voxel size per spatial axis: longer pixdims are cut; shorter ones are padded with 1.0 (0.8.1),
    /// with their last value (1.x), or left to keep the original spacing (0.5); entries ≤ 0 keep the original
    /// spacing (0.8.1, 1.x; 0.5 refuses them, reported through <paramref name="problem"/>).
    /// </summary>
    public static double[]? TargetSpacing(double[] pixdim, double[] original, MonaiSemantics semantics, out string problem)
    {
        var rank = original.Length;
        var target = new double[rank];
        for (var axis = 0; axis < rank; axis++)
        {
            target[axis] = axis < pixdim.Length ? pixdim[axis] : semantics switch
            {
                MonaiSemantics.Monai1x => pixdim[^1],
                MonaiSemantics.Monai08 => 1.0,
                _ => original[axis],
            };
        }

        if (semantics == MonaiSemantics.Monai05 && target.Any(t => t <= 0))
        {
            problem = "must be positive in MONAI 0.5";
            return null;
        }

        problem = string.Empty;
        for (var axis = 0; axis < rank; axis++)
        {
            // fall_back_tuple: a non-positive request keeps the original spacing; a zero original becomes 1.
            target[axis] = target[axis] > 0 ? target[axis] : original[axis];
            if (target[axis] == 0)
            {
                target[axis] = 1.0;
            }
        }

        return target;
    }

    /// <summary>
    /// MONAI <c>zoom_affine</c>: keeps the rotation of <paramref name="affine"/> (shear removed through a Cholesky
    /// factorisation of RZSᵀ·RZS) and gives its columns the norms <paramref name="spacing"/>; or, with
    /// <paramref name="diagonal"/>, diag(spacing). The translation is zero.
    /// </summary>
    public static double[,] ZoomAffine(double[,] affine, double[] spacing, bool diagonal)
    {
        var rank = AffineMath.Rank(affine);
        var result = AffineMath.Identity(rank + 1);
        if (diagonal)
        {
            for (var axis = 0; axis < rank; axis++)
            {
                result[axis, axis] = spacing[axis];
            }

            return result;
        }

        var rzs = AffineMath.Block(affine, rank);
        var zoomShear = AffineMath.Transpose(AffineMath.Cholesky(AffineMath.Multiply(AffineMath.Transpose(rzs), rzs)));
        var rotation = AffineMath.Multiply(rzs, AffineMath.Inverse(zoomShear));
        for (var r = 0; r < rank; r++)
        {
            for (var c = 0; c < rank; c++)
            {
                result[r, c] = rotation[r, c] * Math.Sign(zoomShear[c, c]) * Math.Abs(spacing[c]);
            }
        }

        return result;
    }

    /// <summary>
    /// MONAI <c>compute_shape_offset</c> (scale_extent=False): the output shape covering the input's corner voxel
    /// centres, <c>round(ptp + 1)</c> half to even, and the world position of output voxel 0.
    /// </summary>
    public static (long[] Shape, double[] Origin) ShapeAndOrigin(long[] inputShape, double[,] input, double[,] output, MonaiSemantics semantics)
    {
        var rank = inputShape.Length;
        var cornerCount = 1 << rank;
        var corners = new double[rank + 1, cornerCount];
        for (var n = 0; n < cornerCount; n++)
        {
            // numpy.meshgrid(indexing="ij") order: axis 0 varies slowest.
            for (var axis = 0; axis < rank; axis++)
            {
                corners[axis, n] = ((n >> (rank - 1 - axis)) & 1) == 1 ? inputShape[axis] - 1.0 : 0.0;
            }

            corners[rank, n] = 1;
        }

        var world = AffineMath.Multiply(input, corners);

        // 0.8.1: inv(B) @ (A @ corners); 1.x: solve(B, A) @ corners. The order matters for extents ending on k + 0.5.
        var inOutput = semantics == MonaiSemantics.Monai1x
            ? AffineMath.Multiply(AffineMath.Solve(output, input), corners)
            : AffineMath.Multiply(AffineMath.Inverse(output), world);

        var shape = new long[rank];
        for (var axis = 0; axis < rank; axis++)
        {
            double min = double.PositiveInfinity, max = double.NegativeInfinity;
            for (var n = 0; n < cornerCount; n++)
            {
                var v = inOutput[axis, n] / inOutput[rank, n];
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }

            shape[axis] = (long)Math.Round(max - min + 1.0, MidpointRounding.ToEven);
        }

        var origin = semantics == MonaiSemantics.Monai1x
            ? OriginAtMinimalCorner(inputShape, input, output, world, inOutput, shape)
            : OriginKeepingVoxelZero(input, output, world);
        return (shape, origin);
    }

    /// <summary>0.5/0.8.1: keep the world position of input voxel 0 when both grids have the same axis codes, else the per-axis minimum of the world corners.</summary>
    private static double[] OriginKeepingVoxelZero(double[,] input, double[,] output, double[,] world)
    {
        var rank = AffineMath.Rank(input);
        var inputCodes = VoxelAxisOrientation.Of(input);
        var outputCodes = VoxelAxisOrientation.Of(output);
        if (inputCodes.SequenceEqual(outputCodes))
        {
            return Enumerable.Range(0, rank).Select(axis => input[axis, rank] / input[rank, rank]).ToArray();
        }

        var cornerCount = world.GetLength(1);
        return Enumerable.Range(0, rank)
            .Select(axis => Enumerable.Range(0, cornerCount).Min(n => world[axis, n] / world[rank, n]))
            .ToArray();
    }

    /// <summary>
    /// 1.x: the world position of the first input corner whose output-grid coordinates are the minimum on every axis
    /// (numpy.allclose with rtol 1e-3 against 0, i.e. within atol 1e-8); if none, centre the output on the input.
    /// </summary>
    private static double[] OriginAtMinimalCorner(long[] inputShape, double[,] input, double[,] output, double[,] world, double[,] inOutput, long[] outputShape)
    {
        var rank = inputShape.Length;
        var cornerCount = world.GetLength(1);
        for (var candidate = 0; candidate < cornerCount; candidate++)
        {
            var isMinimal = true;
            for (var axis = 0; axis < rank && isMinimal; axis++)
            {
                var lowest = double.PositiveInfinity;
                for (var n = 0; n < cornerCount; n++)
                {
                    lowest = Math.Min(lowest, inOutput[axis, n] - inOutput[axis, candidate]);
                }

                isMinimal = Math.Abs(lowest) <= 1e-8;
            }

            if (isMinimal)
            {
                return Enumerable.Range(0, rank).Select(axis => world[axis, candidate]).ToArray();
            }
        }

        var origin = new double[rank];
        for (var r = 0; r < rank; r++)
        {
            origin[r] = input[r, rank];
            for (var c = 0; c < rank; c++)
            {
                origin[r] += (input[r, c] * (inputShape[c] / 2.0)) - (output[r, c] * (outputShape[c] / 2.0));
            }
        }

        return origin;
    }

    /// <summary>numpy.allclose(matrix, identity, atol=1e-3): MONAI's test for "no resampling needed".</summary>
    public static bool IsIdentity(double[,] indexTransform) =>
        AffineMath.AllClose(indexTransform, AffineMath.Identity(indexTransform.GetLength(0)), IdentityTolerance);
}
