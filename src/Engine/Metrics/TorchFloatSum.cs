using System;
using System.Numerics;

namespace MdaiClara.Engine.Metrics;

/// <summary>
/// torch's CPU sum of a contiguous float32 vector (ATen's <c>cascade_sum</c> / <c>vectorized_inner_sum</c> with
/// 8-lane AVX2 vectors, the kernel torch 1.13 ran on the reference machines): the vectors summed four at a time in a
/// four-level cascade, the four partial vectors added, the tail added in order, then the eight lanes. MONAI 1.x's
/// mean surface distance is this sum divided by the count, so reproducing its order reproduces its float32 bits.
/// </summary>
internal static class TorchFloatSum
{
    private const int Lanes = 8;
    private const int Ilp = 4;
    private const int Levels = 4;

    public static float Sum(float[] x)
    {
        var vectors = x.Length / Lanes;
        var lanes = new float[Lanes];
        if (vectors > 0)
        {
            var rows = vectors / Ilp;
            var partial = MultiRowSum(x, rows);
            for (var v = rows * Ilp; v < vectors; v++)
            {
                Add(partial[0], x, v);
            }

            for (var k = 1; k < Ilp; k++)
            {
                for (var lane = 0; lane < Lanes; lane++)
                {
                    partial[0][lane] += partial[k][lane];
                }
            }

            lanes = partial[0];
        }

        var total = 0f;
        for (var n = vectors * Lanes; n < x.Length; n++)
        {
            total += x[n];
        }

        for (var lane = 0; lane < Lanes; lane++)
        {
            total += lanes[lane];
        }

        return total;
    }

    /// <summary>ATen's <c>multi_row_sum</c> over <paramref name="rows"/> rows of four vectors each.</summary>
    private static float[][] MultiRowSum(float[] x, int rows)
    {
        var levelPower = Math.Max(4, CeilLog2(rows) / Levels);
        var levelStep = 1 << levelPower;
        var levelMask = levelStep - 1;
        var acc = new float[Levels * Ilp][];
        for (var n = 0; n < acc.Length; n++)
        {
            acc[n] = new float[Lanes];
        }

        float[] At(int level, int k) => acc[(level * Ilp) + k];
        var i = 0;
        while (i + levelStep <= rows)
        {
            for (var j = 0; j < levelStep; j++, i++)
            {
                for (var k = 0; k < Ilp; k++)
                {
                    Add(At(0, k), x, (i * Ilp) + k);
                }
            }

            for (var j = 1; j < Levels; j++)
            {
                for (var k = 0; k < Ilp; k++)
                {
                    var up = At(j, k);
                    var down = At(j - 1, k);
                    for (var lane = 0; lane < Lanes; lane++)
                    {
                        up[lane] += down[lane];
                        down[lane] = 0f;
                    }
                }

                if ((i & (levelMask << (j * levelPower))) != 0)
                {
                    break;
                }
            }
        }

        for (; i < rows; i++)
        {
            for (var k = 0; k < Ilp; k++)
            {
                Add(At(0, k), x, (i * Ilp) + k);
            }
        }

        for (var j = 1; j < Levels; j++)
        {
            for (var k = 0; k < Ilp; k++)
            {
                var top = At(j, k);
                var bottom = At(0, k);
                for (var lane = 0; lane < Lanes; lane++)
                {
                    bottom[lane] += top[lane];
                }
            }
        }

        return new[] { At(0, 0), At(0, 1), At(0, 2), At(0, 3) };
    }

    private static void Add(float[] into, float[] x, int vector)
    {
        var start = vector * Lanes;
        for (var lane = 0; lane < Lanes; lane++)
        {
            into[lane] += x[start + lane];
        }
    }

    /// <summary>ATen's <c>utils::CeilLog2</c>: 1 up to 2, else ⌈log2 x⌉.</summary>
    private static int CeilLog2(int x) => x <= 2 ? 1 : 64 - BitOperations.LeadingZeroCount((ulong)(x - 1));
}
