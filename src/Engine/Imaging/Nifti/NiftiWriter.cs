using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.IO;

namespace MdaiClara.Engine.Imaging.Nifti;

/// <summary>
/// Writes a <see cref="Volume"/> as a single-file NIfTI (.nii, or .nii.gz gzip level 1 as nibabel writes), little-endian:
/// NIfTI-1, or NIfTI-2 when an extent exceeds 32767. The sform (code 2, aligned) holds the affine; the qform holds
/// its rigid part (code 1, scanner; code 0 when the affine has shears the qform cannot express). No scaling
/// (scl_slope 1, scl_inter 0), the volume's own voxel type, space units mm. nibabel reads back the same shape,
/// dtype and values, and the affine rounded to the header's precision (float32 in NIfTI-1, exact in NIfTI-2).
/// </summary>
public static class NiftiWriter
{
    private const int ChunkBytes = 1 << 24;
    private const int SformCode = 2;
    private const int QformCode = 1;
    private const int UnitsMillimetre = 2;

    /// <summary>Writes <paramref name="volume"/> to <paramref name="path"/> atomically: a temporary file in the same folder, renamed over the target.</summary>
    /// <exception cref="MdaiClaraException">The path is not .nii/.nii.gz, the affine cannot be stored, or writing failed.</exception>
    public static void Write(Volume volume, string path, CancellationToken cancellationToken = default)
    {
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw NiftiErrors.PathInvalid(path, "is not a valid path");
        }

        if (NiftiPaths.BaseExtension(full) != ".nii")
        {
            throw NiftiErrors.PathInvalid(full, "does not end in .nii or .nii.gz");
        }

        if (Directory.Exists(full))
        {
            throw NiftiErrors.PathInvalid(full, "is a folder");
        }

        var header = HeaderFor(volume, full);
        try
        {
            AtomicFile.Write(full, file => WriteContent(volume, header, file, NiftiPaths.IsGzipName(full), cancellationToken));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw NiftiErrors.WriteFailed(full, ex);
        }
    }

    /// <summary>Writes <paramref name="volume"/> as a single-file NIfTI to <paramref name="stream"/>, gzipped when <paramref name="compress"/>.</summary>
    public static void Write(Volume volume, Stream stream, bool compress, CancellationToken cancellationToken = default)
    {
        var header = HeaderFor(volume, volume.Source);
        try
        {
            WriteContent(volume, header, stream, compress, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw NiftiErrors.WriteFailed(volume.Source, ex);
        }
    }

    /// <summary>The header describing <paramref name="volume"/>; <paramref name="file"/> names the target in errors.</summary>
    internal static NiftiHeader HeaderFor(Volume volume, string file)
    {
        var affine = volume.Affine;
        if (affine.ToArray().Any(v => !double.IsFinite(v)))
        {
            throw NiftiErrors.AffineInvalid(file, $"is not finite ({affine})");
        }

        var qform = NiftiQform.FromAffine(affine) ?? throw NiftiErrors.AffineInvalid(file, $"is singular ({affine}): a voxel axis has no extent in space");
        var shape = volume.Shape;
        var version = shape.Any(extent => extent > short.MaxValue) ? 2 : 1;
        if (version == 1 && affine.ToArray().Concat(qform.VoxelSize).Any(v => float.IsInfinity((float)v)))
        {
            throw NiftiErrors.AffineInvalid(file, $"has values beyond the float32 range of a NIfTI-1 header ({affine})");
        }

        var header = new NiftiHeader
        {
            Version = version,
            Magic = version == 2 ? "n+2" : "n+1",
            DataType = NiftiDataTypes.ToCode(volume.DataType),
            BitPix = (short)(volume.DataType.Size() * 8),
            VoxOffset = (version == 2 ? NiftiHeader.Nifti2Size : NiftiHeader.Nifti1Size) + 4,
            SclSlope = 1,
            SclInter = 0,
            XyztUnits = UnitsMillimetre,
            SformCode = SformCode,
            SrowX = new[] { affine[0, 0], affine[0, 1], affine[0, 2], affine[0, 3] },
            SrowY = new[] { affine[1, 0], affine[1, 1], affine[1, 2], affine[1, 3] },
            SrowZ = new[] { affine[2, 0], affine[2, 1], affine[2, 2], affine[2, 3] },
            QformCode = qform.IsExact ? QformCode : 0,
            QoffsetX = qform.Offset[0],
            QoffsetY = qform.Offset[1],
            QoffsetZ = qform.Offset[2],
        };
        // A 2-D image is written as nibabel writes a 2-D array: dim[0] = 2 (dim[3] stays 1).
        header.Dim[0] = volume.SpatialRank == 2 ? 2 : shape.Count;
        for (var n = 0; n < shape.Count; n++)
        {
            header.Dim[n + 1] = shape[n];
        }

        (header.QuaternB, header.QuaternC, header.QuaternD) = qform.Stored(version);
        header.PixDim[0] = qform.Qfac;
        for (var n = 0; n < 3; n++)
        {
            header.PixDim[n + 1] = qform.VoxelSize[n];
        }

        return header;
    }

    private static void WriteContent(Volume volume, NiftiHeader header, Stream target, bool compress, CancellationToken cancellationToken)
    {
        var gzip = compress ? new GZipStream(target, CompressionLevel.Fastest, leaveOpen: true) : null;
        try
        {
            var output = gzip ?? target;
            output.Write(NiftiHeaderCodec.Encode(header));
            output.Write(new byte[4]); // extension flag: none
            WriteVoxels(volume, output, cancellationToken);
        }
        finally
        {
            gzip?.Dispose(); // writes the gzip trailer
        }
    }

    /// <summary>Dispatches on the voxel type, not on the array: the runtime lets a ushort[] pass as a short[] (and byte[] as sbyte[]).</summary>
    private static void WriteVoxels(Volume volume, Stream output, CancellationToken cancellationToken)
    {
        var voxels = volume.GetVoxels();
        switch (volume.DataType)
        {
            case VoxelType.UInt8: WriteVoxels((byte[])voxels, output, cancellationToken); break;
            case VoxelType.Int8: WriteVoxels((sbyte[])voxels, output, cancellationToken); break;
            case VoxelType.Int16: WriteVoxels((short[])voxels, output, cancellationToken); break;
            case VoxelType.UInt16: WriteVoxels((ushort[])voxels, output, cancellationToken); break;
            case VoxelType.Int32: WriteVoxels((int[])voxels, output, cancellationToken); break;
            case VoxelType.UInt32: WriteVoxels((uint[])voxels, output, cancellationToken); break;
            case VoxelType.Int64: WriteVoxels((long[])voxels, output, cancellationToken); break;
            case VoxelType.Float32: WriteVoxels((float[])voxels, output, cancellationToken); break;
            default: WriteVoxels((double[])voxels, output, cancellationToken); break;
        }
    }

    private static void WriteVoxels<T>(T[] voxels, Stream output, CancellationToken cancellationToken)
        where T : unmanaged
    {
        var size = Marshal.SizeOf<T>();
        var chunkElements = ChunkBytes / size;
        var swapped = size > 1 && !BitConverter.IsLittleEndian ? new byte[ChunkBytes] : null;
        for (var start = 0; start < voxels.Length; start += chunkElements)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var bytes = MemoryMarshal.AsBytes(voxels.AsSpan(start, Math.Min(chunkElements, voxels.Length - start)));
            if (swapped is null)
            {
                output.Write(bytes);
                continue;
            }

            // Big-endian hosts only: NIfTI files are written little-endian everywhere.
            var copy = swapped.AsSpan(0, bytes.Length);
            bytes.CopyTo(copy);
            NiftiByteOrder.Reverse(copy, size);
            output.Write(copy);
        }
    }
}
