using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Mdai.Annotations;
using MdaiClara.Engine.Mdai.Annotations.Raster;
using Xunit;

namespace MdaiClara.Engine.Tests.Mdai.Annotations;

public sealed class AnnotationRasterizerTests
{
    private static readonly MdaiAnnotationExport Export = MdaiAnnotationExport.Read(MdaiAnnotationExportTests.SmallExport, CancellationToken.None);

    private static readonly Dictionary<string, int> AllLabels = new()
    {
        ["Spleen"] = 1, ["Liver"] = 2, ["Lesion"] = 3, ["Centre"] = 4, ["Ruler"] = 5, ["Kidney"] = 6, ["Oval"] = 8,
    };

    [Fact]
    public void Draws_each_annotation_on_its_instance_slice_of_the_series_grid()
    {
        var series = AnnotationTestSeries.Create();

        var result = AnnotationRasterizer.ToLabelVolume(Export, series, AllLabels, CancellationToken.None);

        var labels = result.Labels;
        Assert.Equal(series.Shape, labels.Shape);
        Assert.Equal(series.Affine, labels.Affine);
        Assert.Same(series.Dicom, labels.Dicom);
        var voxels = labels.GetVoxels<byte>();
        // Slice 1 (instance …1.2): the spleen mask, its background square cleared.
        Assert.Equal(1, voxels[labels.Index(2, 2, 1)]);
        Assert.Equal(0, voxels[labels.Index(6, 5, 1)]);
        Assert.Equal(1, voxels[labels.Index(9, 8, 1)]);
        Assert.Equal(Expected(MdaiAnnotationMode.Mask, Export.Annotations[0].Data), Slice(voxels, 1, 1));
        // Slice 0: the liver triangle (value 2), then the ruler line over the bottom rows (value 5, later, wins).
        var liver = Expected(MdaiAnnotationMode.Freeform, Export.Annotations[1].Data);
        var ruler = Expected(MdaiAnnotationMode.Line, Export.Annotations[4].Data);
        var slice0 = Slice(voxels, 0, 255);
        for (var i = 0; i < slice0.Length; i++)
        {
            Assert.Equal(ruler[i] != 0 ? 255 : liver[i] != 0 ? 255 : 0, slice0[i]);
            Assert.Equal(ruler[i] != 0 ? 5 : liver[i] != 0 ? 2 : 0, voxels[i]);
        }

        // Slice 2: the lesion box and the centre disc.
        Assert.Equal(3, voxels[labels.Index(12, 3, 2)]);
        Assert.Equal(4, voxels[labels.Index(3, 8, 2)]);
        Assert.Equal(5, result.DrawnCount);
    }

    [Fact]
    public void Every_annotation_left_out_is_named_in_a_warning()
    {
        var result = AnnotationRasterizer.ToLabelVolume(Export, AnnotationTestSeries.Create(), AllLabels, CancellationToken.None);

        var all = string.Join("\n", result.Warnings);
        Assert.Contains(result.Warnings, w => w.Contains("A_missing_instance") && w.Contains("1.2.826.0.1.3680043.8.498.1.1.99") && w.Contains("not in series"));
        Assert.Contains(result.Warnings, w => w.Contains("A_unknown_label") && w.Contains("L_gone"));
        Assert.Contains(result.Warnings, w => w.Contains("A_bad_frame") && w.Contains("frameNumber 3"));
        Assert.Contains(result.Warnings, w => w.Contains("1.2.826.0.1.3680043.8.498.1.7") && w.Contains("1 annotation(s)"));
        Assert.Contains(result.Warnings, w => w.Contains("A_oval1") && w.Contains("'ellipse'"));
        Assert.Equal(5, result.Warnings.Count);
        Assert.DoesNotContain("A_spleen1", all);
    }

    [Fact]
    public void A_global_label_asked_for_as_pixels_is_a_warning_and_an_empty_map_is_every_drawable_label()
    {
        var asked = AnnotationRasterizer.ToLabelVolume(Export, AnnotationTestSeries.Create(), new Dictionary<string, int> { ["Contrast"] = 1 }, CancellationToken.None);
        Assert.Contains(asked.Warnings, w => w.Contains("Contrast") && w.Contains("global"));
        Assert.Equal(0, asked.DrawnCount);

        var every = AnnotationRasterizer.ToLabelVolume(Export, AnnotationTestSeries.Create(), new Dictionary<string, int>(), CancellationToken.None);
        Assert.Equal(new[] { "L_spleen", "L_liver", "L_kidney", "L_lesion", "L_center", "L_ruler" }, every.LabelValues.OrderBy(p => p.Value).Select(p => p.Key));
        Assert.Equal(5, every.DrawnCount);
    }

    [Fact]
    public void A_volume_without_DICOM_geometry_or_an_unknown_label_name_is_an_error()
    {
        var nifti = new Volume(new byte[16 * 12 * 3], [16, 12, 3], Affine.Identity, "x.nii.gz");
        Assert.Equal(ErrorIds.MdaiAnnotationSeriesRequired, Assert.Throws<MdaiClaraException>(() => AnnotationRasterizer.ToLabelVolume(Export, nifti, AllLabels, CancellationToken.None)).ErrorId);
        Assert.Equal(ErrorIds.MdaiAnnotationLabelUnknown, Assert.Throws<MdaiClaraException>(() => AnnotationRasterizer.ToLabelVolume(Export, AnnotationTestSeries.Create(), new Dictionary<string, int> { ["Pancreas"] = 1 }, CancellationToken.None)).ErrorId);
    }

    private static byte[] Expected(MdaiAnnotationMode mode, MdaiAnnotationData? data)
    {
        var plane = new MaskPlane(16, 12);
        Assert.True(AnnotationPainter.Draw(plane, mode, data));
        Assert.True(plane.Count() > 0);
        return plane.Pixels;
    }

    private static byte[] Slice(byte[] voxels, int k, byte on) =>
        voxels.Skip(16 * 12 * k).Take(16 * 12).Select(v => (byte)(v != 0 ? on : 0)).ToArray();
}
