using System;
using System.Collections.Generic;
using System.Linq;

namespace MdaiClara.Engine.Imaging;

/// <summary>
/// An image in memory with its world geometry: a typed voxel buffer in NIfTI order (i fastest, then j, then k, then
/// any further dimension such as colour samples or time), its shape, and a 4×4 affine to RAS+ millimetres. A DICOM
/// series adds the per-slice identifiers needed to map results back to instances. Voxel values are real values:
/// NIfTI scl_slope/scl_inter and DICOM rescale slope/intercept are already applied.
/// </summary>
public sealed class Volume
{
    private readonly Array _voxels;

    public Volume(Array voxels, long[] shape, Affine affine, string source)
    {
        if (shape.Length is < 3 or > 5)
        {
            throw new ArgumentException("A volume has 3 to 5 dimensions (i, j, k, then samples or time).", nameof(shape));
        }

        if (shape.Any(s => s < 1))
        {
            throw new ArgumentException("Every dimension must be at least 1.", nameof(shape));
        }

        var count = shape.Aggregate(1L, (a, b) => checked(a * b));
        if (voxels.LongLength != count)
        {
            throw new ArgumentException($"The buffer holds {voxels.LongLength} voxels but the shape [{string.Join(", ", shape)}] needs {count}.", nameof(voxels));
        }

        _voxels = voxels;
        DataType = VoxelTypes.FromClrType(voxels.GetType().GetElementType()!);
        Shape = (long[])shape.Clone();
        Affine = affine;
        Source = source;
    }

    public VoxelType DataType { get; }

    /// <summary>(i, j, k[, samples or time…]).</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>Voxel index (i, j, k, 1) to RAS+ world millimetres.</summary>
    public Affine Affine { get; }

    /// <summary>Voxel size along i, j, k in millimetres.</summary>
    public IReadOnlyList<double> Spacing => Affine.Spacing;

    /// <summary>nibabel-style axis codes, e.g. "RAS" or "LPS".</summary>
    public string Orientation => AxisCodes.Of(Affine);

    /// <summary>The file or folder it was read from.</summary>
    public string Source { get; }

    /// <summary>DICOM Modality, or what the NIfTI says (intent/description) when known.</summary>
    public string? Modality { get; init; }

    /// <summary>For volumes read from DICOM: the series and the instance behind each slice.</summary>
    public DicomSeriesGeometry? Dicom { get; init; }

    /// <summary>Problems met while reading that did not stop it (uneven slice spacing, skipped files…).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();

    /// <summary>
    /// How many spatial axes the image has: 2 for a 2-D image (a NIfTI with dim[0] = 2, a 2-D result), which the
    /// shape still stores with a one-voxel k axis; 3 otherwise. LoadImage gives a 2-D image as (i, j), as MONAI and
    /// nibabel do, and the NIfTI writer keeps dim[0] = 2.
    /// </summary>
    public int SpatialRank
    {
        get => _spatialRank;
        init
        {
            if (value is not (2 or 3) || (value == 2 && (Shape.Count != 3 || Shape[2] != 1)))
            {
                throw new ArgumentException("A volume is 3-D, or 2-D with shape (i, j, 1).", nameof(value));
            }

            _spatialRank = value;
        }
    }

    private readonly int _spatialRank = 3;

    public long VoxelCount => _voxels.LongLength;

    /// <summary>The voxel buffer itself (not a copy), in NIfTI order; its element type matches <see cref="DataType"/>.</summary>
    public Array GetVoxels() => _voxels;

    /// <summary>The voxel buffer as <typeparamref name="T"/>[]; throws if the type differs.</summary>
    /// <remarks>The element type is compared exactly: the CLR would let a ushort[] pass as short[].</remarks>
    public T[] GetVoxels<T>() => _voxels.GetType().GetElementType() == typeof(T)
        ? (T[])_voxels
        : throw new InvalidOperationException($"The volume holds {DataType}, not {typeof(T).Name}.");

    /// <summary>Linear index of voxel (i, j, k) in the buffer (first sample/time point).</summary>
    public long Index(long i, long j, long k) => i + (Shape[0] * (j + (Shape[1] * k)));

    public override string ToString() => $"{string.Join("×", Shape)} {DataType} {Orientation} from {Source}";
}
