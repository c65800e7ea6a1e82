using System;
using System.Linq;
using MdaiClara.Engine.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Pipeline;

/// <summary>
/// Moves voxels between a <see cref="Volume"/> (NIfTI order: i fastest) and a tensor indexed [i, j, k, …] in C order
/// (MONAI's array layout), which is the same buffer read with the axes reversed.
/// </summary>
public static class VolumeTensors
{
    /// <summary>The volume's voxels as a float32 tensor [X, Y, Z(, …)] on <paramref name="device"/>.</summary>
    public static Tensor ToTensor(Volume volume, Device device)
    {
        var reversed = volume.Shape.Reverse().ToArray();
        using var scope = NewDisposeScope();
        var raw = volume.GetVoxels() switch
        {
            byte[] a => tensor(a, reversed),
            sbyte[] a => tensor(a, reversed),
            short[] a => tensor(a, reversed),
            ushort[] a => tensor(Array.ConvertAll(a, v => (int)v), reversed),
            int[] a => tensor(a, reversed),
            uint[] a => tensor(Array.ConvertAll(a, v => (long)v), reversed),
            long[] a => tensor(a, reversed),
            float[] a => tensor(a, reversed),
            double[] a => tensor(a, reversed),
            var other => throw new NotSupportedException($"Voxel type {other.GetType().GetElementType()} is not supported."),
        };

        // Cast on the device: the host keeps one copy of the voxels only.
        var axes = Enumerable.Range(0, reversed.Length).Reverse().Select(a => (long)a).ToArray();
        return raw.to(device).to_type(ScalarType.Float32).permute(axes).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>A tensor [X, Y, Z(, …)] (any device) as a volume of <paramref name="type"/> with <paramref name="affine"/>.</summary>
    public static Volume ToVolume(Tensor data, Affine affine, VoxelType type, string source)
    {
        using var scope = NewDisposeScope();
        var shape = data.shape;
        var axes = Enumerable.Range(0, shape.Length).Reverse().Select(a => (long)a).ToArray();
        var host = data.permute(axes).contiguous().cpu();
        Array voxels = type switch
        {
            VoxelType.UInt8 => host.to_type(ScalarType.Byte).data<byte>().ToArray(),
            VoxelType.Int8 => host.to_type(ScalarType.Int8).data<sbyte>().ToArray(),
            VoxelType.Int16 => host.to_type(ScalarType.Int16).data<short>().ToArray(),
            VoxelType.Int32 => host.to_type(ScalarType.Int32).data<int>().ToArray(),
            VoxelType.Int64 => host.to_type(ScalarType.Int64).data<long>().ToArray(),
            VoxelType.Float32 => host.to_type(ScalarType.Float32).data<float>().ToArray(),
            VoxelType.Float64 => host.to_type(ScalarType.Float64).data<double>().ToArray(),
            _ => throw new NotSupportedException($"Writing {type} volumes from tensors is not supported."),
        };
        // A volume has at least three axes: a 2-D map gets a trailing one, and stays 2-D (SpatialRank 2).
        return shape.Length == 2
            ? new Volume(voxels, new[] { shape[0], shape[1], 1L }, affine, source) { SpatialRank = 2 }
            : new Volume(voxels, shape, affine, source);
    }
}
