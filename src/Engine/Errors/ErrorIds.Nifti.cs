namespace MdaiClara.Engine.Errors;

/// <summary>Error identifiers of the NIfTI reader and writer (src/Engine/Imaging/Nifti).</summary>
public static partial class ErrorIds
{
    /// <summary>The NIfTI file (or the other half of a .hdr/.img pair) does not exist.</summary>
    public const string NiftiNotFound = "NiftiNotFound";

    /// <summary>The path does not name a NIfTI file (.nii, .nii.gz, .hdr or .img).</summary>
    public const string NiftiPathInvalid = "NiftiPathInvalid";

    /// <summary>The header is not a valid NIfTI-1/NIfTI-2 header (sizeof_hdr, magic, dims, offsets, quaternion…).</summary>
    public const string NiftiHeaderInvalid = "NiftiHeaderInvalid";

    /// <summary>The file ends before the header or the voxel data it announces.</summary>
    public const string NiftiTruncated = "NiftiTruncated";

    /// <summary>The gzip stream is damaged (bad deflate data or checksum).</summary>
    public const string NiftiGzipCorrupt = "NiftiGzipCorrupt";

    /// <summary>The datatype is valid NIfTI but not one a volume can hold (uint64, complex, RGB, float128, bit).</summary>
    public const string NiftiDatatypeUnsupported = "NiftiDatatypeUnsupported";

    /// <summary>More than 5 dimensions with extents above 1.</summary>
    public const string NiftiShapeUnsupported = "NiftiShapeUnsupported";

    /// <summary>The image has more voxels than one .NET array can hold.</summary>
    public const string NiftiTooLarge = "NiftiTooLarge";

    /// <summary>The file exists but cannot be read (access denied, I/O error).</summary>
    public const string NiftiReadFailed = "NiftiReadFailed";

    /// <summary>The volume's affine cannot be stored (not finite, or a voxel axis of length 0).</summary>
    public const string NiftiAffineInvalid = "NiftiAffineInvalid";

    /// <summary>Writing the file failed (folder missing, access denied, disk full…).</summary>
    public const string NiftiWriteFailed = "NiftiWriteFailed";
}
