using System;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Inferers;

/// <summary>
/// The weight every window's prediction gets when overlapping windows are blended (MONAI
/// <c>compute_importance_map</c>): float32 of the ROI's shape, built on the device it will be used on.
/// </summary>
internal static class ImportanceMap
{
    /// <summary>
    /// The map for one ROI. <paramref name="sigmaScale"/> holds one value for every axis or one per axis (sigma =
    /// sigma_scale · roi); it is used by <see cref="BlendMode.Gaussian"/> only.
    /// </summary>
    public static Tensor Create(long[] roi, BlendMode mode, double[] sigmaScale, MonaiSemantics semantics, Device device)
    {
        if (mode == BlendMode.Constant)
        {
            return ones(roi, ScalarType.Float32, device);
        }

        using var scope = NewDisposeScope();
        var map = semantics == MonaiSemantics.Monai1x
            ? SampledGaussian(roi, sigmaScale, device)
            : FilteredDelta(roi, sigmaScale, device);
        return map.MoveToOuterDisposeScope();
    }

    // MONAI ≥ 1.0.1: a sampled gaussian centred between the middle voxels, floored at max(min, 1e-3).
    private static Tensor SampledGaussian(long[] roi, double[] sigmaScale, Device device)
    {
        var map = OuterProduct(roi.Length, axis =>
        {
            var sigma = roi[axis] * SigmaScaleOf(sigmaScale, axis);
            var offsets = arange(roi[axis], ScalarType.Float32, device) - ((roi[axis] - 1) / 2.0);
            return (offsets.square() / (-2 * (sigma * sigma))).exp();
        });
        var floor = map.min().clamp_min(1e-3);
        return maximum(map, floor);
    }

    // MONAI ≤ 1.0.0: a GaussianFilter (erf-integrated kernel, truncated at 4 sigma, zero padding) applied to a unit
    // impulse at roi // 2, so even ROI sizes peak half a voxel past the centre; normalised to a peak of 1 and floored
    // at the smallest non-zero weight. Filtering an impulse separably is the outer product of the kernels, each
    // placed at the impulse and cut at the ROI border; multiplying axis 0 first rounds as the filter did.
    private static Tensor FilteredDelta(long[] roi, double[] sigmaScale, Device device)
    {
        var map = OuterProduct(roi.Length, axis => PlacedErfKernel(roi[axis], (float)(roi[axis] * SigmaScaleOf(sigmaScale, axis)), device));
        map = map / map.max();
        var smallestNonZero = where(map > 0, map, float.PositiveInfinity).min();
        return maximum(map, smallestNonZero);
    }

    // The GaussianFilter's 1-D kernel: k[x] = (erf(t(x + 1/2)) - erf(t(x - 1/2))) / 2, t = 0.70710678 / sigma,
    // x = -tail..tail, evaluated in float32 as MONAI does (sigma is a float32 parameter there), centred at size // 2
    // of a zero vector of the ROI's length.
    private static Tensor PlacedErfKernel(long size, float sigma, Device device)
    {
        var tail = (long)(Math.Max(sigma * 4.0, 0.5) + 0.5);
        var x = arange(-tail, tail + 1, ScalarType.Float32, device);
        var t = tensor(sigma, ScalarType.Float32, device).abs().reciprocal() * 0.70710678;
        var kernel = (0.5 * ((t * (x + 0.5)).erf() - (t * (x - 0.5)).erf())).clamp_min(0);

        var centre = size / 2;
        var first = Math.Max(0, centre - tail);
        var last = Math.Min(size - 1, centre + tail);
        var placed = zeros(size, ScalarType.Float32, device);
        placed.narrow(0, first, last - first + 1).copy_(kernel.narrow(0, first - centre + tail, last - first + 1));
        return placed;
    }

    // ((v0 ⊗ v1) ⊗ v2) …, the order both MONAI versions multiply in.
    private static Tensor OuterProduct(int rank, Func<int, Tensor> profile)
    {
        var map = profile(0);
        for (var axis = 1; axis < rank; axis++)
        {
            var shape = new long[axis + 1];
            Array.Fill(shape, 1L);
            shape[axis] = -1;
            map = map.unsqueeze(-1) * profile(axis).view(shape);
        }

        return map;
    }

    private static double SigmaScaleOf(double[] sigmaScale, int axis) => sigmaScale.Length == 1 ? sigmaScale[0] : sigmaScale[axis];
}
