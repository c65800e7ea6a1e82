using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MdaiClara.Engine.Imaging.Nifti;

/// <summary>
/// The checks nibabel runs when it loads a header (check_fix at its default error level), with the same outcome:
/// what nibabel refuses is refused here, what it repairs is repaired here (with a warning when the repair changes
/// what the reader sees). One deliberate difference: a single-file vox_offset of 0 means "right after the header"
/// here, where nibabel would read the header bytes as voxels.
/// </summary>
internal static class NiftiHeaderChecks
{
    /// <summary>Repairs <paramref name="header"/> in place and returns the warnings; throws for what cannot be read.</summary>
    public static IReadOnlyList<string> Apply(NiftiHeader header, string file)
    {
        var warnings = new List<string>();
        CheckMagic(header, file);
        CheckDataType(header, file);
        FixPixDims(header, warnings);
        FixQfac(header);
        header.QformCode = FixXformCode(header.QformCode, "qform_code", warnings);
        header.SformCode = FixXformCode(header.SformCode, "sform_code", warnings);
        FixOffset(header, file, warnings);
        CheckScaling(header, file);
        return warnings;
    }

    private static void CheckMagic(NiftiHeader header, string file)
    {
        if (!header.HasValidMagic)
        {
            var expected = header.Version == 2 ? "'n+2' or 'ni2'" : "'n+1' or 'ni1'";
            throw NiftiErrors.HeaderInvalid(file, $"its magic is '{Printable(header.Magic)}', expected {expected} (Analyze 7.5 headers are not read)");
        }

        var eol = header.EolCheck;
        if (header.Version == 2 && !eol.SequenceEqual(new byte[] { 13, 10, 26, 10 }) && !eol.All(b => b == 0))
        {
            throw NiftiErrors.HeaderInvalid(file, "the NIfTI-2 end-of-line check bytes are altered, so a text-mode transfer has changed the file");
        }
    }

    private static void CheckDataType(NiftiHeader header, string file)
    {
        if (NiftiDataTypes.ToVoxelType(header.DataType) is null)
        {
            throw NiftiErrors.DatatypeUnsupported(file, header.DataType);
        }
    }

    /// <summary>Voxel sizes pixdim[1..3]: 0 becomes 1 and negatives their absolute value (they feed the qform and base affine).</summary>
    private static void FixPixDims(NiftiHeader header, List<string> warnings)
    {
        var p = header.PixDim;
        if (p[1] == 0 || p[2] == 0 || p[3] == 0)
        {
            warnings.Add($"pixdim[1..3] ({Format(p[1])}, {Format(p[2])}, {Format(p[3])}) has zeros; they were taken as 1, as nibabel does.");
            for (var n = 1; n <= 3; n++)
            {
                p[n] = p[n] == 0 ? 1 : p[n];
            }
        }

        if (p[1] < 0 || p[2] < 0 || p[3] < 0)
        {
            warnings.Add($"pixdim[1..3] ({Format(p[1])}, {Format(p[2])}, {Format(p[3])}) has negative values; their absolute values were used, as nibabel does.");
            for (var n = 1; n <= 3; n++)
            {
                p[n] = Math.Abs(p[n]);
            }
        }
    }

    /// <summary>qfac (pixdim[0]) other than ±1 means 1; many writers leave it 0, so this is silent.</summary>
    private static void FixQfac(NiftiHeader header)
    {
        if (header.PixDim[0] is not (1 or -1))
        {
            header.PixDim[0] = 1;
        }
    }

    private static int FixXformCode(int code, string name, List<string> warnings)
    {
        if (code is >= 0 and <= 5)
        {
            return code;
        }

        warnings.Add($"{name} {code} is not a valid NIfTI code; it was taken as 0 (unknown), as nibabel does.");
        return 0;
    }

    private static void FixOffset(NiftiHeader header, string file, List<string> warnings)
    {
        var offset = header.VoxOffset;
        if (!double.IsFinite(offset) || offset < 0 || offset > (1L << 62))
        {
            throw NiftiErrors.HeaderInvalid(file, $"vox_offset is {Format(offset)}");
        }

        if (!header.IsSingleFile)
        {
            return;
        }

        var minimum = header.Size + 4; // header, then the 4-byte extension flag
        if (offset == 0)
        {
            header.VoxOffset = minimum;
            warnings.Add($"vox_offset is 0; the voxels were read from byte {minimum}, right after the header.");
        }
        else if (Math.Floor(offset) < minimum)
        {
            throw NiftiErrors.HeaderInvalid(file, $"vox_offset {Format(offset)} points into the header (the voxels of a single-file NIfTI-{header.Version} start at byte {minimum} or later)");
        }
    }

    private static void CheckScaling(NiftiHeader header, string file)
    {
        var slope = header.SclSlope;
        if (slope != 0 && double.IsFinite(slope) && !double.IsFinite(header.SclInter))
        {
            throw NiftiErrors.HeaderInvalid(file, $"scl_slope is {Format(slope)} but scl_inter is {Format(header.SclInter)}");
        }
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Printable(string text) => new(text.Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());
}
