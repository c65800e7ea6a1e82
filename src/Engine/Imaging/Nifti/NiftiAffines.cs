using System;
using System.Globalization;
using System.Linq;

namespace MdaiClara.Engine.Imaging.Nifti;

/// <summary>
/// The voxel-to-world affine of a checked header, chosen as nibabel's get_best_affine chooses it: the sform when
/// sform_code ≠ 0, else the qform when qform_code ≠ 0, else the base affine built from the shape and pixdim.
/// </summary>
internal static class NiftiAffines
{
    public static Affine Best(NiftiHeader header, long[] fileShape, string file)
    {
        var affine = header.SformCode != 0 ? Sform(header)
            : header.QformCode != 0 ? Qform(header, file)
            : Base(header, fileShape);
        if (affine.ToArray().Any(v => !double.IsFinite(v)))
        {
            var which = header.SformCode != 0 ? "sform" : header.QformCode != 0 ? "qform" : "pixdim";
            throw NiftiErrors.HeaderInvalid(file, $"the affine from its {which} is not finite ({affine})");
        }

        return affine;
    }

    /// <summary>srow_x, srow_y, srow_z as the first three rows.</summary>
    public static Affine Sform(NiftiHeader header) => new(header.SrowX.Concat(header.SrowY).Concat(header.SrowZ).Concat(new double[] { 0, 0, 0, 1 }).ToArray());

    /// <summary>
    /// Rotation of the quaternion times diag(pixdim[1], pixdim[2], qfac·pixdim[3]), translated by the qoffsets. The
    /// header's pixdim and qfac are the repaired ones (see <see cref="NiftiHeaderChecks"/>).
    /// </summary>
    public static Affine Qform(NiftiHeader header, string file)
    {
        var p = header.PixDim;
        var scale = new[] { p[1], p[2], p[3] * p[0] };
        var linear = NiftiQuaternion.ToMatrix(header.QuaternB, header.QuaternC, header.QuaternD, scale, NiftiQuaternion.Tolerance(header.Version));
        if (linear is null)
        {
            var bcd = string.Join(", ", new[] { header.QuaternB, header.QuaternC, header.QuaternD }.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
            throw NiftiErrors.HeaderInvalid(file, $"its qform quaternion (b, c, d) = ({bcd}) has a squared length above 1, so it is no rotation");
        }

        return new Affine(new[]
        {
            linear[0, 0], linear[0, 1], linear[0, 2], header.QoffsetX,
            linear[1, 0], linear[1, 1], linear[1, 2], header.QoffsetY,
            linear[2, 0], linear[2, 1], linear[2, 2], header.QoffsetZ,
            0, 0, 0, 1,
        });
    }

    /// <summary>
    /// nibabel's shape_zoom_affine with x flipped: diagonal voxel sizes (x negated, so the image is read as LAS) and
    /// the origin at the centre voxel; shapes of fewer than 3 dimensions count the missing ones as 1 voxel of 1 mm.
    /// </summary>
    public static Affine Base(NiftiHeader header, long[] fileShape)
    {
        var shape = new double[] { 1, 1, 1 };
        var zooms = new double[] { 1, 1, 1 };
        for (var n = 0; n < Math.Min(3, fileShape.Length); n++)
        {
            shape[n] = fileShape[n];
            zooms[n] = header.PixDim[n + 1];
        }

        zooms[0] = -zooms[0];
        var translation = new double[3];
        for (var n = 0; n < 3; n++)
        {
            translation[n] = -((shape[n] - 1) / 2.0) * zooms[n];
        }

        return new Affine(new[]
        {
            zooms[0], 0, 0, translation[0],
            0, zooms[1], 0, translation[1],
            0, 0, zooms[2], translation[2],
            0, 0, 0, 1,
        });
    }
}
