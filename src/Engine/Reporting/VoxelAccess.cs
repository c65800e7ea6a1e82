using System;
using MdaiClara.Engine.Imaging;

namespace MdaiClara.Engine.Reporting;

/// <summary>Reads any volume's voxels as doubles by linear index, whatever its voxel type (no copy of the buffer).</summary>
internal static class VoxelAccess
{
    public static Func<long, double> Reader(Volume volume) => volume.GetVoxels() switch
    {
        byte[] a => i => a[i],
        sbyte[] a => i => a[i],
        short[] a => i => a[i],
        ushort[] a => i => a[i],
        int[] a => i => a[i],
        uint[] a => i => a[i],
        long[] a => i => a[i],
        float[] a => i => a[i],
        double[] a => i => a[i],
        var other => throw new NotSupportedException($"Voxel type {other.GetType().GetElementType()} is not a volume voxel type."),
    };

    /// <summary>A label map's class value at a linear index (floats rounded to the nearest integer, as MONAI's AsDiscrete does).</summary>
    public static Func<long, int> LabelReader(Volume volume)
    {
        var read = Reader(volume);
        return i =>
        {
            var v = read(i);
            return double.IsFinite(v) ? (int)Math.Round(v) : 0;
        };
    }
}
