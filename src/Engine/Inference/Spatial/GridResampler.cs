using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Spatial;

/// <summary>
/// MONAI's <c>AffineTransform(normalized=False, reverse_indexing=True)</c> as Spacing uses it: output voxel j takes
/// the value of the input at index T·j, by <c>affine_grid</c> + <c>grid_sample</c> in float64 on the image's device.
/// </summary>
internal static class GridResampler
{
    /// <summary>
    /// Resamples <paramref name="image"/> [C, *spatial] with the index transform <paramref name="indexTransform"/>
    /// (output voxel index → input voxel index, homogeneous of size rank+1) onto <paramref name="outputShape"/>.
    /// Returns float32 [C, *outputShape]; the caller owns the dispose scope.
    /// </summary>
    /// <remarks>
    /// Both releases map voxel indices to grid_sample's [-1, 1] coordinates and back (to_norm_affine). 0.8.1 does it
    /// with the align_corners the caller asked for, so align_corners only changes clamping; 1.x always normalises as
    /// align_corners=False but samples with the requested flag, which stretches the grid when it is true.
    /// </remarks>
    public static Tensor Sample(Tensor image, double[,] indexTransform, long[] outputShape, GridSampleMode mode, GridSamplePaddingMode padding, bool alignCorners, MonaiSemantics semantics)
    {
        var rank = outputShape.Length;
        var inputShape = image.shape.Skip(1).ToArray();
        var normaliseAsAlignCorners = semantics != MonaiSemantics.Monai1x && alignCorners;
        var normalised = AffineMath.Multiply(
            AffineMath.Multiply(Normalisation(inputShape, normaliseAsAlignCorners), indexTransform),
            AffineMath.Inverse(Normalisation(outputShape, normaliseAsAlignCorners)));

        // grid_sample's coordinates are (x, y, z) = (last axis, …, first axis): reverse the spatial rows and columns.
        var theta = new double[rank * (rank + 1)];
        for (var r = 0; r < rank; r++)
        {
            for (var c = 0; c <= rank; c++)
            {
                var column = c < rank ? rank - 1 - c : rank;
                theta[(r * (rank + 1)) + c] = normalised[rank - 1 - r, column];
            }
        }

        var size = new long[] { 1, image.shape[0] }.Concat(outputShape).ToArray();
        var grid = nn.functional.affine_grid(tensor(theta, new long[] { 1, rank, rank + 1 }, ScalarType.Float64, image.device), size, alignCorners);
        if (mode == GridSampleMode.Nearest && rank == 3)
        {
            return NearestGridSampler.Sample(image, grid, padding, alignCorners);
        }

        var sampled = nn.functional.grid_sample(image.to_type(ScalarType.Float64).unsqueeze(0), grid, mode, padding, alignCorners);
        return sampled.squeeze(0).to_type(ScalarType.Float32);
    }

    /// <summary>
    /// MONAI <c>normalize_transform</c>: voxel index → grid_sample coordinate, per axis 2/n · i + 1/n − 1
    /// (align_corners=False) or 2/(n − 1) · i − 1 (True); degenerate sizes use n = 2 as MONAI does.
    /// </summary>
    private static double[,] Normalisation(long[] shape, bool alignCorners)
    {
        var rank = shape.Length;
        var result = AffineMath.Identity(rank + 1);
        for (var axis = 0; axis < rank; axis++)
        {
            if (alignCorners)
            {
                var n = shape[axis] <= 1 ? 2.0 : shape[axis];
                result[axis, axis] = 2.0 / (n - 1.0);
                result[axis, rank] = -1.0;
            }
            else
            {
                var n = shape[axis] <= 0 ? 2.0 : shape[axis];
                result[axis, axis] = 2.0 / n;
                result[axis, rank] = (1.0 / shape[axis]) - 1.0;
            }
        }

        return result;
    }
}
