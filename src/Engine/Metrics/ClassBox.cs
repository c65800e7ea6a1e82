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

        // One (k, i) plane of the box per j, read along i (the volume's fast axis), then written along k.
        var plane = new byte[nk * ni];
        foreach (var (volume, mask) in new[] { (prediction, predicted), (truth, actual) })
        {
            for (var j = 0; j < nj; j++)
            {
                for (var k = 0; k < nk; k++)
                {
                    slots.Fill(volume, truth.Index(lowI, lowJ + j, lowK + k), plane.AsSpan(k * ni, ni));
                }

                for (var i = 0; i < ni; i++)
                {
                    var at = ((i * nj) + j) * nk;
                    for (var k = 0; k < nk; k++)
                    {
                        mask[at + k] = plane[(k * ni) + i] == slot ? (byte)1 : (byte)0;
                    }
                }
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
}
