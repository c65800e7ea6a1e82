using System;

namespace MdaiClara.Engine.Imaging.Nifti;

/// <summary>
/// The qform parameters of an affine, derived as nibabel's set_qform derives them: voxel sizes are the column
/// norms, qfac = −1 when the axes are left-handed (the k column is then negated), the rotation is the closest
/// orthogonal matrix to the normalised columns (shears are dropped), stored as the quaternion with a ≥ 0.
/// </summary>
internal sealed class NiftiQform
{
    /// <summary>How far the normalised columns may be from orthogonal for the qform still to describe the affine.</summary>
    public const double OrthogonalityTolerance = 1e-5;

    private readonly double[,] _rotation;

    private NiftiQform(double[,] rotation, double b, double c, double d, double qfac, double[] voxelSize, double[] offset, bool exact)
    {
        _rotation = rotation;
        B = b;
        C = c;
        D = d;
        Qfac = qfac;
        VoxelSize = voxelSize;
        Offset = offset;
        IsExact = exact;
    }

    public double B { get; }

    public double C { get; }

    public double D { get; }

    /// <summary>pixdim[0]: +1 for right-handed voxel axes, −1 for left-handed.</summary>
    public double Qfac { get; }

    /// <summary>pixdim[1..3].</summary>
    public double[] VoxelSize { get; }

    /// <summary>qoffset_x, qoffset_y, qoffset_z.</summary>
    public double[] Offset { get; }

    /// <summary>False when the affine has shears, so this qform is only its closest rigid approximation.</summary>
    public bool IsExact { get; }

    /// <summary>The qform of <paramref name="affine"/>; null when a voxel axis has length 0 (no rotation exists).</summary>
    public static NiftiQform? FromAffine(Affine affine)
    {
        var zooms = new double[3];
        var r = new double[3, 3];
        for (var column = 0; column < 3; column++)
        {
            var v = affine.Column(column);
            zooms[column] = Math.Sqrt((v[0] * v[0]) + (v[1] * v[1]) + (v[2] * v[2]));
            if (!(zooms[column] > 0) || !double.IsFinite(zooms[column]))
            {
                return null;
            }

            for (var row = 0; row < 3; row++)
            {
                r[row, column] = v[row] / zooms[column];
            }
        }

        var qfac = 1.0;
        if (Determinant(r) < 0)
        {
            qfac = -1;
            for (var row = 0; row < 3; row++)
            {
                r[row, 2] = -r[row, 2];
            }
        }

        var rotation = ClosestOrthogonal(r);
        if (rotation is null)
        {
            return null;
        }

        var exact = true;
        for (var n = 0; n < 9; n++)
        {
            exact &= Math.Abs(rotation[n / 3, n % 3] - r[n / 3, n % 3]) <= OrthogonalityTolerance;
        }

        var (_, b, c, d) = NiftiQuaternion.FromRotation(rotation);
        return new NiftiQform(rotation, b, c, d, qfac, zooms, affine.Translation, exact);
    }

    /// <summary>
    /// The (b, c, d) to store at the precision of a NIfTI-<paramref name="version"/> header: of the eight ways to round
    /// each down or up, the one whose rotation, as readers rebuild it (a = √(1 − b² − c² − d²)), is closest to the
    /// exact one. Rounding to nearest, as nibabel does, is as good for most rotations, but near 180° a is tiny and
    /// decided by those roundings: a 180° rotation about (1, −1, 0) would come back 3e-4 off in float32.
    /// </summary>
    public (double B, double C, double D) Stored(int version)
    {
        var best = (B: Round(B, version), C: Round(C, version), D: Round(D, version));
        var bestError = Error(best);
        foreach (var b in Neighbours(B, version))
        {
            foreach (var c in Neighbours(C, version))
            {
                foreach (var d in Neighbours(D, version))
                {
                    var error = Error((b, c, d));
                    if (error < bestError)
                    {
                        (best, bestError) = ((b, c, d), error);
                    }
                }
            }
        }

        return best;

        double Error((double B, double C, double D) q)
        {
            var rebuilt = NiftiQuaternion.ToMatrix(q.B, q.C, q.D, new[] { 1.0, 1, 1 }, NiftiQuaternion.Tolerance(version));
            if (rebuilt is null)
            {
                return double.PositiveInfinity;
            }

            var max = 0.0;
            for (var n = 0; n < 9; n++)
            {
                max = Math.Max(max, Math.Abs(rebuilt[n / 3, n % 3] - _rotation[n / 3, n % 3]));
            }

            return max;
        }
    }

    private static double Round(double value, int version) => version == 2 ? value : (float)value;

    /// <summary>The representable values just below and just above <paramref name="value"/> (itself when exact).</summary>
    private static double[] Neighbours(double value, int version)
    {
        var nearest = Round(value, version);
        if (nearest == value)
        {
            return new[] { nearest };
        }

        var other = version == 2 ? (nearest < value ? Math.BitIncrement(nearest) : Math.BitDecrement(nearest))
            : (nearest < value ? MathF.BitIncrement((float)nearest) : MathF.BitDecrement((float)nearest));
        return new[] { nearest, other };
    }

    /// <summary>The orthogonal factor of the polar decomposition (what nibabel gets from an SVD as U·Vᵀ), by Newton's iteration X ← (X + X⁻ᵀ)/2.</summary>
    private static double[,]? ClosestOrthogonal(double[,] m)
    {
        var x = (double[,])m.Clone();
        for (var iteration = 0; iteration < 100; iteration++)
        {
            var det = Determinant(x);
            if (Math.Abs(det) < 1e-12)
            {
                return null;
            }

            var change = 0.0;
            var next = new double[3, 3];
            for (var i = 0; i < 3; i++)
            {
                for (var j = 0; j < 3; j++)
                {
                    // (X⁻ᵀ)[i, j] is the cofactor of X[i, j] over the determinant.
                    var cofactor = (x[(i + 1) % 3, (j + 1) % 3] * x[(i + 2) % 3, (j + 2) % 3]) - (x[(i + 1) % 3, (j + 2) % 3] * x[(i + 2) % 3, (j + 1) % 3]);
                    next[i, j] = 0.5 * (x[i, j] + (cofactor / det));
                    change = Math.Max(change, Math.Abs(next[i, j] - x[i, j]));
                }
            }

            x = next;
            if (change < 1e-15)
            {
                break;
            }
        }

        return x;
    }

    private static double Determinant(double[,] a) =>
        (a[0, 0] * ((a[1, 1] * a[2, 2]) - (a[1, 2] * a[2, 1])))
        - (a[0, 1] * ((a[1, 0] * a[2, 2]) - (a[1, 2] * a[2, 0])))
        + (a[0, 2] * ((a[1, 0] * a[2, 1]) - (a[1, 1] * a[2, 0])));
}
