using System;
using MdaiClara.Engine.Imaging;

namespace MdaiClara.Engine.Inference.Spatial;

/// <summary>
/// Small dense linear algebra on (rank+1)×(rank+1) homogeneous matrices, as MONAI does it with NumPy: a spatial
/// rank 2 image uses MONAI's 3×3 affine (reduced from our 4×4), rank 3 the 4×4 itself.
/// </summary>
internal static class AffineMath
{
    /// <summary>
    /// MONAI's <c>to_affine_nd(rank, affine)</c>: an identity of size rank+1 whose top-left block and translation
    /// column are taken from <paramref name="affine"/> (as far as both have them).
    /// </summary>
    public static double[,] Reduce(Affine affine, int rank)
    {
        var result = Identity(rank + 1);
        var shared = Math.Max(Math.Min(rank, 3), 1);
        for (var r = 0; r < shared; r++)
        {
            for (var c = 0; c < shared; c++)
            {
                result[r, c] = affine[r, c];
            }

            if (shared > 1)
            {
                result[r, rank] = affine[r, 3];
            }
        }

        return result;
    }

    /// <summary>
    /// MONAI's <c>to_affine_nd(template, matrix)</c>: <paramref name="template"/> with its top-left block and
    /// translation replaced by those of <paramref name="matrix"/>, so a rank-2 result keeps the template's third axis.
    /// </summary>
    public static Affine Embed(double[,] matrix, Affine template)
    {
        var rank = Rank(matrix);
        var values = template.ToArray();
        var shared = Math.Max(Math.Min(rank, 3), 1);
        for (var r = 0; r < shared; r++)
        {
            for (var c = 0; c < shared; c++)
            {
                values[(r * 4) + c] = matrix[r, c];
            }

            if (shared > 1)
            {
                values[(r * 4) + 3] = matrix[r, rank];
            }
        }

        return new Affine(values);
    }

    /// <summary>The spatial rank of a homogeneous matrix (its size minus one).</summary>
    public static int Rank(double[,] matrix) => matrix.GetLength(0) - 1;

    public static double[,] Identity(int size)
    {
        var result = new double[size, size];
        for (var n = 0; n < size; n++)
        {
            result[n, n] = 1;
        }

        return result;
    }

    public static double[,] Multiply(double[,] a, double[,] b)
    {
        var rows = a.GetLength(0);
        var inner = a.GetLength(1);
        var columns = b.GetLength(1);
        var result = new double[rows, columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                double sum = 0;
                for (var k = 0; k < inner; k++)
                {
                    sum += a[r, k] * b[k, c];
                }

                result[r, c] = sum;
            }
        }

        return result;
    }

    /// <summary>
    /// Solves <c>a · x = b</c> by Gaussian elimination with partial pivoting (what LAPACK's gesv behind
    /// <c>numpy.linalg.solve</c> and <c>inv</c> does). Throws <see cref="InvalidOperationException"/> when singular.
    /// </summary>
    public static double[,] Solve(double[,] a, double[,] b)
    {
        var n = a.GetLength(0);
        var m = b.GetLength(1);
        var lu = (double[,])a.Clone();
        var x = (double[,])b.Clone();
        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < n; r++)
            {
                if (Math.Abs(lu[r, col]) > Math.Abs(lu[pivot, col]))
                {
                    pivot = r;
                }
            }

            if (lu[pivot, col] == 0 || !double.IsFinite(lu[pivot, col]))
            {
                throw new InvalidOperationException("The matrix is singular.");
            }

            if (pivot != col)
            {
                SwapRows(lu, pivot, col);
                SwapRows(x, pivot, col);
            }

            for (var r = col + 1; r < n; r++)
            {
                var factor = lu[r, col] / lu[col, col];
                if (factor == 0)
                {
                    continue;
                }

                for (var c = col; c < n; c++)
                {
                    lu[r, c] -= factor * lu[col, c];
                }

                for (var c = 0; c < m; c++)
                {
                    x[r, c] -= factor * x[col, c];
                }
            }
        }

        for (var r = n - 1; r >= 0; r--)
        {
            for (var c = 0; c < m; c++)
            {
                var sum = x[r, c];
                for (var k = r + 1; k < n; k++)
                {
                    sum -= lu[r, k] * x[k, c];
                }

                x[r, c] = sum / lu[r, r];
            }
        }

        return x;
    }

    public static double[,] Inverse(double[,] a) => Solve(a, Identity(a.GetLength(0)));

    public static double[,] Transpose(double[,] a)
    {
        var result = new double[a.GetLength(1), a.GetLength(0)];
        for (var r = 0; r < a.GetLength(0); r++)
        {
            for (var c = 0; c < a.GetLength(1); c++)
            {
                result[c, r] = a[r, c];
            }
        }

        return result;
    }

    /// <summary>Lower-triangular L with L·Lᵀ = <paramref name="a"/> (symmetric positive definite), as numpy.linalg.cholesky.</summary>
    public static double[,] Cholesky(double[,] a)
    {
        var n = a.GetLength(0);
        var l = new double[n, n];
        for (var r = 0; r < n; r++)
        {
            for (var c = 0; c <= r; c++)
            {
                var sum = a[r, c];
                for (var k = 0; k < c; k++)
                {
                    sum -= l[r, k] * l[c, k];
                }

                if (r == c)
                {
                    if (!(sum > 0))
                    {
                        throw new InvalidOperationException("The matrix is not positive definite.");
                    }

                    l[r, r] = Math.Sqrt(sum);
                }
                else
                {
                    l[r, c] = sum / l[c, c];
                }
            }
        }

        return l;
    }

    /// <summary>The top-left <paramref name="size"/>×<paramref name="size"/> block.</summary>
    public static double[,] Block(double[,] a, int size)
    {
        var result = new double[size, size];
        for (var r = 0; r < size; r++)
        {
            for (var c = 0; c < size; c++)
            {
                result[r, c] = a[r, c];
            }
        }

        return result;
    }

    /// <summary>Euclidean norms of the first <paramref name="count"/> columns over the first <paramref name="count"/> rows (MONAI's affine_to_spacing).</summary>
    public static double[] ColumnNorms(double[,] a, int count)
    {
        var norms = new double[count];
        for (var c = 0; c < count; c++)
        {
            double sum = 0;
            for (var r = 0; r < count; r++)
            {
                sum += a[r, c] * a[r, c];
            }

            norms[c] = Math.Sqrt(sum);
        }

        return norms;
    }

    /// <summary>numpy.allclose: |a − b| ≤ atol + rtol·|b| for every element.</summary>
    public static bool AllClose(double[,] a, double[,] b, double atol, double rtol = 1e-5)
    {
        for (var r = 0; r < a.GetLength(0); r++)
        {
            for (var c = 0; c < a.GetLength(1); c++)
            {
                if (!(Math.Abs(a[r, c] - b[r, c]) <= atol + (rtol * Math.Abs(b[r, c]))))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static void SwapRows(double[,] m, int a, int b)
    {
        for (var c = 0; c < m.GetLength(1); c++)
        {
            (m[a, c], m[b, c]) = (m[b, c], m[a, c]);
        }
    }
}
