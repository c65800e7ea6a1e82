using System;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Imaging.Seg;

/// <summary>
/// Reads one slice of a label map of any voxel type as label values, checking that every value is a whole number from 0
/// to 65535 (a binary SEG numbers its segments with US values). Slice by slice, so a 512×512×300 map is never copied whole.
/// </summary>
internal static class LabelSlices
{
    public static void Read(Volume labels, int k, int[] slice)
    {
        var offset = (long)k * slice.Length;
        // Dispatch on the exact element type: the CLR lets a short[] pass as ushort[], an int[] as uint[] and so on.
        var voxels = labels.GetVoxels();
        var type = voxels.GetType().GetElementType();
        if (type == typeof(byte))
        {
            var b = (byte[])voxels;
            for (var p = 0; p < slice.Length; p++)
            {
                slice[p] = b[offset + p];
            }
        }
        else if (type == typeof(ushort))
        {
            var u = (ushort[])voxels;
            for (var p = 0; p < slice.Length; p++)
            {
                slice[p] = u[offset + p];
            }
        }
        else
        {
            Func<int, double>? value = voxels switch
            {
                _ when type == typeof(sbyte) => p => ((sbyte[])voxels)[offset + p],
                _ when type == typeof(short) => p => ((short[])voxels)[offset + p],
                _ when type == typeof(int) => p => ((int[])voxels)[offset + p],
                _ when type == typeof(uint) => p => ((uint[])voxels)[offset + p],
                _ when type == typeof(long) => p => ((long[])voxels)[offset + p],
                _ when type == typeof(ulong) => p => ((ulong[])voxels)[offset + p],
                _ when type == typeof(float) => p => ((float[])voxels)[offset + p],
                _ when type == typeof(double) => p => ((double[])voxels)[offset + p],
                _ => null,
            };
            if (value is null)
            {
                throw new MdaiClaraException(
                    $"{labels.Source} holds {labels.DataType} voxels, not label values; a segmentation needs a label map of whole numbers.",
                    ErrorIds.SegLabelsInvalid, ErrorKind.InvalidData, labels.Source);
            }

            Checked(labels, k, slice, value);
        }
    }

    private static void Checked(Volume labels, int k, int[] slice, Func<int, double> value)
    {
        for (var p = 0; p < slice.Length; p++)
        {
            var v = value(p);
            if (v is < 0 or > ushort.MaxValue || v != Math.Floor(v))
            {
                var (i, j) = (p % (int)labels.Shape[0], p / (int)labels.Shape[0]);
                throw new MdaiClaraException(
                    $"{labels.Source} is not a label map a segmentation can hold: voxel ({i}, {j}, {k}) is {v}; label values are whole numbers from 0 (background) to 65535.",
                    ErrorIds.SegLabelsInvalid, ErrorKind.InvalidData, labels.Source);
            }

            slice[p] = (int)v;
        }
    }
}
