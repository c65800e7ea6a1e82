using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Imaging;

namespace MdaiClara.Engine.Reporting;

/// <summary>
/// Which voxel axes a view shows and which way: radiological display conventions for the three planes of a 3-D image,
/// from its RAS affine (axial with the patient's right on the image's left and anterior up, as seen from the feet;
/// coronal with the patient's right on the left and superior up, as seen from the front; sagittal with anterior on
/// the left and superior up), each display axis being the voxel axis closest to that world direction (nibabel's axis
/// codes), so an oblique acquisition is shown in its nearest plane. A 2-D image (one voxel thick) is shown as stored,
/// i along the columns and j down the rows, as any viewer shows a PNG or a radiograph.
/// </summary>
internal static class ViewOrientation
{
    public const string Convention = "Radiological convention: axial and coronal views show the patient's right on the image's left; axial: anterior up; coronal and sagittal: superior up; sagittal: anterior on the left. 2-D images are shown as stored.";

    /// <summary>The planes: world axis held fixed, world axes along columns and rows (each drawn from its + end: R, A
    /// or S first), and the letters at the image's edges.</summary>
    private static readonly (string Name, int Fixed, int Column, int Row, string Left, string Right, string Top, string Bottom)[] Planes =
    {
        ("Axial", 2, 0, 1, "R", "L", "A", "P"),
        ("Coronal", 1, 0, 2, "R", "L", "S", "I"),
        ("Sagittal", 0, 1, 2, "A", "P", "S", "I"),
    };

    /// <summary>The views to draw of an image with this affine and spatial shape.</summary>
    public static IReadOnlyList<ViewGeometry> Views(Affine affine, IReadOnlyList<int> shape)
    {
        var thin = Enumerable.Range(0, 3).Where(a => shape[a] == 1).ToList();
        if (thin.Count > 0)
        {
            var axes = Enumerable.Range(0, 3).Where(a => a != thin[0]).ToArray();
            return new[] { new ViewGeometry("Image", thin[0], axes[0], axes[1], ColumnReversed: false, RowReversed: false, "", "", "", "") };
        }

        var orientation = AxisCodes.Orientation(affine);
        var voxelAxisOf = new int[3];
        var signOf = new int[3];
        for (var axis = 0; axis < 3; axis++)
        {
            voxelAxisOf[orientation[axis].WorldAxis] = axis;
            signOf[orientation[axis].WorldAxis] = orientation[axis].Sign;
        }

        // Drawing from a world axis's + end runs against the voxel index where the voxel axis points that way.
        return Planes.Select(p => new ViewGeometry(p.Name, voxelAxisOf[p.Fixed], voxelAxisOf[p.Column], voxelAxisOf[p.Row],
            ColumnReversed: signOf[p.Column] > 0, RowReversed: signOf[p.Row] > 0, p.Left, p.Right, p.Top, p.Bottom)).ToList();
    }
}

/// <summary>
/// One view: the voxel axis held fixed, the voxel axes along its columns and rows, whether each runs against its
/// voxel index (reversed), and the patient directions at the picture's edges (empty for a 2-D image).
/// </summary>
internal sealed record ViewGeometry(string Name, int FixedAxis, int ColumnAxis, int RowAxis, bool ColumnReversed, bool RowReversed,
    string Left, string Right, string Top, string Bottom)
{
    /// <summary>The continuous voxel coordinate at display step <paramref name="step"/> along an axis of <paramref name="count"/> voxels.</summary>
    public static double Voxel(double step, int count, bool reversed) => reversed ? count - 1 - step : step;
}
