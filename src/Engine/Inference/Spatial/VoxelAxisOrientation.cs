using System;
using System.Linq;

namespace MdaiClara.Engine.Inference.Spatial;

/// <summary>
/// nibabel's orientation arrays (as of nibabel 5.0, which the references used): one row per voxel axis holding the
/// world axis it runs along and its direction (+1/−1). Also used as a transform between two orientations
/// (<see cref="Between"/>), where the row of input axis i holds the output axis it moves to and whether it is flipped.
/// </summary>
internal static class VoxelAxisOrientation
{
    /// <summary>nibabel's default labels: (negative end, positive end) of world axes x, y, z.</summary>
    private static readonly (char Negative, char Positive)[] Labels = { ('L', 'R'), ('P', 'A'), ('I', 'S') };

    /// <summary>
    /// nibabel <c>io_orientation</c> of a square homogeneous affine: normalise the columns, take the nearest
    /// orthogonal matrix (polar decomposition), then give each voxel axis in turn (0, 1, 2) the world axis with the
    /// largest |entry|, never reusing a world axis.
    /// </summary>
    public static (int Axis, int Sign)[] Of(double[,] affine)
    {
        var rank = AffineMath.Rank(affine);
        var rs = AffineMath.Block(affine, rank);
        var zooms = AffineMath.ColumnNorms(affine, rank);
        for (var c = 0; c < rank; c++)
        {
            var zoom = zooms[c] == 0 ? 1 : zooms[c];
            for (var r = 0; r < rank; r++)
            {
                rs[r, c] /= zoom;
            }
        }

        var rotation = NearestOrthogonal(rs);
        var result = new (int, int)[rank];
        for (var input = 0; input < rank; input++)
        {
            var output = 0;
            for (var r = 1; r < rank; r++)
            {
                // First maximum wins, as numpy.argmax.
                if (Math.Abs(rotation[r, input]) > Math.Abs(rotation[output, input]))
                {
                    output = r;
                }
            }

            if (rotation[output, input] == 0)
            {
                throw new InvalidOperationException("The affine does not give every voxel axis a world direction.");
            }

            result[input] = (output, rotation[output, input] < 0 ? -1 : 1);
            for (var c = 0; c < rank; c++)
            {
                rotation[output, c] = 0;
            }
        }

        return result;
    }

    /// <summary>
    /// nibabel <c>axcodes2ornt</c> with the default RAS labels. Returns null with <paramref name="problem"/> set when
    /// a code is not one of L, R, P, A, I, S or two codes name the same world axis.
    /// </summary>
    public static (int Axis, int Sign)[]? FromCodes(string codes, out string problem)
    {
        var result = new (int, int)[codes.Length];
        for (var n = 0; n < codes.Length; n++)
        {
            var axis = Array.FindIndex(Labels, l => l.Negative == codes[n] || l.Positive == codes[n]);
            if (axis < 0)
            {
                problem = $"has the code '{codes[n]}'; axis codes are the upper-case letters L/R, P/A and I/S";
                return null;
            }

            result[n] = (axis, Labels[axis].Positive == codes[n] ? 1 : -1);
        }

        var repeated = result.GroupBy(o => o.Item1).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            problem = $"names world axis {Labels[repeated.Key].Negative}/{Labels[repeated.Key].Positive} more than once";
            return null;
        }

        problem = string.Empty;
        return result;
    }

    /// <summary>The codes of an orientation ("RAS", "LPS", …), as nibabel <c>ornt2axcodes</c>.</summary>
    public static string ToCodes((int Axis, int Sign)[] orientation) =>
        string.Concat(orientation.Select(o => o.Sign > 0 ? Labels[o.Axis].Positive : Labels[o.Axis].Negative));

    /// <summary>
    /// nibabel <c>ornt_transform(start, end)</c>: for each input axis i, the output axis it becomes and whether it
    /// is flipped. Null when <paramref name="end"/> uses a world axis <paramref name="start"/> does not have.
    /// </summary>
    public static (int Axis, int Sign)[]? Between((int Axis, int Sign)[] start, (int Axis, int Sign)[] end)
    {
        var result = new (int, int)[start.Length];
        for (var endIndex = 0; endIndex < end.Length; endIndex++)
        {
            var startIndex = Array.FindIndex(start, s => s.Axis == end[endIndex].Axis);
            if (startIndex < 0)
            {
                return null;
            }

            result[startIndex] = (endIndex, start[startIndex].Sign == end[endIndex].Sign ? 1 : -1);
        }

        return result;
    }

    /// <summary>
    /// nibabel <c>inv_ornt_aff(transform, shape)</c>: maps a voxel index of the reoriented array back to the index
    /// in the original array (undo the transpose, then undo the flips, where a flip of an axis of n voxels is
    /// i → n − 1 − i).
    /// </summary>
    public static double[,] InverseAffine((int Axis, int Sign)[] transform, long[] shape)
    {
        var rank = transform.Length;
        var undoReorder = new double[rank + 1, rank + 1];
        for (var r = 0; r < rank; r++)
        {
            undoReorder[r, transform[r].Axis] = 1;
        }

        undoReorder[rank, rank] = 1;
        var undoFlip = AffineMath.Identity(rank + 1);
        for (var r = 0; r < rank; r++)
        {
            var centre = -(shape[r] - 1) / 2.0;
            undoFlip[r, r] = transform[r].Sign;
            undoFlip[r, rank] = (transform[r].Sign * centre) - centre;
        }

        return AffineMath.Multiply(undoFlip, undoReorder);
    }

    /// <summary>
    /// The orthogonal factor of the polar decomposition of a non-singular matrix (what nibabel gets from the SVD as
    /// P·Qᵀ), by Newton's iteration X ← (X + X⁻ᵀ)/2, which converges quadratically to the same matrix.
    /// </summary>
    private static double[,] NearestOrthogonal(double[,] m)
    {
        var x = (double[,])m.Clone();
        var size = x.GetLength(0);
        for (var iteration = 0; iteration < 100; iteration++)
        {
            double[,] inverseTranspose;
            try
            {
                inverseTranspose = AffineMath.Transpose(AffineMath.Inverse(x));
            }
            catch (InvalidOperationException)
            {
                throw new InvalidOperationException("The affine is singular: its voxel axes do not span the space.");
            }

            var change = 0.0;
            for (var r = 0; r < size; r++)
            {
                for (var c = 0; c < size; c++)
                {
                    var next = 0.5 * (x[r, c] + inverseTranspose[r, c]);
                    change = Math.Max(change, Math.Abs(next - x[r, c]));
                    x[r, c] = next;
                }
            }

            if (!double.IsFinite(change))
            {
                throw new InvalidOperationException("The affine is singular: its voxel axes do not span the space.");
            }

            if (change < 1e-15)
            {
                break;
            }
        }

        return x;
    }
}
