using System;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Inference;

namespace MdaiClara.Engine.Metrics;

/// <summary>
/// Cuts one class out of a prediction and a truth label map: the box of their union (MONAI's
/// <c>get_mask_edges(crop=True)</c>), as two C-order masks (i slowest, k fastest, as MONAI's arrays), and measures its surfaces.
/// </summary>
internal static class ClassBox
{
    public static SurfacePair Extract(Volume prediction, Volume truth, byte slot, ClassSlots slots, LabelCounts counts, double[] spacing, MonaiSemantics semantics)
    {
        int lowI = counts.Low[slot, 0], lowJ = counts.Low[slot, 1], lowK = counts.Low[slot, 2];
        var ni = counts.High[slot, 0] - lowI + 1;
        var nj = counts.High[slot, 1] - lowJ + 1;
        var nk = counts.High[slot, 2] - lowK + 1;
        var length = checked(ni * nj * nk);

        // C order over (i, j, k), k fastest: the layout of MONAI's arrays (nibabel's), so the surface voxels and their
        // distances come out in the order NumPy's boolean indexing gives them, and means sum in NumPy's order.
        var predicted = new byte[length];
        var actual = new byte[length];
        var row = new byte[ni];
        for (var k = 0; k < nk; k++)
        {
            for (var j = 0; j < nj; j++)
            {
                var start = truth.Index(lowI, lowJ + j, lowK + k);
                var at = (j * nk) + k;
                var stride = nj * nk;
                slots.Fill(prediction, start, row);
                Mark(row, slot, predicted, at, stride);
                slots.Fill(truth, start, row);
                Mark(row, slot, actual, at, stride);
            }
        }

        var shape = new[] { ni, nj, nk };
        var threeD = truth.SpatialRank == 3;

        // 1.x erodes along every spatial axis; 0.8.1 squeezes the box's one-voxel axes away first.
        var eroded = semantics == MonaiSemantics.Monai1x
            ? new[] { true, true, threeD }
            : new[] { ni > 1, nj > 1, threeD && nk > 1 };
        return SurfacePair.Measure(predicted, actual, shape, spacing, eroded, semantics);
    }

    private static void Mark(byte[] row, byte slot, byte[] mask, int at, int stride)
    {
        for (var n = 0; n < row.Length; n++)
        {
            mask[at + (n * stride)] = row[n] == slot ? (byte)1 : (byte)0;
        }
    }
}
