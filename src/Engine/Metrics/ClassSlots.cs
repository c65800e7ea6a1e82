using System;
using System.Collections.Generic;
using System.Numerics;
using MdaiClara.Engine.Imaging;

namespace MdaiClara.Engine.Metrics;

/// <summary>
/// Maps voxel values to class slots (1…n for the n classes asked for, 0 for anything else), reading any voxel type of a
/// <see cref="Volume"/>: values are truncated toward zero as MONAI's <c>labels.long()</c> does before one-hot encoding.
/// </summary>
internal sealed class ClassSlots
{
    private readonly byte[] _table;

    public ClassSlots(IReadOnlyList<SegmentationClass> classes)
    {
        var highest = 0;
        foreach (var c in classes)
        {
            highest = Math.Max(highest, c.Label);
        }

        _table = new byte[highest + 1];
        for (var n = 0; n < classes.Count; n++)
        {
            _table[classes[n].Label] = (byte)(n + 1);
        }
    }

    /// <summary>The slot of every voxel in [<paramref name="start"/>, start + destination.Length) of <paramref name="volume"/>.</summary>
    public void Fill(Volume volume, long start, Span<byte> destination)
    {
        switch (volume.GetVoxels())
        {
            case byte[] a: FillBytes(a, start, destination); break;
            case sbyte[] a: Fill<sbyte>(a, start, destination); break;
            case short[] a: Fill<short>(a, start, destination); break;
            case ushort[] a: Fill<ushort>(a, start, destination); break;
            case int[] a: Fill<int>(a, start, destination); break;
            case uint[] a: Fill<uint>(a, start, destination); break;
            case long[] a: Fill<long>(a, start, destination); break;
            case float[] a: FillReal<float>(a, start, destination); break;
            case double[] a: FillReal<double>(a, start, destination); break;
            default: throw new InvalidOperationException($"{volume.DataType} voxels are not read by the metrics.");
        }
    }

    /// <summary>The slot of one voxel value (already an integer).</summary>
    public byte SlotOf(long value) => (ulong)value < (ulong)_table.Length ? _table[value] : (byte)0;

    private void FillBytes(byte[] voxels, long start, Span<byte> destination)
    {
        var source = voxels.AsSpan((int)start, destination.Length);
        var table = _table;
        for (var n = 0; n < source.Length; n++)
        {
            var v = source[n];
            destination[n] = v < table.Length ? table[v] : (byte)0;
        }
    }

    private void Fill<T>(T[] voxels, long start, Span<byte> destination)
        where T : unmanaged, IBinaryInteger<T>
    {
        var source = voxels.AsSpan((int)start, destination.Length);
        var table = _table;
        for (var n = 0; n < source.Length; n++)
        {
            var v = long.CreateTruncating(source[n]);
            destination[n] = (ulong)v < (ulong)table.Length ? table[v] : (byte)0;
        }
    }

    private void FillReal<T>(T[] voxels, long start, Span<byte> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var source = voxels.AsSpan((int)start, destination.Length);
        var table = _table;
        var limit = T.CreateTruncating(table.Length);
        for (var n = 0; n < source.Length; n++)
        {
            var x = source[n];

            // NaN and values outside the table are no class; the rest truncate toward zero.
            destination[n] = x >= T.Zero && x < limit ? table[int.CreateTruncating(x)] : (byte)0;
        }
    }
}
