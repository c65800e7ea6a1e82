using System;

namespace MdaiClara.Engine.Imaging.Nifti;

/// <summary>
/// The fields of a NIfTI-1 or NIfTI-2 header that MdaiClara reads or writes, exactly as stored: no fix-ups applied.
/// NIfTI-1 keeps its float fields as float32; they are widened to double here, which is exact, so every later
/// computation can still reproduce nibabel's float32 arithmetic where that matters.
/// </summary>
internal sealed class NiftiHeader
{
    public const int Nifti1Size = 348;
    public const int Nifti2Size = 540;

    /// <summary>1 (348-byte header) or 2 (540-byte header).</summary>
    public int Version { get; set; } = 1;

    public bool BigEndian { get; set; }

    /// <summary>The magic without its padding: "n+1"/"n+2" (one file), "ni1"/"ni2" (.hdr/.img pair), or what was found.</summary>
    public string Magic { get; set; } = "n+1";

    /// <summary>NIfTI-2 only: the bytes after the magic that detect end-of-line conversion (13 10 26 10).</summary>
    public byte[] EolCheck { get; set; } = { 13, 10, 26, 10 };

    /// <summary>dim[0] is the number of dimensions, dim[1..7] their extents.</summary>
    public long[] Dim { get; set; } = { 0, 1, 1, 1, 1, 1, 1, 1 };

    public short DataType { get; set; }

    public short BitPix { get; set; }

    /// <summary>pixdim[0] is qfac (±1), pixdim[1..3] the voxel size, pixdim[4..7] the sizes of further dimensions.</summary>
    public double[] PixDim { get; set; } = { 1, 1, 1, 1, 1, 1, 1, 1 };

    /// <summary>Byte offset of the voxel data (a float in NIfTI-1, an integer in NIfTI-2).</summary>
    public double VoxOffset { get; set; }

    public double SclSlope { get; set; }

    public double SclInter { get; set; }

    public int QformCode { get; set; }

    public int SformCode { get; set; }

    public double QuaternB { get; set; }

    public double QuaternC { get; set; }

    public double QuaternD { get; set; }

    public double QoffsetX { get; set; }

    public double QoffsetY { get; set; }

    public double QoffsetZ { get; set; }

    public double[] SrowX { get; set; } = { 0, 0, 0, 0 };

    public double[] SrowY { get; set; } = { 0, 0, 0, 0 };

    public double[] SrowZ { get; set; } = { 0, 0, 0, 0 };

    /// <summary>NIFTI_UNITS_*: bits 0-2 space, bits 3-5 time.</summary>
    public int XyztUnits { get; set; }

    public int IntentCode { get; set; }

    public string Description { get; set; } = string.Empty;

    public int Size => Version == 2 ? Nifti2Size : Nifti1Size;

    /// <summary>True for "n+1"/"n+2": header and voxels in one file.</summary>
    public bool IsSingleFile => Magic is "n+1" or "n+2";

    public bool HasValidMagic => Version == 2 ? Magic is "n+2" or "ni2" : Magic is "n+1" or "ni1";

    /// <summary>The number of dimensions, dim[0].</summary>
    public long DimensionCount => Dim[0];
}
