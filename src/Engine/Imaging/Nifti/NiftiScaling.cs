using System;
using System.Numerics;
using System.Threading;

namespace MdaiClara.Engine.Imaging.Nifti;

/// <summary>
/// scl_slope / scl_inter as nibabel 5 applies them when it reads the array (np.asanyarray(img.dataobj)):
/// <list type="bullet">
/// <item>slope 0, NaN or infinite: no scaling, the stored values and type are kept;</item>
/// <item>slope 1 and intercept 0: no scaling either;</item>
/// <item>otherwise the result is float64 whatever the stored type (nibabel takes the factors as float64), each voxel
/// being double(v) · slope, then + inter, rounded after each step (the multiplication is skipped when slope is 1,
/// the addition when inter is 0).</item>
/// </list>
/// A finite slope with a non-finite intercept is refused before this (see <see cref="NiftiHeaderChecks"/>).
/// </summary>
internal readonly record struct NiftiScaling(double Slope, double Inter)
{
    private const int Chunk = 1 << 22;

    public static NiftiScaling None => new(1, 0);

    public bool Applies => Slope != 1 || Inter != 0;

    public static NiftiScaling From(NiftiHeader header) =>
        header.SclSlope == 0 || !double.IsFinite(header.SclSlope) ? None : new NiftiScaling(header.SclSlope, header.SclInter);

    /// <summary>The scaled values of <paramref name="stored"/> (holding <paramref name="type"/>) as a float64 buffer.</summary>
    /// <remarks>Dispatches on the voxel type, not on the array: the runtime lets a ushort[] pass as a short[] (and byte[] as sbyte[]).</remarks>
    public double[] Apply(Array stored, VoxelType type, CancellationToken cancellationToken) => type switch
    {
        VoxelType.UInt8 => Apply((byte[])stored, cancellationToken),
        VoxelType.Int8 => Apply((sbyte[])stored, cancellationToken),
        VoxelType.Int16 => Apply((short[])stored, cancellationToken),
        VoxelType.UInt16 => Apply((ushort[])stored, cancellationToken),
        VoxelType.Int32 => Apply((int[])stored, cancellationToken),
        VoxelType.UInt32 => Apply((uint[])stored, cancellationToken),
        VoxelType.Int64 => Apply((long[])stored, cancellationToken),
        VoxelType.Float32 => Apply((float[])stored, cancellationToken),
        _ => Apply((double[])stored, cancellationToken),
    };

    private double[] Apply<T>(T[] stored, CancellationToken cancellationToken)
        where T : unmanaged, INumberBase<T>
    {
        // A float64 input is scaled in place: nibabel's result has the same values, and the copy would double the memory.
        var result = stored as double[] ?? new double[stored.LongLength];
        for (long start = 0; start < stored.LongLength; start += Chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = Math.Min(stored.LongLength, start + Chunk);
            ScaleRange(stored, result, start, end);
        }

        return result;
    }

    private void ScaleRange<T>(T[] stored, double[] result, long start, long end)
        where T : unmanaged, INumberBase<T>
    {
        double slope = Slope, inter = Inter;
        if (slope != 1 && inter != 0)
        {
            for (var n = start; n < end; n++)
            {
                var product = double.CreateTruncating(stored[n]) * slope;
                result[n] = product + inter;
            }
        }
        else if (slope != 1)
        {
            for (var n = start; n < end; n++)
            {
                result[n] = double.CreateTruncating(stored[n]) * slope;
            }
        }
        else
        {
            for (var n = start; n < end; n++)
            {
                result[n] = double.CreateTruncating(stored[n]) + inter;
            }
        }
    }
}
