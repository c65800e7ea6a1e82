using System;
using MdaiClara.Engine.Imaging;
using Xunit;

namespace MdaiClara.Engine.Tests.TestSupport;

/// <summary>Compares two volumes where it matters: the same value at the same world position, whatever the axis order.</summary>
internal static class WorldSpace
{
    public static void AssertSameImage(Volume expected, Volume actual, double affineTolerance)
    {
        Assert.Equal(expected.VoxelCount, actual.VoxelCount);
        var inverse = actual.Affine.Inverse();
        var a = expected.GetVoxels();
        var b = actual.GetVoxels();
        var worstDistance = 0.0;
        for (long k = 0; k < expected.Shape[2]; k++)
        {
            for (long j = 0; j < expected.Shape[1]; j++)
            {
                for (long i = 0; i < expected.Shape[0]; i++)
                {
                    var world = expected.Affine.Transform(i, j, k);
                    var index = inverse.Transform(world[0], world[1], world[2]);
                    var ri = Math.Round(index[0]);
                    var rj = Math.Round(index[1]);
                    var rk = Math.Round(index[2]);
                    var there = actual.Affine.Transform(ri, rj, rk);
                    worstDistance = Math.Max(worstDistance, Math.Sqrt(Math.Pow(there[0] - world[0], 2) + Math.Pow(there[1] - world[1], 2) + Math.Pow(there[2] - world[2], 2)));
                    Assert.InRange(ri, 0, actual.Shape[0] - 1);
                    Assert.InRange(rj, 0, actual.Shape[1] - 1);
                    Assert.InRange(rk, 0, actual.Shape[2] - 1);
                    var va = Convert.ToDouble(a.GetValue(expected.Index(i, j, k)), System.Globalization.CultureInfo.InvariantCulture);
                    var vb = Convert.ToDouble(b.GetValue(actual.Index((long)ri, (long)rj, (long)rk)), System.Globalization.CultureInfo.InvariantCulture);
                    if (va != vb)
                    {
                        Assert.Fail($"voxel ({i},{j},{k}) at world ({world[0]:0.###}, {world[1]:0.###}, {world[2]:0.###}): {va} vs {vb} at ({ri},{rj},{rk})");
                    }
                }
            }
        }

        // Matched voxel centres coincide in the world.
        Assert.True(worstDistance <= affineTolerance, $"matched voxel centres are up to {worstDistance:E2} mm apart");
    }
}
