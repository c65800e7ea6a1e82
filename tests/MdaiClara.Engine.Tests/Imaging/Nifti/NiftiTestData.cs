using System;
using System.Buffers.Binary;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Tests.TestSupport;

namespace MdaiClara.Engine.Tests.Imaging.Nifti;

/// <summary>Shared helpers of the NIfTI tests: fixture paths, voxel bytes and hashes, numpy type names, synthetic volumes.</summary>
internal static class NiftiTestData
{
    public static string Root => Path.Combine(TestPaths.Fixtures, "nifti");

    public static string Fixture(string relative) => Path.Combine(Root, relative);

    /// <summary>numpy's name of each voxel type.</summary>
    public static string NumpyName(VoxelType type) => type switch
    {
        VoxelType.UInt8 => "uint8",
        VoxelType.Int8 => "int8",
        VoxelType.Int16 => "int16",
        VoxelType.UInt16 => "uint16",
        VoxelType.Int32 => "int32",
        VoxelType.UInt32 => "uint32",
        VoxelType.Int64 => "int64",
        VoxelType.Float32 => "float32",
        _ => "float64",
    };

    /// <summary>The voxel buffer as little-endian bytes in buffer (NIfTI, Fortran) order.</summary>
    public static byte[] LittleEndianBytes(Array voxels)
    {
        var bytes = voxels switch
        {
            byte[] a => a.AsSpan().ToArray(),
            sbyte[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
            short[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
            ushort[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
            int[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
            uint[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
            long[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
            float[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
            double[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
            _ => throw new ArgumentException("not a voxel buffer", nameof(voxels)),
        };
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("These helpers assume a little-endian host.");
        }

        return bytes;
    }

    public static string Sha256(Array voxels) => Convert.ToHexString(SHA256.HashData(LittleEndianBytes(voxels))).ToLowerInvariant();

    /// <summary>Voxel <paramref name="index"/> (linear, buffer order) as a double, for comparing with JSON numbers.</summary>
    public static double ValueAt(Array voxels, long index) => Convert.ToDouble(voxels.GetValue(index), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Deterministic voxels of <paramref name="type"/> covering its whole range, extremes included.</summary>
    public static Array RandomVoxels(VoxelType type, long count, int seed)
    {
        var random = new Random(seed);
        var raw = new byte[count * type.Size()];
        random.NextBytes(raw);
        Array voxels = type.Allocate(count);
        switch (voxels)
        {
            case float[] f:
                for (var n = 0; n < f.Length; n++)
                {
                    f[n] = (float)((random.NextDouble() - 0.5) * 4000);
                }

                f[0] = -1.5e30f;
                break;
            case double[] d:
                for (var n = 0; n < d.Length; n++)
                {
                    d[n] = (random.NextDouble() - 0.5) * 4000;
                }

                d[0] = -1.5e300;
                break;
            default:
                Buffer.BlockCopy(raw, 0, voxels, 0, raw.Length);
                break;
        }

        return voxels;
    }

    /// <summary>A NIfTI-1 header (little-endian, sform code 1) for hand-made bad inputs; the caller patches fields.</summary>
    public static byte[] MinimalNifti1(short datatype, short bitpix, short[] dims, int dataBytes)
    {
        var file = new byte[352 + dataBytes];
        BinaryPrimitives.WriteInt32LittleEndian(file, 348);
        for (var n = 0; n < dims.Length; n++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(40 + (2 * n)), dims[n]);
        }

        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(70), datatype);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(72), bitpix);
        for (var n = 0; n < 4; n++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(76 + (4 * n)), 1f);
        }

        BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(108), 352f);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(254), 1);
        BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(280), 1f);
        BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(300), 1f);
        BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(320), 1f);
        "n+1\0"u8.CopyTo(file.AsSpan(344));
        return file;
    }
}
