using System;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Threading;

namespace MdaiClara.Engine.Imaging.Nifti;

/// <summary>
/// Reads the voxel block straight into the final typed array (no intermediate byte buffer: the decompressor writes
/// into the array's memory) and fixes the byte order in place, chunk by chunk while the chunk is still in cache.
/// </summary>
internal static class NiftiVoxelReader
{
    /// <summary>Bytes per read call; also how often cancellation is checked.</summary>
    private const int ChunkBytes = 1 << 24;

    public static Array Read(NiftiInput input, NiftiDataSpec spec, bool bigEndian, CancellationToken cancellationToken) => spec.StoredType switch
    {
        VoxelType.UInt8 => Read<byte>(input, spec, bigEndian, cancellationToken),
        VoxelType.Int8 => Read<sbyte>(input, spec, bigEndian, cancellationToken),
        VoxelType.Int16 => Read<short>(input, spec, bigEndian, cancellationToken),
        VoxelType.UInt16 => Read<ushort>(input, spec, bigEndian, cancellationToken),
        VoxelType.Int32 => Read<int>(input, spec, bigEndian, cancellationToken),
        VoxelType.UInt32 => Read<uint>(input, spec, bigEndian, cancellationToken),
        VoxelType.Int64 => Read<long>(input, spec, bigEndian, cancellationToken),
        VoxelType.Float32 => Read<float>(input, spec, bigEndian, cancellationToken),
        _ => Read<double>(input, spec, bigEndian, cancellationToken),
    };

    private static T[] Read<T>(NiftiInput input, NiftiDataSpec spec, bool bigEndian, CancellationToken cancellationToken)
        where T : unmanaged
    {
        // Every element is overwritten below or the read fails, so the array need not be zeroed first.
        var voxels = GC.AllocateUninitializedArray<T>(checked((int)spec.Count));
        var size = Marshal.SizeOf<T>();
        var swap = size > 1 && bigEndian == BitConverter.IsLittleEndian;
        var chunkElements = ChunkBytes / size;
        for (var start = 0; start < voxels.Length; start += chunkElements)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = voxels.AsSpan(start, Math.Min(chunkElements, voxels.Length - start));
            var bytes = MemoryMarshal.AsBytes(chunk);
            var read = input.ReadFully(bytes);
            if (read < bytes.Length)
            {
                var got = ((long)start * size) + read;
                throw NiftiErrors.TruncatedStream(input.File, string.Create(CultureInfo.InvariantCulture, $"the end of its voxel data: {spec.Describe()} {spec.StoredType} needs {spec.ByteCount:N0} bytes from byte {spec.Offset:N0}, only {got:N0} are there"));
            }

            if (swap)
            {
                NiftiByteOrder.Reverse(bytes, size);
            }
        }

        return voxels;
    }
}
