using System;
using System.Linq;

namespace MdaiClara.Engine.Imaging.Nifti;

/// <summary>
/// What the voxel data of a checked header is: its stored type, where it starts, how many voxels and bytes, and the
/// shape it has as nibabel reports it and as a <see cref="Volume"/> holds it. Built before anything large is allocated.
/// </summary>
internal sealed class NiftiDataSpec
{
    private NiftiDataSpec(long[] fileShape, long[] volumeShape, VoxelType storedType, long offset, long count)
    {
        FileShape = fileShape;
        VolumeShape = volumeShape;
        StoredType = storedType;
        Offset = offset;
        Count = count;
    }

    /// <summary>dim[1..dim[0]], the shape nibabel gives the array.</summary>
    public long[] FileShape { get; }

    /// <summary>The shape of the volume: 1-D and 2-D padded with 1 to (i, j, k); dimensions 6 and 7 dropped when they are 1.</summary>
    public long[] VolumeShape { get; }

    public VoxelType StoredType { get; }

    /// <summary>Byte offset of the first voxel in the image file.</summary>
    public long Offset { get; }

    public long Count { get; }

    public long ByteCount => Count * StoredType.Size();

    public string Describe() => "(" + string.Join(", ", FileShape) + ")";

    public static NiftiDataSpec From(NiftiHeader header, string file)
    {
        var ndim = header.DimensionCount;
        if (ndim is < 1 or > 7)
        {
            throw NiftiErrors.HeaderInvalid(file, $"dim[0] (the number of dimensions) is {ndim}, not 1 to 7");
        }

        var shape = header.Dim.Skip(1).Take((int)ndim).ToArray();
        for (var n = 0; n < shape.Length; n++)
        {
            if (shape[n] < 1)
            {
                throw NiftiErrors.HeaderInvalid(file, $"dim[{n + 1}] is {shape[n]}; every dimension needs at least one voxel");
            }
        }

        var description = "(" + string.Join(", ", shape) + ")";
        if (shape.Skip(5).Any(extent => extent != 1))
        {
            throw NiftiErrors.ShapeUnsupported(file, description);
        }

        // In double the product cannot overflow, and any product at or below the array limit is computed exactly.
        var product = shape.Aggregate(1.0, (a, b) => a * b);
        if (product > Array.MaxLength)
        {
            throw NiftiErrors.TooLarge(file, description, product);
        }

        var count = shape.Aggregate(1L, (a, b) => a * b);
        var volumeShape = shape.Length switch
        {
            1 => new[] { shape[0], 1, 1 },
            2 => new[] { shape[0], shape[1], 1 },
            > 5 => shape.Take(5).ToArray(),
            _ => shape,
        };

        var type = NiftiDataTypes.ToVoxelType(header.DataType) ?? throw NiftiErrors.DatatypeUnsupported(file, header.DataType);
        return new NiftiDataSpec(shape, volumeShape, type, (long)Math.Floor(header.VoxOffset), count);
    }
}
