using System;

namespace MdaiClara.Engine.Imaging.Nifti;

/// <summary>
/// The unit quaternion of the NIfTI qform, (a, b, c, d) with a = sqrt(1 − b² − c² − d²) ≥ 0, and its rotation matrix,
/// computed as nibabel computes them (quaternions.fillpositive and quat2mat).
/// </summary>
internal static class NiftiQuaternion
{
    /// <summary>How far b² + c² + d² may exceed 1 before the header is refused: 3 float eps of the stored precision, as nibabel.</summary>
    public static double Tolerance(int version) => 3 * (version == 2 ? Math.Pow(2, -52) : Math.Pow(2, -23));

    /// <summary>
    /// The qform's 3×3 linear part (row-major): the rotation of quaternion (·, b, c, d) times diag(<paramref name="scale"/>),
    /// or null when b² + c² + d² exceeds 1 by more than <paramref name="tolerance"/> (no unit quaternion has that vector
    /// part; within the tolerance a is taken as 0). Computed in double-double and rounded once, see <see cref="DoubleDouble"/>.
    /// </summary>
    public static double[,]? ToMatrix(double b, double c, double d, double[] scale, double tolerance)
    {
        DoubleDouble qb = b, qc = c, qd = d;
        var w2 = 1.0 - ((qb * qb) + (qc * qc) + (qd * qd));
        DoubleDouble a;
        if (w2 < 0)
        {
            if (w2 < -tolerance)
            {
                return null;
            }

            a = 0;
        }
        else
        {
            a = DoubleDouble.Sqrt(w2);
        }

        // quat2mat: normalise by the squared norm so slightly non-unit quaternions still give a rotation.
        var norm2 = (a * a) + (qb * qb) + (qc * qc) + (qd * qd);
        if (norm2 < Math.Pow(2, -52))
        {
            return new double[,] { { scale[0], 0, 0 }, { 0, scale[1], 0 }, { 0, 0, scale[2] } };
        }

        var s = 2.0 / norm2;
        DoubleDouble x = qb * s, y = qc * s, z = qd * s;
        DoubleDouble ax = a * x, ay = a * y, az = a * z;
        DoubleDouble bx = qb * x, by = qb * y, bz = qb * z;
        DoubleDouble cy = qc * y, cz = qc * z, dz = qd * z;
        var rotation = new[,]
        {
            { 1.0 - (cy + dz), by - az, bz + ay },
            { by + az, 1.0 - (bx + dz), cz - ax },
            { bz - ay, cz + ax, 1.0 - (bx + cy) },
        };

        var m = new double[3, 3];
        for (var row = 0; row < 3; row++)
        {
            for (var column = 0; column < 3; column++)
            {
                // + 0.0 turns −0 into +0, as the sum in nibabel's matrix product does.
                m[row, column] = (rotation[row, column] * scale[column]).ToDouble() + 0.0;
            }
        }

        return m;
    }

    /// <summary>
    /// The quaternion (a, b, c, d), a ≥ 0, of a proper rotation matrix (orthogonal, determinant +1), by Shepperd's method:
    /// the largest of 1 + trace and the 1 ± diagonal sums is taken as the pivot so nothing cancels.
    /// </summary>
    public static (double A, double B, double C, double D) FromRotation(double[,] r)
    {
        var trace = r[0, 0] + r[1, 1] + r[2, 2];
        double a, b, c, d;
        if (trace >= r[0, 0] && trace >= r[1, 1] && trace >= r[2, 2])
        {
            var t = Math.Sqrt(1.0 + trace) * 2; // 4a
            a = t / 4;
            b = (r[2, 1] - r[1, 2]) / t;
            c = (r[0, 2] - r[2, 0]) / t;
            d = (r[1, 0] - r[0, 1]) / t;
        }
        else if (r[0, 0] >= r[1, 1] && r[0, 0] >= r[2, 2])
        {
            var t = Math.Sqrt(1.0 + r[0, 0] - r[1, 1] - r[2, 2]) * 2; // 4b
            a = (r[2, 1] - r[1, 2]) / t;
            b = t / 4;
            c = (r[0, 1] + r[1, 0]) / t;
            d = (r[0, 2] + r[2, 0]) / t;
        }
        else if (r[1, 1] >= r[2, 2])
        {
            var t = Math.Sqrt(1.0 + r[1, 1] - r[0, 0] - r[2, 2]) * 2; // 4c
            a = (r[0, 2] - r[2, 0]) / t;
            b = (r[0, 1] + r[1, 0]) / t;
            c = t / 4;
            d = (r[1, 2] + r[2, 1]) / t;
        }
        else
        {
            var t = Math.Sqrt(1.0 + r[2, 2] - r[0, 0] - r[1, 1]) * 2; // 4d
            a = (r[1, 0] - r[0, 1]) / t;
            b = (r[0, 2] + r[2, 0]) / t;
            c = (r[1, 2] + r[2, 1]) / t;
            d = t / 4;
        }

        // q and −q are the same rotation; NIfTI stores the one with a ≥ 0 (a is not stored).
        return a < 0 ? (-a, -b, -c, -d) : (a, b, c, d);
    }
}
