using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Imaging;

namespace MdaiClara.Engine.Reporting;

/// <summary>
/// Axial, coronal and sagittal views (one view as stored for a 2-D image; see <see cref="ViewOrientation"/>) of a case through the centre of each structure (the ground truth's centroid, or
/// the prediction's where the truth is empty), the image windowed for its modality, with the truth's and the
/// prediction's contours drawn over it. Pixels are square in millimetres (the voxel spacing sets the aspect); the
/// image is interpolated bilinearly, the label maps by nearest voxel.
/// </summary>
internal static class OrthogonalViews
{
    public static IReadOnlyList<OverlayViewSet> Render(ReportCaseImages images, int viewSize, CancellationToken cancellationToken)
    {
        var image = images.Image;
        var window = DisplayWindow.For(image, images.Modality ?? image.Modality);
        var shape = image.Shape.Take(3).Select(s => (int)s).ToArray();
        var truth = Centroids.Of(images.Truth, images.Labels, shape, cancellationToken);
        var prediction = Centroids.Of(images.Prediction, images.Labels, shape, cancellationToken);
        var sets = new List<OverlayViewSet>();
        foreach (var label in images.Labels)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var inTruth = truth.TryGetValue(label.Value, out var t);
            var inPrediction = prediction.TryGetValue(label.Value, out var p);
            if (!inTruth && !inPrediction)
            {
                sets.Add(new OverlayViewSet($"{label.Name}: neither the ground truth nor the prediction has it", Array.Empty<OverlayView>()));
                continue;
            }

            var centre = inTruth ? t : p;
            var title = inTruth
                ? $"{label.Name}: through the centre of the ground truth ({t.Count.ToString("N0", CultureInfo.InvariantCulture)} voxels; prediction {(inPrediction ? p.Count.ToString("N0", CultureInfo.InvariantCulture) : "0")})"
                : $"{label.Name}: through the centre of the prediction ({p.Count.ToString("N0", CultureInfo.InvariantCulture)} voxels; the ground truth has none)";
            var views = ViewOrientation.Views(image.Affine, shape).Select(view => Draw(images, label.Value, view, centre, shape, window, viewSize)).ToList();
            sets.Add(new OverlayViewSet(title, views) { Window = window.Description });
        }

        return sets;
    }

    private static OverlayView Draw(ReportCaseImages images, int label, ViewGeometry plane, Centroid centre, int[] shape, DisplayWindow window, int viewSize)
    {
        var spacing = images.Image.Spacing;
        var fixedAxis = plane.FixedAxis;
        var columnAxis = plane.ColumnAxis;
        var rowAxis = plane.RowAxis;
        int nc = shape[columnAxis], nr = shape[rowAxis];
        var extentColumns = nc * spacing[columnAxis];
        var extentRows = nr * spacing[rowAxis];
        var scale = viewSize / Math.Max(extentColumns, extentRows);
        var width = Math.Max(1, (int)Math.Round(extentColumns * scale));
        var height = Math.Max(1, (int)Math.Round(extentRows * scale));
        var slice = Math.Clamp((int)Math.Round(centre.At(fixedAxis)), 0, shape[fixedAxis] - 1);

        var readImage = VoxelAccess.Reader(images.Image);
        var readTruth = VoxelAccess.LabelReader(images.Truth);
        var readPrediction = VoxelAccess.LabelReader(images.Prediction);
        var rgba = new byte[width * height * 4];
        var truthMask = new bool[width * height];
        var predictionMask = new bool[width * height];
        var voxel = new long[3];
        voxel[fixedAxis] = slice;
        long Index() => voxel[0] + (shape[0] * (voxel[1] + ((long)shape[1] * voxel[2])));

        for (var v = 0; v < height; v++)
        {
            var y = ViewGeometry.Voxel(((v + 0.5) * nr / height) - 0.5, nr, plane.RowReversed);
            for (var u = 0; u < width; u++)
            {
                var x = ViewGeometry.Voxel(((u + 0.5) * nc / width) - 0.5, nc, plane.ColumnReversed);
                var value = Bilinear(readImage, voxel, columnAxis, rowAxis, x, y, nc, nr, Index);
                var grey = window.Grey(value);
                var o = ((v * width) + u) * 4;
                rgba[o] = rgba[o + 1] = rgba[o + 2] = grey;
                rgba[o + 3] = 255;
                voxel[columnAxis] = Math.Clamp((int)Math.Round(x), 0, nc - 1);
                voxel[rowAxis] = Math.Clamp((int)Math.Round(y), 0, nr - 1);
                var index = Index();
                truthMask[(v * width) + u] = readTruth(index) == label;
                predictionMask[(v * width) + u] = readPrediction(index) == label;
            }
        }

        Contours.Draw(rgba, width, height, truthMask, OverlayColors.Truth, outerRing: true);
        Contours.Draw(rgba, width, height, predictionMask, OverlayColors.Prediction, outerRing: false);
        var caption = shape[fixedAxis] == 1
            ? $"{plane.Name} as stored, {nc.ToString(CultureInfo.InvariantCulture)} × {nr.ToString(CultureInfo.InvariantCulture)}"
            : $"{plane.Name}, slice {(slice + 1).ToString(CultureInfo.InvariantCulture)} of {shape[fixedAxis].ToString(CultureInfo.InvariantCulture)}";
        return new OverlayView(plane.Name, caption, PngImage.Encode(rgba, width, height), width, height, plane.Top, plane.Bottom, plane.Left, plane.Right);
    }

    private static double Bilinear(Func<long, double> read, long[] voxel, int columnAxis, int rowAxis, double x, double y, int nc, int nr, Func<long> index)
    {
        x = Math.Clamp(x, 0, nc - 1);
        y = Math.Clamp(y, 0, nr - 1);
        int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y);
        int x1 = Math.Min(x0 + 1, nc - 1), y1 = Math.Min(y0 + 1, nr - 1);
        double fx = x - x0, fy = y - y0;
        double At(int cx, int cy)
        {
            voxel[columnAxis] = cx;
            voxel[rowAxis] = cy;
            return read(index());
        }

        var top = (At(x0, y0) * (1 - fx)) + (At(x1, y0) * fx);
        var bottom = (At(x0, y1) * (1 - fx)) + (At(x1, y1) * fx);
        return (top * (1 - fy)) + (bottom * fy);
    }
}
