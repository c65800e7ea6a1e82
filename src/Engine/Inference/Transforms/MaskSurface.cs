namespace MdaiClara.Engine.Inference.Transforms;

/// <summary>
/// The surface voxels MONAI measures Hausdorff distances between: <c>binary_erosion(mask) ^ mask</c> with SciPy's
/// default cross-shaped structure and border value 0, i.e. the mask voxels with a face neighbour that is background or
/// outside the array.
/// </summary>
internal static class MaskSurface
{
    /// <summary>
    /// Surface voxels of a 3-D C-order mask (bytes 0/1), looking only along the axes with <paramref name="erodedAxes"/>
    /// set (axes MONAI did not give the erosion, e.g. 0.8.1's squeezed ones, contribute no neighbours).
    /// </summary>
    /// <returns>The surface as bytes 0/1, and how many voxels it has.</returns>
    public static (byte[] Surface, long Count) Of(byte[] mask, int[] shape, bool[] erodedAxes)
    {
        var surface = new byte[mask.Length];
        long count = 0;
        var strides = new[] { shape[1] * shape[2], shape[2], 1 };
        for (var x = 0; x < shape[0]; x++)
        {
            for (var y = 0; y < shape[1]; y++)
            {
                var lineStart = x * strides[0] + y * strides[1];
                for (var z = 0; z < shape[2]; z++)
                {
                    var voxel = lineStart + z;
                    if (mask[voxel] == 0)
                    {
                        continue;
                    }

                    if (OpenAlong(0, x) || OpenAlong(1, y) || OpenAlong(2, z))
                    {
                        surface[voxel] = 1;
                        count++;
                    }

                    // A face neighbour along the axis is missing (past the border) or background.
                    bool OpenAlong(int axis, int position) =>
                        erodedAxes[axis]
                        && (position == 0 || position == shape[axis] - 1 || mask[voxel - strides[axis]] == 0 || mask[voxel + strides[axis]] == 0);
                }
            }
        }

        return (surface, count);
    }
}
