using System;

namespace MdaiClara.Engine.Imaging;

/// <summary>The element type of a volume's voxel buffer.</summary>
public enum VoxelType
{
    UInt8,
    Int8,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    Float32,
    Float64,
}

public static class VoxelTypes
{
    public static int Size(this VoxelType type) => type switch
    {
        VoxelType.UInt8 or VoxelType.Int8 => 1,
        VoxelType.Int16 or VoxelType.UInt16 => 2,
        VoxelType.Int32 or VoxelType.UInt32 or VoxelType.Float32 => 4,
        _ => 8,
    };

    public static Type ClrType(this VoxelType type) => type switch
    {
        VoxelType.UInt8 => typeof(byte),
        VoxelType.Int8 => typeof(sbyte),
        VoxelType.Int16 => typeof(short),
        VoxelType.UInt16 => typeof(ushort),
        VoxelType.Int32 => typeof(int),
        VoxelType.UInt32 => typeof(uint),
        VoxelType.Int64 => typeof(long),
        VoxelType.Float32 => typeof(float),
        _ => typeof(double),
    };

    public static VoxelType FromClrType(Type type) =>
        type == typeof(byte) ? VoxelType.UInt8
        : type == typeof(sbyte) ? VoxelType.Int8
        : type == typeof(short) ? VoxelType.Int16
        : type == typeof(ushort) ? VoxelType.UInt16
        : type == typeof(int) ? VoxelType.Int32
        : type == typeof(uint) ? VoxelType.UInt32
        : type == typeof(long) ? VoxelType.Int64
        : type == typeof(float) ? VoxelType.Float32
        : type == typeof(double) ? VoxelType.Float64
        : throw new ArgumentException($"{type} is not a voxel type.", nameof(type));

    /// <summary>Allocates a zeroed buffer of <paramref name="count"/> voxels.</summary>
    public static Array Allocate(this VoxelType type, long count) => Array.CreateInstance(type.ClrType(), count);

    /// <summary>
    /// Allocates a buffer whose contents are undefined, for callers that write every voxel before anyone reads it:
    /// it spares clearing hundreds of megabytes first.
    /// </summary>
    public static Array AllocateUninitialized(this VoxelType type, long count)
    {
        var n = checked((int)count);
        return type switch
        {
            VoxelType.UInt8 => GC.AllocateUninitializedArray<byte>(n),
            VoxelType.Int8 => GC.AllocateUninitializedArray<sbyte>(n),
            VoxelType.Int16 => GC.AllocateUninitializedArray<short>(n),
            VoxelType.UInt16 => GC.AllocateUninitializedArray<ushort>(n),
            VoxelType.Int32 => GC.AllocateUninitializedArray<int>(n),
            VoxelType.UInt32 => GC.AllocateUninitializedArray<uint>(n),
            VoxelType.Int64 => GC.AllocateUninitializedArray<long>(n),
            VoxelType.Float32 => GC.AllocateUninitializedArray<float>(n),
            _ => GC.AllocateUninitializedArray<double>(n),
        };
    }
}
