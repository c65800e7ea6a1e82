namespace MdaiClara.Engine.Imaging.Nifti;

/// <summary>NIfTI datatype codes (nifti1.h NIFTI_TYPE_*) and the voxel types they map to.</summary>
internal static class NiftiDataTypes
{
    /// <summary>The voxel type of a datatype code, or null when a volume cannot hold it.</summary>
    public static VoxelType? ToVoxelType(short code) => code switch
    {
        2 => VoxelType.UInt8,
        4 => VoxelType.Int16,
        8 => VoxelType.Int32,
        16 => VoxelType.Float32,
        64 => VoxelType.Float64,
        256 => VoxelType.Int8,
        512 => VoxelType.UInt16,
        768 => VoxelType.UInt32,
        1024 => VoxelType.Int64,
        _ => null,
    };

    public static short ToCode(VoxelType type) => type switch
    {
        VoxelType.UInt8 => 2,
        VoxelType.Int16 => 4,
        VoxelType.Int32 => 8,
        VoxelType.Float32 => 16,
        VoxelType.Float64 => 64,
        VoxelType.Int8 => 256,
        VoxelType.UInt16 => 512,
        VoxelType.UInt32 => 768,
        _ => 1024,
    };

    /// <summary>A readable name for any code, for messages: "uint64 (1280)", "unknown code 77".</summary>
    public static string Describe(short code)
    {
        var name = code switch
        {
            0 => "unknown",
            1 => "binary (1 bit)",
            2 => "uint8",
            4 => "int16",
            8 => "int32",
            16 => "float32",
            32 => "complex64",
            64 => "float64",
            128 => "RGB24",
            256 => "int8",
            512 => "uint16",
            768 => "uint32",
            1024 => "int64",
            1280 => "uint64",
            1536 => "float128",
            1792 => "complex128",
            2048 => "complex256",
            2304 => "RGBA32",
            _ => null,
        };
        return name is null ? $"unknown code {code}" : $"{name} ({code})";
    }

    /// <summary>True for codes that NIfTI defines (so a file using one is valid, just not supported here).</summary>
    public static bool IsDefined(short code) => !Describe(code).StartsWith("unknown", System.StringComparison.Ordinal);

    /// <summary>What to do with a defined but unsupported type.</summary>
    public static string Remedy(short code) => code switch
    {
        1280 => "Convert it to int64 or float64 first, e.g. with nibabel: img.set_data_dtype('int64').",
        32 or 1792 or 2048 => "Complex images are not supported: save the magnitude (or real and imaginary parts) as float32.",
        128 or 2304 => "Colour images are not supported as RGB voxels: store the channels as a 4th or 5th dimension of uint8.",
        1536 => "Convert it to float64 first.",
        _ => "Convert it to one of uint8, int8, int16, uint16, int32, uint32, int64, float32 or float64.",
    };
}
