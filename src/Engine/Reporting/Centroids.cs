using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Threading;
using MdaiClara.Engine.Imaging;

namespace MdaiClara.Engine.Reporting;

/// <summary>
/// The voxel count and centroid (in voxel coordinates) of each wanted label of a label map, in one pass over the
/// buffer in its own type (float labels rounded to the nearest integer, as MONAI's AsDiscrete does).
/// </summary>
internal static class Centroids
{
    public static Dictionary<int, Centroid> Of(Volume labels, IReadOnlyList<ReportLabel> wanted, int[] shape, CancellationToken cancellationToken)
    {
        var values = wanted.Select(l => l.Value).ToHashSet();
        return labels.GetVoxels() switch
        {
            byte[] a => Scan(a, shape, values, cancellationToken),
            sbyte[] a => Scan(a, shape, values, cancellationToken),
            short[] a => Scan(a, shape, values, cancellationToken),
            ushort[] a => Scan(a, shape, values, cancellationToken),
            int[] a => Scan(a, shape, values, cancellationToken),
            uint[] a => Scan(a, shape, values, cancellationToken),
            long[] a => Scan(a, shape, values, cancellationToken),
            float[] a => Scan(a, shape, values, cancellationToken),
            double[] a => Scan(a, shape, values, cancellationToken),
            var other => throw new NotSupportedException($"Voxel type {other.GetType().GetElementType()} is not a volume voxel type."),
        };
    }

    private static Dictionary<int, Centroid> Scan<T>(T[] data, int[] shape, HashSet<int> wanted, CancellationToken cancellationToken)
        where T : struct, INumberBase<T>
    {
        var sums = new Dictionary<int, (double I, double J, double K, long N)>();
        long index = 0;
        for (var k = 0; k < shape[2]; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var j = 0; j < shape[1]; j++)
            {
                for (var i = 0; i < shape[0]; i++, index++)
                {
                    var voxel = data[index];
                    if (T.IsZero(voxel))
                    {
                        continue;
                    }

                    var d = double.CreateTruncating(voxel);
                    if (!double.IsFinite(d))
                    {
                        continue;
                    }

                    var v = (int)Math.Round(d);
                    if (v == 0 || !wanted.Contains(v))
                    {
                        continue;
                    }

                    sums.TryGetValue(v, out var s);
                    sums[v] = (s.I + i, s.J + j, s.K + k, s.N + 1);
                }
            }
        }

        return sums.ToDictionary(p => p.Key, p => new Centroid(p.Value.I / p.Value.N, p.Value.J / p.Value.N, p.Value.K / p.Value.N, p.Value.N));
    }
}

/// <summary>A label's centroid in voxel coordinates (i, j, k) and its voxel count.</summary>
internal readonly record struct Centroid(double I, double J, double K, long Count)
{
    public double At(int axis) => axis switch { 0 => I, 1 => J, _ => K };
}
