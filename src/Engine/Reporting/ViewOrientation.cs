using System.Linq;
using MdaiClara.Engine.Imaging;

namespace MdaiClara.Engine.Reporting;

/// <summary>
/// Radiological display conventions for the three planes, from the RAS affine: axial with the patient's right on the
/// image's left and anterior up (viewed from the feet), coronal with the patient's right on the left and superior up
/// (viewed from the front), sagittal with anterior on the left and superior up. Each display axis is the voxel axis
/// closest to that world direction (nibabel's axis codes), so an oblique acquisition is shown in its nearest plane.
/// </summary>
internal sealed class ViewOrientation
{
    public const string Convention = "Radiological convention: axial and coronal views show the patient's right on the image's left; axial: anterior up; coronal and sagittal: superior up; sagittal: anterior on the left.";

    private readonly int[] _voxelAxisOf = new int[3];
    private readonly int[] _signOf = new int[3];

    public ViewOrientation(Affine affine)
    {
        var orientation = AxisCodes.Orientation(affine);
        for (var axis = 0; axis < 3; axis++)
        {
            _voxelAxisOf[orientation[axis].WorldAxis] = axis;
            _signOf[orientation[axis].WorldAxis] = orientation[axis].Sign;
        }
    }

    /// <summary>The three planes: the world axis held fixed, the world axes along columns and rows (each drawn from
    /// its + end: R, A or S first), and the letters at the image's edges.</summary>
    public static readonly ViewPlane[] Planes =
    {
        new("Axial", Fixed: 2, Column: 0, Row: 1, Left: "R", Right: "L", Top: "A", Bottom: "P"),
        new("Coronal", Fixed: 1, Column: 0, Row: 2, Left: "R", Right: "L", Top: "S", Bottom: "I"),
        new("Sagittal", Fixed: 0, Column: 1, Row: 2, Left: "A", Right: "P", Top: "S", Bottom: "I"),
    };

    /// <summary>The voxel axis that runs along world axis <paramref name="worldAxis"/> (0 x, 1 y, 2 z).</summary>
    public int VoxelAxis(int worldAxis) => _voxelAxisOf[worldAxis];

    /// <summary>The (continuous) voxel coordinate <paramref name="step"/> voxels from world axis
    /// <paramref name="worldAxis"/>'s + end (R, A or S), along a voxel axis of <paramref name="count"/> voxels.</summary>
    public double VoxelFromPositiveEnd(int worldAxis, double step, int count) => _signOf[worldAxis] > 0 ? count - 1 - step : step;

    public override string ToString() => string.Join(",", _voxelAxisOf.Select((a, w) => $"{w}->{a}{(_signOf[w] > 0 ? "+" : "-")}"));
}

/// <summary>One display plane: the world axis fixed, the world axes along its columns and rows, the edge letters.</summary>
internal sealed record ViewPlane(string Name, int Fixed, int Column, int Row, string Left, string Right, string Top, string Bottom);
