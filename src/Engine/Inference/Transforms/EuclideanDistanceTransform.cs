using System;
using System.Threading.Tasks;

namespace MdaiClara.Engine.Inference.Transforms;

/// <summary>
/// Exact squared Euclidean distance transform on the host (Felzenszwalb and Huttenlocher's separable lower envelope of
/// parabolas): for every voxel, the squared distance in millimetres to the nearest feature voxel, as
/// <c>scipy.ndimage.distance_transform_edt</c> gives it before its square root.
/// </summary>
/// <remarks>
/// Axes are processed in order, so a squared distance accumulates as ((Δ0·s0)² + (Δ1·s1)²) + (Δ2·s2)², the order in
/// which SciPy sums the per-axis terms of its feature transform. Lines along an axis are independent and run in
/// parallel; the result does not depend on the scheduling.
/// </remarks>
internal static class EuclideanDistanceTransform
{
    /// <summary>Squared distances to the nearest non-zero byte of <paramref name="features"/>; +∞ where there is none.</summary>
    /// <param name="features">A 3-D array in C order.</param>
    /// <param name="shape">Its three extents.</param>
    /// <param name="spacing">Voxel size along each axis.</param>
    public static double[] SquaredDistances(byte[] features, int[] shape, double[] spacing)
    {
        var field = new double[features.Length];
        SquaredDistancesInto(features, shape, spacing, field);
        return field;
    }

    /// <summary>As <see cref="SquaredDistances"/>, into <paramref name="field"/> (at least as long as <paramref name="features"/>), so callers can reuse one buffer.</summary>
    public static void SquaredDistancesInto(byte[] features, int[] shape, double[] spacing, double[] field)
    {
        for (var i = 0; i < features.Length; i++)
        {
            field[i] = features[i] != 0 ? 0.0 : double.PositiveInfinity;
        }

        for (var axis = 0; axis < 3; axis++)
        {
            if (shape[axis] > 1)
            {
                TransformAxis(field, shape, axis, spacing[axis]);
            }
        }
    }

    private static void TransformAxis(double[] field, int[] shape, int axis, double spacing)
    {
        var length = shape[axis];
        var stride = axis == 0 ? shape[1] * shape[2] : axis == 1 ? shape[2] : 1;
        var innerCount = axis == 2 ? 1 : stride;
        var lineCount = shape[0] * shape[1] * shape[2] / length;
        Parallel.For(
            0,
            lineCount,
            () => new LineBuffers(length),
            (line, _, buffers) =>
            {
                // Lines are numbered (outer, inner) with the axis between them.
                var start = line / innerCount * length * stride + line % innerCount;
                for (var q = 0; q < length; q++)
                {
                    buffers.Values[q] = field[start + q * stride];
                }

                LowerEnvelope(buffers, length, spacing);
                for (var q = 0; q < length; q++)
                {
                    field[start + q * stride] = buffers.Result[q];
                }

                return buffers;
            },
            _ => { });
    }

    /// <summary>Result[q] = min over p of Values[p] + ((q − p)·spacing)², in one pass over the lower envelope.</summary>
    private static void LowerEnvelope(LineBuffers buffers, int length, double spacing)
    {
        var f = buffers.Values;
        var apex = buffers.Apex;
        var from = buffers.Boundary;
        var weight = spacing * spacing;
        var last = -1;
        for (var q = 0; q < length; q++)
        {
            if (double.IsPositiveInfinity(f[q]))
            {
                continue;
            }

            if (last < 0)
            {
                last = 0;
                apex[0] = q;
                from[0] = double.NegativeInfinity;
                from[1] = double.PositiveInfinity;
                continue;
            }

            // Where the new parabola overtakes the last one on the envelope; drop those it hides completely.
            double crossing;
            while (true)
            {
                var p = apex[last];
                crossing = ((f[q] + weight * q * q) - (f[p] + weight * p * p)) / (2 * weight * (q - p));
                if (crossing > from[last])
                {
                    break;
                }

                last--;
            }

            last++;
            apex[last] = q;
            from[last] = crossing;
            from[last + 1] = double.PositiveInfinity;
        }

        var result = buffers.Result;
        if (last < 0)
        {
            Array.Fill(result, double.PositiveInfinity, 0, length);
            return;
        }

        var segment = 0;
        for (var q = 0; q < length; q++)
        {
            while (from[segment + 1] < q)
            {
                segment++;
            }

            var delta = (q - apex[segment]) * spacing;
            result[q] = f[apex[segment]] + delta * delta;
        }
    }

    private sealed class LineBuffers
    {
        public LineBuffers(int length)
        {
            Values = new double[length];
            Result = new double[length];
            Apex = new int[length];
            Boundary = new double[length + 1];
        }

        public double[] Values { get; }

        public double[] Result { get; }

        public int[] Apex { get; }

        public double[] Boundary { get; }
    }
}
