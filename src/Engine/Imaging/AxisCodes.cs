using System;
using System.Linq;

namespace MdaiClara.Engine.Imaging;

/// <summary>
/// Orientation codes ("RAS", "LPS", …) of an affine, as nibabel's aff2axcodes computes them: each voxel axis gets
/// the world axis it is closest to, after removing shears and zooms (polar decomposition), taking axes in order and
/// never assigning a world axis twice.
/// </summary>
public static class AxisCodes
{
    private static readonly string[] Positive = { "R", "A", "S" };
    private static readonly string[] Negative = { "L", "P", "I" };

    /// <summary>For each voxel axis: (world axis 0..2, +1/−1).</summary>
    public static (int WorldAxis, int Sign)[] Orientation(Affine affine)
    {
        var r = new double[3, 3];
        for (var c = 0; c < 3; c++)
        {
            var col = affine.Column(c);
            var norm = Math.Sqrt(col.Sum(v => v * v));
            if (norm == 0)
            {
                norm = 1;
            }

            for (var row = 0; row < 3; row++)
            {
                r[row, c] = col[row] / norm;
            }
        }

        r = NearestRotation(r);
        var result = new (int, int)[3];
        for (var inAxis = 0; inAxis < 3; inAxis++)
        {
            var outAxis = 0;
            var best = -1.0;
            for (var row = 0; row < 3; row++)
            {
                if (Math.Abs(r[row, inAxis]) > best)
                {
                    best = Math.Abs(r[row, inAxis]);
                    outAxis = row;
                }
            }

            result[inAxis] = (outAxis, r[outAxis, inAxis] < 0 ? -1 : 1);
            for (var c = 0; c < 3; c++)
            {
                r[outAxis, c] = 0;
            }
        }

        return result;
    }

    public static string Of(Affine affine) => string.Concat(Orientation(affine).Select(o => o.Sign > 0 ? Positive[o.WorldAxis] : Negative[o.WorldAxis]));

    /// <summary>The orthogonal factor of a polar decomposition (Newton iteration; converges in a few steps for 3×3).</summary>
    private static double[,] NearestRotation(double[,] m)
    {
        var x = (double[,])m.Clone();
        for (var iteration = 0; iteration < 50; iteration++)
        {
            var inverseTranspose = InverseTranspose(x);
            if (inverseTranspose is null)
            {
                return x;
            }

            var change = 0.0;
            for (var i = 0; i < 3; i++)
            {
                for (var j = 0; j < 3; j++)
                {
                    var next = 0.5 * (x[i, j] + inverseTranspose[i, j]);
                    change = Math.Max(change, Math.Abs(next - x[i, j]));
                    x[i, j] = next;
                }
            }

            if (change < 1e-15)
            {
                break;
            }
        }

        return x;
    }

    private static double[,]? InverseTranspose(double[,] a)
    {
        var det = (a[0, 0] * ((a[1, 1] * a[2, 2]) - (a[1, 2] * a[2, 1])))
                - (a[0, 1] * ((a[1, 0] * a[2, 2]) - (a[1, 2] * a[2, 0])))
                + (a[0, 2] * ((a[1, 0] * a[2, 1]) - (a[1, 1] * a[2, 0])));
        if (Math.Abs(det) < 1e-12)
        {
            return null;
        }

        var it = new double[3, 3];
        it[0, 0] = ((a[1, 1] * a[2, 2]) - (a[1, 2] * a[2, 1])) / det;
        it[0, 1] = ((a[1, 2] * a[2, 0]) - (a[1, 0] * a[2, 2])) / det;
        it[0, 2] = ((a[1, 0] * a[2, 1]) - (a[1, 1] * a[2, 0])) / det;
        it[1, 0] = ((a[0, 2] * a[2, 1]) - (a[0, 1] * a[2, 2])) / det;
        it[1, 1] = ((a[0, 0] * a[2, 2]) - (a[0, 2] * a[2, 0])) / det;
        it[1, 2] = ((a[0, 1] * a[2, 0]) - (a[0, 0] * a[2, 1])) / det;
        it[2, 0] = ((a[0, 1] * a[1, 2]) - (a[0, 2] * a[1, 1])) / det;
        it[2, 1] = ((a[0, 2] * a[1, 0]) - (a[0, 0] * a[1, 2])) / det;
        it[2, 2] = ((a[0, 0] * a[1, 1]) - (a[0, 1] * a[1, 0])) / det;
        return it;
    }
}
