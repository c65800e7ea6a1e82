using System;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Inference;

namespace MdaiClara.Engine.Metrics;

/// <summary>
/// Cuts one class out of a prediction and a truth label map: the box of their union (MONAI's
/// <c>get_mask_edges(crop=True)</c>), as two C-order masks with k slowest and i fastest, and measures its surfaces.
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
        var predicted = new byte[length];
        var actual = new byte[length];
        var row = new byte[ni];
        for (var k = 0; k < nk; k++)
        {
            for (var j = 0; j < nj; j++)
            {
                var start = truth.Index(lowI, lowJ + j, lowK + k);
                var at = ((k * nj) + j) * ni;
                slots.Fill(prediction, start, row);
                Mark(row, slot, predicted, at);
                slots.Fill(truth, start, row);
                Mark(row, slot, actual, at);
            }
        }

        var shape = new[] { nk, nj, ni };
        var hostSpacing = new[] { spacing[2], spacing[1], spacing[0] };
        var threeD = truth.SpatialRank == 3;

        // 1.x erodes along every spatial axis; 0.8.1 squeezes the box's one-voxel axes away first.
        var eroded = semantics == MonaiSemantics.Monai1x
            ? new[] { threeD, true, true }
            : new[] { threeD && nk > 1, nj > 1, ni > 1 };
        return SurfacePair.Measure(predicted, actual, shape, hostSpacing, eroded, semantics);
    }

    private static void Mark(byte[] row, byte slot, byte[] mask, int at)
    {
        for (var n = 0; n < row.Length; n++)
        {
            mask[at + n] = row[n] == slot ? (byte)1 : (byte)0;
        }
    }
}
