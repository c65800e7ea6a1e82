using System.Collections.Generic;
using System.IO;
using System.Linq;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Tests.TestSupport;

namespace MdaiClara.Engine.Tests.Imaging.Seg;

/// <summary>
/// Source series for the SEG tests (every orientation fixture, the golden CT series and the sample phantom) and a label
/// map defined in patient space, so that a frame misplaced, flipped or transposed anywhere shows. The same rule is in
/// tests/tools/check_dicom_seg.py, which judges the written file with pydicom alone.
/// </summary>
internal static class DicomSegTestData
{
    /// <summary>Offset of the rule's planes from the volume's centre, in mm (no voxel centre lies on a plane).</summary>
    public const double Q = 0.173;

    public static readonly string[] Series =
    {
        "dicom/series/axial_hfs", "dicom/series/axial_ffs", "dicom/series/axial_flipped_unsigned", "dicom/series/coronal",
        "dicom/series/sagittal", "dicom/series/oblique", "dicom/series/gantry_tilt", "dicom/series/enhanced_multiframe",
        "dicom/series/legacy_multiframe_grid", "dicom/series/implicit_vr_float_rescale", "dicom/series/big_endian_ow_8bit",
        "dicom/golden_series/dcm_ct_s16/dicom", "dicom/golden_series/dcm_ct_u12/dicom", "samples/phantom/dicom",
    };

    public static IEnumerable<object[]> SeriesCases => Series.Select(s => new object[] { s });

    public static string Folder(string name) => name.StartsWith("samples/", System.StringComparison.Ordinal)
        ? Path.Combine(TestPaths.RepoRoot, name)
        : Path.Combine(TestPaths.Fixtures, name);

    public static Volume Source(string name)
    {
        var files = Directory.GetFiles(Folder(name)).Where(f => !f.EndsWith(".json", System.StringComparison.Ordinal));
        var scan = DicomSeriesAssembler.Scan(files);
        return DicomSeriesAssembler.Assemble(scan.Series.Single());
    }

    /// <summary>The volume's centre in LPS millimetres.</summary>
    public static double[] CenterLps(Volume volume)
    {
        var a = volume.Affine;
        var (ci, cj, ck) = ((volume.Shape[0] - 1) / 2.0, (volume.Shape[1] - 1) / 2.0, (volume.Shape[2] - 1) / 2.0);
        var ras = Enumerable.Range(0, 3).Select(r => (a[r, 0] * ci) + (a[r, 1] * cj) + (a[r, 2] * ck) + a[r, 3]).ToArray();
        return new[] { -ras[0], -ras[1], ras[2] };
    }

    /// <summary>Label 1 where d.x &gt; Q and d.y &lt; Q, label 3 where d.x &lt; −Q and d.z &gt; −Q (LPS, d from the centre).</summary>
    public static Volume Labels(Volume source)
    {
        var center = CenterLps(source);
        var (ni, nj, nk) = ((int)source.Shape[0], (int)source.Shape[1], (int)source.Shape[2]);
        var voxels = new byte[ni * nj * nk];
        var a = source.Affine;
        for (var k = 0; k < nk; k++)
        {
            for (var j = 0; j < nj; j++)
            {
                for (var i = 0; i < ni; i++)
                {
                    var x = -((a[0, 0] * i) + (a[0, 1] * j) + (a[0, 2] * k) + a[0, 3]) - center[0];
                    var y = -((a[1, 0] * i) + (a[1, 1] * j) + (a[1, 2] * k) + a[1, 3]) - center[1];
                    var z = (a[2, 0] * i) + (a[2, 1] * j) + (a[2, 2] * k) + a[2, 3] - center[2];
                    voxels[i + (ni * (j + (nj * k)))] = x > Q && y < Q ? (byte)1 : x < -Q && z > -Q ? (byte)3 : (byte)0;
                }
            }
        }

        return new Volume(voxels, new long[] { ni, nj, nk }, source.Affine, source.Source + " labels") { Dicom = source.Dicom };
    }
}
