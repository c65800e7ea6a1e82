using System;
using System.Buffers.Binary;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Imaging.Nifti;

/// <summary>
/// Reads NIfTI-1 and NIfTI-2 images (.nii, .nii.gz, and .hdr/.img pairs; either byte order) into a <see cref="Volume"/>
/// with nibabel's semantics: the same shape (1-D and 2-D images padded to (i, j, 1), a 2-D one marked SpatialRank 2), the same values
/// (<see cref="NiftiScaling"/>) and the same affine (<see cref="NiftiAffines"/>). Gzip is recognised by content.
/// </summary>
public static class NiftiReader
{
    /// <summary>Reads the image at <paramref name="path"/>; for a pair, either the .hdr or the .img may be named.</summary>
    /// <exception cref="MdaiClaraException">The file is missing, unreadable, damaged or of a kind a volume cannot hold.</exception>
    public static Volume Read(string path, CancellationToken cancellationToken = default)
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

        var (headerPath, imagePath) = NiftiPaths.ForReading(full);
        foreach (var file in new[] { headerPath, imagePath }.Distinct())
        {
            if (Directory.Exists(file))
            {
                throw NiftiErrors.PathInvalid(file, "is a folder, not a NIfTI file");
            }

            if (!File.Exists(file))
            {
                throw file == full ? NiftiErrors.NotFound(file) : NiftiErrors.PairHalfNotFound(file, full);
            }
        }

        return Guarded(full, () =>
        {
            using var header = NiftiInput.OpenFile(headerPath);
            if (imagePath == headerPath)
            {
                return ReadFrom(header, header, full, cancellationToken);
            }

            using var image = NiftiInput.OpenFile(imagePath);
            return ReadFrom(header, image, full, cancellationToken);
        });
    }

    /// <summary>
    /// Reads a single-file image (.nii or .nii.gz content) from a seekable stream positioned at its start;
    /// <paramref name="source"/> is the name that errors and <see cref="Volume.Source"/> use. The stream stays open.
    /// </summary>
    public static Volume Read(Stream stream, string source, CancellationToken cancellationToken = default)
    {
        if (!stream.CanRead || !stream.CanSeek)
        {
            throw new ArgumentException("The stream must be readable and seekable.", nameof(stream));
        }

        return Guarded(source, () =>
        {
            using var input = NiftiInput.Open(stream, source, ownsRaw: false);
            return ReadFrom(input, input, source, cancellationToken);
        });
    }

    private static Volume ReadFrom(NiftiInput headerInput, NiftiInput imageInput, string source, CancellationToken cancellationToken)
    {
        var header = ReadHeader(headerInput);
        var singleFile = ReferenceEquals(headerInput, imageInput);
        if (singleFile && !header.IsSingleFile && header.VoxOffset < header.Size + 4)
        {
            throw NiftiErrors.HeaderInvalid(headerInput.File, string.Create(CultureInfo.InvariantCulture, $"its magic '{header.Magic}' marks the header of a .hdr/.img pair, yet it is a single file whose vox_offset ({header.VoxOffset}) points into the header"));
        }

        var warnings = NiftiHeaderChecks.Apply(header, headerInput.File);
        var spec = NiftiDataSpec.From(header, headerInput.File);
        var affine = NiftiAffines.Best(header, spec.FileShape, headerInput.File);
        var scaling = NiftiScaling.From(header);

        // Refuse before allocating: the voxel block must fit in what the file can hold.
        var end = spec.Offset + spec.ByteCount;
        if (end > imageInput.MaxContentLength)
        {
            var what = $"{spec.Describe()} {spec.StoredType} voxels from byte {spec.Offset}";
            throw imageInput.Compressed
                ? NiftiErrors.TruncatedStream(imageInput.File, $"the end of its voxel data: {what} need {end} bytes uncompressed, more than {imageInput.StoredLength} compressed bytes can hold")
                : NiftiErrors.Truncated(imageInput.File, what, end, imageInput.StoredLength);
        }

        if (!imageInput.SkipTo(spec.Offset))
        {
            throw NiftiErrors.TruncatedStream(imageInput.File, $"the start of its voxel data at byte {spec.Offset}");
        }

        var stored = NiftiVoxelReader.Read(imageInput, spec, header.BigEndian, cancellationToken);
        imageInput.VerifyCompressedTrailer();
        var voxels = scaling.Applies ? scaling.Apply(stored, spec.StoredType, cancellationToken) : stored;
        // nibabel (and MONAI's NibabelReader) give a 2-D file as (i, j): it stays 2-D, stored as (i, j, 1).
        return new Volume(voxels, spec.VolumeShape, affine, source) { Warnings = warnings, SpatialRank = spec.FileShape.Length == 2 ? 2 : 3 };
    }

    private static NiftiHeader ReadHeader(NiftiInput input)
    {
        Span<byte> bytes = stackalloc byte[NiftiHeader.Nifti2Size];
        var got = input.ReadFully(bytes[..4]);
        if (got < 4)
        {
            throw NiftiErrors.Truncated(input.File, "a NIfTI header", NiftiHeader.Nifti1Size, got);
        }

        var (version, bigEndian) = NiftiHeaderCodec.Identify(bytes) ?? throw NiftiErrors.HeaderInvalid(
            input.File,
            $"its first 4 bytes (sizeof_hdr) read {BinaryPrimitives.ReadInt32LittleEndian(bytes)}, not 348 (NIfTI-1) or 540 (NIfTI-2) in either byte order");
        var size = version == 2 ? NiftiHeader.Nifti2Size : NiftiHeader.Nifti1Size;
        got = input.ReadFully(bytes[4..size]);
        if (got < size - 4)
        {
            throw NiftiErrors.Truncated(input.File, $"the NIfTI-{version} header", size, 4 + got);
        }

        return NiftiHeaderCodec.Parse(bytes, version, bigEndian);
    }

    /// <summary>Turns I/O and decompression failures into engine errors naming the file; cancellation passes through.</summary>
    private static Volume Guarded(string file, Func<Volume> read)
    {
        try
        {
            return read();
        }
        catch (InvalidDataException ex)
        {
            throw NiftiErrors.GzipCorrupt(file, ex);
        }
        catch (FileNotFoundException)
        {
            throw NiftiErrors.NotFound(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw NiftiErrors.ReadFailed(file, ex);
        }
    }
}
