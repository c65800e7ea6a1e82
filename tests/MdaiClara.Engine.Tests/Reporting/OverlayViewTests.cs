using System;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Reporting;
using StbImageSharp;
using Xunit;

namespace MdaiClara.Engine.Tests.Reporting;

public sealed class OverlayViewTests
{
    // A 40×40×40 cube of 1 mm voxels; one structure in the patient's right-anterior-superior octant.
    private const int N = 40;

    [Theory]
    [InlineData("RAS")]
    [InlineData("LPS")]
    [InlineData("LAI")]
    public void Views_follow_the_radiological_convention_whatever_the_storage_order(string storage)
    {
        var signs = storage.Select(c => c is 'R' or 'A' or 'S' ? 1 : -1).ToArray();
        // World position of voxel (i, j, k): sign * (index - 20) mm per axis, so the structure's world centre is fixed.
        var affine = Affine.FromColumns(new double[] { signs[0], 0, 0 }, new double[] { 0, signs[1], 0 }, new double[] { 0, 0, signs[2] },
            new double[] { -signs[0] * 20.0, -signs[1] * 20.0, -signs[2] * 20.0 });
        var image = new float[N * N * N];
        var labels = new byte[N * N * N];
        for (var k = 0; k < N; k++)
        {
            for (var j = 0; j < N; j++)
            {
                for (var i = 0; i < N; i++)
                {
                    // World: x = R+, y = A+, z = S+; the structure at x, y, z in [6, 14] mm (right, anterior, superior).
                    double x = signs[0] * (i - 20), y = signs[1] * (j - 20), z = signs[2] * (k - 20);
                    var inside = x is >= 6 and <= 14 && y is >= 6 and <= 14 && z is >= 6 and <= 14;
                    image[i + (N * (j + (N * k)))] = inside ? 100 : 0;
                    labels[i + (N * (j + (N * k)))] = inside ? (byte)1 : (byte)0;
                }
            }
        }

        var shape = new long[] { N, N, N };
        var images = new ReportCaseImages(new Volume(image, shape, affine, "cube") { Modality = "MR" }, new Volume(labels, shape, affine, "truth"),
            new Volume(labels, shape, affine, "prediction"), new[] { new ReportLabel(1, "target") });
        var views = OrthogonalViews.Render(images, 80, CancellationToken.None).Single().Views;

        // Where the bright structure lands in each 80×80 view, as (column, row) fractions.
        var axial = BrightCentre(views.Single(v => v.Plane == "Axial").Png);
        var coronal = BrightCentre(views.Single(v => v.Plane == "Coronal").Png);
        var sagittal = BrightCentre(views.Single(v => v.Plane == "Sagittal").Png);
        Assert.True(axial.Column < 0.5 && axial.Row < 0.5, $"axial: patient right on the image's left, anterior up; got {axial}");
        Assert.True(coronal.Column < 0.5 && coronal.Row < 0.5, $"coronal: patient right on the left, superior up; got {coronal}");
        Assert.True(sagittal.Column < 0.5 && sagittal.Row < 0.5, $"sagittal: anterior on the left, superior up; got {sagittal}");
        Assert.Equal(("A", "P", "R", "L"), (views[0].Top, views[0].Bottom, views[0].Left, views[0].Right));
        Assert.Equal(("S", "I", "A", "P"), (views[2].Top, views[2].Bottom, views[2].Left, views[2].Right));
    }

    [Fact]
    public void A_two_dimensional_image_is_one_view_as_stored_with_its_aspect()
    {
        // 30 × 20 pixels of 0.5 × 1 mm (15 × 20 mm); the structure near i = 0, j = 0 lands top left, as a viewer shows the file.
        var shape = new long[] { 30, 20, 1 };
        var image = new float[30 * 20];
        var labels = new byte[30 * 20];
        for (var j = 0; j < 20; j++)
        {
            for (var i = 0; i < 30; i++)
            {
                var inside = i is >= 2 and <= 8 && j is >= 2 and <= 6;
                image[i + (30 * j)] = inside ? 100 : 0;
                labels[i + (30 * j)] = inside ? (byte)3 : (byte)0;
            }
        }

        var affine = Affine.Diagonal(0.5, 1, 1);
        var images = new ReportCaseImages(new Volume(image, shape, affine, "picture") { SpatialRank = 2 }, new Volume(labels, shape, affine, "truth"),
            new Volume(labels, shape, affine, "prediction"), new[] { new ReportLabel(3, "nodule") });
        var view = OrthogonalViews.Render(images, 100, CancellationToken.None).Single().Views.Single();
        Assert.Equal("Image", view.Plane);
        Assert.Equal((75, 100), (view.Width, view.Height));
        Assert.Equal(("", "", "", ""), (view.Top, view.Bottom, view.Left, view.Right));
        var centre = BrightCentre(view.Png);
        Assert.True(centre.Column < 0.4 && centre.Row < 0.3, $"stored order: i across, j down; got {centre}");
    }

    [Fact]
    public void The_aspect_follows_the_spacing_and_both_contours_are_drawn_in_their_colours()
    {
        var report = SyntheticReports.Segmentation();
        var worst = report.Cases.Single(c => c.CaseId == "case-03").Images!;
        var sets = OrthogonalViews.Render(worst, 240, CancellationToken.None);
        Assert.Equal(2, sets.Count);
        var coronal = sets[0].Views.Single(v => v.Plane == "Coronal");
        // 64 voxels of 1.5 mm across, 36 slices of 2.5 mm up: 96 mm wide, 90 mm high; 56 × 1.5 = 84 mm front to back.
        Assert.Equal((240, (int)Math.Round(240 * 90 / 96.0)), (coronal.Width, coronal.Height));
        var sagittal = sets[0].Views.Single(v => v.Plane == "Sagittal");
        Assert.Equal(((int)Math.Round(240 * 84 / 90.0), 240), (sagittal.Width, sagittal.Height));
        var axial = ImageResult.FromMemory(sets[0].Views.Single(v => v.Plane == "Axial").Png, ColorComponents.RedGreenBlue);
        Assert.True(Count(axial, OverlayColors.Truth) > 20, "truth contour drawn");
        Assert.True(Count(axial, OverlayColors.Prediction) > 20, "prediction contour drawn");

        // The spleen (label 2) is missing from case-03's prediction: views still drawn, through the truth's centre, without orange.
        Assert.Contains("spleen: through the centre of the ground truth", sets[1].Title, StringComparison.Ordinal);
        Assert.Contains("prediction 0", sets[1].Title, StringComparison.Ordinal);
        var spleen = ImageResult.FromMemory(sets[1].Views.Single(v => v.Plane == "Axial").Png, ColorComponents.RedGreenBlue);
        Assert.True(Count(spleen, OverlayColors.Truth) > 10);
        Assert.Equal(0, Count(spleen, OverlayColors.Prediction));
    }

    [Fact]
    public void Ct_uses_the_soft_tissue_window_and_other_modalities_their_percentiles()
    {
        var ct = DisplayWindow.For(new Volume(new short[] { -1000, 0, 40, 3000 }, new long[] { 4, 1, 1 }, Affine.Identity, "ct"), "CT");
        Assert.Equal((-160.0, 240.0), (ct.Low, ct.High));
        var values = Enumerable.Range(0, 1001).Select(v => (float)v).ToArray();
        var mr = DisplayWindow.For(new Volume(values, new long[] { 1001, 1, 1 }, Affine.Identity, "mr"), "MR");
        Assert.Equal(10.0, mr.Low, 9);
        Assert.Equal(990.0, mr.High, 9);
        Assert.Equal(0, mr.Grey(5));
        Assert.Equal(255, mr.Grey(995));
    }

    private static (double Column, double Row) BrightCentre(byte[] png)
    {
        var image = ImageResult.FromMemory(png, ColorComponents.Grey);
        double sx = 0, sy = 0, n = 0;
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                if (image.Data[(y * image.Width) + x] > 128)
                {
                    sx += x;
                    sy += y;
                    n++;
                }
            }
        }

        Assert.True(n > 0, "the structure is in the view");
        return (sx / n / image.Width, sy / n / image.Height);
    }

    private static int Count(ImageResult rgb, (byte R, byte G, byte B) color)
    {
        var count = 0;
        for (var p = 0; p + 2 < rgb.Data.Length; p += 3)
        {
            count += rgb.Data[p] == color.R && rgb.Data[p + 1] == color.G && rgb.Data[p + 2] == color.B ? 1 : 0;
        }

        return count;
    }
}
