using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Imaging;

namespace MdaiClara.Engine.Reporting;

/// <summary>The voxel count and centroid (in voxel coordinates) of each wanted label of a label map, in one pass.</summary>
internal static class Centroids
{
    public static Dictionary<int, Centroid> Of(Volume labels, IReadOnlyList<ReportLabel> wanted, int[] shape, CancellationToken cancellationToken)
    {
        var read = VoxelAccess.LabelReader(labels);
        var values = wanted.Select(l => l.Value).ToHashSet();
        var sums = new Dictionary<int, (double I, double J, double K, long N)>();
        long index = 0;
        for (var k = 0; k < shape[2]; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var j = 0; j < shape[1]; j++)
            {
                for (var i = 0; i < shape[0]; i++, index++)
                {
                    var v = read(index);
                    if (v == 0 || !values.Contains(v))
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
