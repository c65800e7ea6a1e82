using System;
using System.Globalization;
using System.Linq;

namespace MdaiClara.Engine.Imaging;

/// <summary>
/// A 4×4 affine that maps voxel indices (i, j, k, 1) to world millimetres, in RAS+ as nibabel and MONAI use it.
/// The one geometry model of MdaiClara: DICOM's LPS is converted on the way in, never carried.
/// </summary>
public readonly struct Affine : IEquatable<Affine>
{
    private readonly double[] _m; // row-major 4×4

    public Affine(double[] rowMajor16)
    {
        if (rowMajor16.Length != 16)
        {
            throw new ArgumentException("An affine has 16 elements.", nameof(rowMajor16));
        }

        _m = (double[])rowMajor16.Clone();
    }

    public static Affine Identity => Diagonal(1, 1, 1);

    /// <summary>Flips x and y: the LPS↔RAS conversion (its own inverse).</summary>
    public static Affine LpsToRas => Diagonal(-1, -1, 1);

    public double this[int row, int column] => (_m ?? IdentityArray)[(row * 4) + column];

    private static double[] IdentityArray => new double[] { 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1 };

    public static Affine Diagonal(double x, double y, double z) => new(new double[] { x, 0, 0, 0, 0, y, 0, 0, 0, 0, z, 0, 0, 0, 0, 1 });

    /// <summary>An affine from three column vectors (the world step of i, j, k) and the world position of voxel 0.</summary>
    public static Affine FromColumns(double[] i, double[] j, double[] k, double[] origin) => new(new[]
    {
        i[0], j[0], k[0], origin[0],
        i[1], j[1], k[1], origin[1],
        i[2], j[2], k[2], origin[2],
        0, 0, 0, 1,
    });

    /// <summary>A copy of the 16 elements, row-major.</summary>
    public double[] ToArray() => (double[])(_m ?? IdentityArray).Clone();

    /// <summary>As a 4×4 double[,] (row, column), e.g. for PowerShell display.</summary>
    public double[,] ToMatrix()
    {
        var m = new double[4, 4];
        for (var r = 0; r < 4; r++)
        {
            for (var c = 0; c < 4; c++)
            {
                m[r, c] = this[r, c];
            }
        }

        return m;
    }

    public static Affine operator *(Affine a, Affine b)
    {
        var m = new double[16];
        for (var r = 0; r < 4; r++)
        {
            for (var c = 0; c < 4; c++)
            {
                double s = 0;
                for (var k = 0; k < 4; k++)
                {
                    s += a[r, k] * b[k, c];
                }

                m[(r * 4) + c] = s;
            }
        }

        return new Affine(m);
    }

    /// <summary>World position of a voxel index.</summary>
    public double[] Transform(double i, double j, double k) => new[]
    {
        (this[0, 0] * i) + (this[0, 1] * j) + (this[0, 2] * k) + this[0, 3],
        (this[1, 0] * i) + (this[1, 1] * j) + (this[1, 2] * k) + this[1, 3],
        (this[2, 0] * i) + (this[2, 1] * j) + (this[2, 2] * k) + this[2, 3],
    };

    /// <summary>The world step of voxel axis <paramref name="axis"/> (0 = i, 1 = j, 2 = k).</summary>
    public double[] Column(int axis) => new[] { this[0, axis], this[1, axis], this[2, axis] };

    public double[] Translation => Column(3);

    /// <summary>Voxel sizes: the norms of the first three columns (nibabel's header zooms for a sane affine).</summary>
    public double[] Spacing
    {
        get
        {
            var self = this;
            return Enumerable.Range(0, 3).Select(a => Math.Sqrt(self.Column(a).Sum(v => v * v))).ToArray();
        }
    }

    public Affine Inverse()
    {
        // 3×3 inverse of the linear part, then the translation.
        var a = ToArray();
        double A(int r, int c) => a[(r * 4) + c];
        var det = (A(0, 0) * ((A(1, 1) * A(2, 2)) - (A(1, 2) * A(2, 1))))
                - (A(0, 1) * ((A(1, 0) * A(2, 2)) - (A(1, 2) * A(2, 0))))
                + (A(0, 2) * ((A(1, 0) * A(2, 1)) - (A(1, 1) * A(2, 0))));
        if (Math.Abs(det) < 1e-300)
        {
            throw new InvalidOperationException("The affine is singular: its voxel axes do not span 3-D space.");
        }

        var inv = new double[16];
        inv[0] = ((A(1, 1) * A(2, 2)) - (A(1, 2) * A(2, 1))) / det;
        inv[1] = ((A(0, 2) * A(2, 1)) - (A(0, 1) * A(2, 2))) / det;
        inv[2] = ((A(0, 1) * A(1, 2)) - (A(0, 2) * A(1, 1))) / det;
        inv[4] = ((A(1, 2) * A(2, 0)) - (A(1, 0) * A(2, 2))) / det;
        inv[5] = ((A(0, 0) * A(2, 2)) - (A(0, 2) * A(2, 0))) / det;
        inv[6] = ((A(0, 2) * A(1, 0)) - (A(0, 0) * A(1, 2))) / det;
        inv[8] = ((A(1, 0) * A(2, 1)) - (A(1, 1) * A(2, 0))) / det;
        inv[9] = ((A(0, 1) * A(2, 0)) - (A(0, 0) * A(2, 1))) / det;
        inv[10] = ((A(0, 0) * A(1, 1)) - (A(0, 1) * A(1, 0))) / det;
        for (var r = 0; r < 3; r++)
        {
            inv[(r * 4) + 3] = -((inv[r * 4] * A(0, 3)) + (inv[(r * 4) + 1] * A(1, 3)) + (inv[(r * 4) + 2] * A(2, 3)));
        }

        inv[15] = 1;
        return new Affine(inv);
    }

    /// <summary>Largest absolute element difference.</summary>
    public double MaxAbsDifference(Affine other)
    {
        var max = 0.0;
        for (var n = 0; n < 16; n++)
        {
            max = Math.Max(max, Math.Abs(this[n / 4, n % 4] - other[n / 4, n % 4]));
        }

        return max;
    }

    public bool Equals(Affine other) => MaxAbsDifference(other) == 0;

    public override bool Equals(object? obj) => obj is Affine a && Equals(a);

    public override int GetHashCode() => ToArray().Aggregate(17, (h, v) => (h * 31) + v.GetHashCode());

    public static bool operator ==(Affine left, Affine right) => left.Equals(right);

    public static bool operator !=(Affine left, Affine right) => !left.Equals(right);

    public override string ToString()
    {
        var self = this;
        return "[" + string.Join("; ", Enumerable.Range(0, 3).Select(r =>
            string.Join(" ", Enumerable.Range(0, 4).Select(c => self[r, c].ToString("0.####", CultureInfo.InvariantCulture))))) + "]";
    }
}
