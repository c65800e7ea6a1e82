using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Mdai.Annotations;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Mdai.Annotations;

public sealed class MdaiAnnotationImportBuilderTests
{
    [Fact]
    public void A_label_volume_round_trips_exactly_through_MDai_import_JSON_and_back()
    {
        var series = AnnotationTestSeries.Create(40, 32, 4);
        var label = LabelVolume(series, seed: 3);
        var warnings = new List<string>();
        using var temp = new TempDirectory();
        var path = temp.Combine("import.json");

        var count = MdaiAnnotationImportBuilder.Write(
            MdaiAnnotationImportBuilder.FromLabelVolume(label, null, new Dictionary<int, string> { [1] = "L_spleen", [2] = "L_liver" }, warnings, CancellationToken.None),
            path);

        // Label 3 has no id: named, not silently dropped.
        Assert.Contains(warnings, w => w.Contains("Class 3"));
        Assert.True(count >= 6);
        using var items = JsonDocument.Parse(File.ReadAllBytes(path));
        var first = items.RootElement[0];
        Assert.Equal(new[] { "labelId", "StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID", "data" }, first.EnumerateObject().Select(p => p.Name));
        Assert.Equal(new[] { "foreground", "background" }, first.GetProperty("data").EnumerateObject().Select(p => p.Name));

        // MD.ai exports the imported annotations in the same shape: read them as an export and draw them back.
        var export = MdaiAnnotationExport.Parse(Encoding.UTF8.GetBytes(
            """{"labelGroups": [{"id": "G_1", "labels": [{"id": "L_spleen", "name": "Spleen", "annotationMode": "mask"}, {"id": "L_liver", "name": "Liver", "annotationMode": "mask"}]}], "datasets": [{"id": "D_1", "annotations": """
            + File.ReadAllText(path) + "}]}"), "round-trip.json", CancellationToken.None);
        var back = AnnotationRasterizer.ToLabelVolume(export, series, new Dictionary<string, int> { ["L_spleen"] = 1, ["L_liver"] = 2 }, CancellationToken.None);

        Assert.Empty(back.Warnings);
        var expected = label.GetVoxels<byte>().Select(v => v == 3 ? (byte)0 : v).ToArray();
        Assert.Equal(expected, back.Labels.GetVoxels<byte>());
    }

    [Fact]
    public void Holes_islands_one_pixel_parts_and_diagonals_survive_where_MDai_s_own_conversion_loses_them()
    {
        // The contour fixture's masks, one per slice: exact through our import and our (OpenCV-identical) rasteriser.
        var cases = ContourCases.All.Where(c => c.Width <= 40 && c.Height <= 40).Take(24).ToList();
        var series = AnnotationTestSeries.Create(40, 40, cases.Count);
        var voxels = new byte[40 * 40 * cases.Count];
        for (var k = 0; k < cases.Count; k++)
        {
            for (var y = 0; y < cases[k].Height; y++)
            {
                for (var x = 0; x < cases[k].Width; x++)
                {
                    voxels[(k * 1600) + (y * 40) + x] = cases[k].Mask[(y * cases[k].Width) + x];
                }
            }
        }

        var label = new Volume(voxels, [40, 40, cases.Count], series.Affine, "fixture masks") { Dicom = series.Dicom };
        var items = MdaiAnnotationImportBuilder.FromLabelVolume(label, null, new Dictionary<int, string> { [1] = "L_a" }, new List<string>(), CancellationToken.None).ToList();
        var plane = new MdaiClara.Engine.Mdai.Annotations.Raster.MaskPlane(40, 40);
        var lostByMdai = 0;
        foreach (var item in items)
        {
            var k = series.Dicom!.Slices.Single(s => s.SopInstanceUid == item.SopInstanceUid).SliceIndex;
            plane.Clear();
            Assert.True(AnnotationPainter.Draw(plane, MdaiAnnotationMode.Mask, item.Data));
            Assert.Equal(voxels.Skip(k * 1600).Take(1600).ToArray(), plane.Pixels);
            lostByMdai += cases[k].MdaiLostPixels;
        }

        Assert.Equal(cases.Count(c => c.Mask.Any(v => v != 0)), items.Count);
        Assert.True(lostByMdai > 30, $"MD.ai's convert_mask_data loses {lostByMdai} pixels on these slices; ours none");
    }

    [Fact]
    public void A_label_volume_without_DICOM_geometry_is_placed_through_the_series_given()
    {
        var series = AnnotationTestSeries.Create(40, 32, 4);
        var onSeries = LabelVolume(series, seed: 5);
        var plain = new Volume(onSeries.GetVoxels<byte>(), [40, 32, 4], series.Affine, "label.nii.gz");
        var ids = new Dictionary<int, string> { [1] = "L_a", [2] = "L_b", [3] = "L_c" };

        var viaSeries = MdaiAnnotationImportBuilder.FromLabelVolume(plain, series, ids, new List<string>(), CancellationToken.None).ToList();
        var direct = MdaiAnnotationImportBuilder.FromLabelVolume(onSeries, null, ids, new List<string>(), CancellationToken.None).ToList();

        Assert.Equal(direct.Count, viaSeries.Count);
        Assert.Equal(direct.Select(d => (d.LabelId, d.SopInstanceUid, d.Pixels)), viaSeries.Select(d => (d.LabelId, d.SopInstanceUid, d.Pixels)));
    }

    [Fact]
    public void A_label_volume_without_a_series_is_an_error()
    {
        var plain = new Volume(new byte[8], [2, 2, 2], Affine.Identity, "x.nii.gz");
        var ex = Assert.Throws<MdaiClaraException>(() => MdaiAnnotationImportBuilder.FromLabelVolume(plain, null, new Dictionary<int, string> { [1] = "L_a" }, new List<string>(), CancellationToken.None).ToList());
        Assert.Equal(ErrorIds.MdaiAnnotationConversionFailed, ex.ErrorId);
    }

    /// <summary>Labels 1 (a ring with an island), 2 (blobs and single pixels) and 3 (a square) on a few slices.</summary>
    private static Volume LabelVolume(Volume series, int seed)
    {
        var (w, h, d) = ((int)series.Shape[0], (int)series.Shape[1], (int)series.Shape[2]);
        var voxels = new byte[w * h * d];
        var rng = new Random(seed);
        for (var k = 0; k < d; k++)
        {
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    var r = Math.Sqrt(((x - 15) * (x - 15)) + ((y - 14) * (y - 14)));
                    byte v = r < 11 && (r >= 6 || r < 2.5) ? (byte)1 : (byte)0;
                    if (v == 0 && x > 28 && rng.NextDouble() < 0.35)
                    {
                        v = 2;
                    }

                    if (k == 2 && x < 4 && y < 4)
                    {
                        v = 3;
                    }

                    voxels[x + (w * (y + (h * k)))] = v;
                }
            }
        }

        return new Volume(voxels, [w, h, d], series.Affine, "label") { Dicom = series.Dicom };
    }
}
