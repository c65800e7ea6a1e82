using System;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Transforms;

namespace MdaiClara.Engine.Metrics;

/// <summary>
/// The surface distances of one class between a prediction and a truth mask, as MONAI's
/// <c>get_edge_surface_distance</c> finds them: the masks cropped to the box of their union, each surface the mask's
/// voxels that <c>binary_erosion</c> (SciPy's face-connected cross, border value 0) removes (<c>erosion ^ mask</c>),
/// and for every surface voxel the exact Euclidean distance (spacing-aware) to the nearest voxel of the other surface.
/// </summary>
/// <remarks>
/// Masks are 3-D, C order, shape [n0, n1, n2] (axis 2 fastest); a 2-D image is given with n0 = 1 and
/// <c>spatialAxes</c> = 2 so that no erosion runs across it. One squared-distance buffer of the box's size is used
/// for both directions, so the peak is about ten bytes per box voxel.
/// </remarks>
internal sealed class SurfacePair
{
    private SurfacePair(double[] forward, double[] backward, long predictedSurface, long trueSurface)
    {
        Forward = forward;
        Backward = backward;
        PredictedSurfaceCount = predictedSurface;
        TrueSurfaceCount = trueSurface;
    }

    /// <summary>Prediction surface → truth surface, one per prediction surface voxel (MONAI's infinities when a side is empty).</summary>
    public double[] Forward { get; }

    /// <summary>Truth surface → prediction surface.</summary>
    public double[] Backward { get; }

    public long PredictedSurfaceCount { get; }

    public long TrueSurfaceCount { get; }

    /// <param name="predicted">Prediction mask in the box (0/1), C order.</param>
    /// <param name="truth">Truth mask in the box (0/1), C order.</param>
    /// <param name="shape">The box's extents [n0, n1, n2].</param>
    /// <param name="spacing">Voxel size along each of the three axes.</param>
    /// <param name="erodedAxes">The axes the erosion looks along (MONAI 0.8.1 squeezes one-voxel-thick axes away; a 2-D image has no third).</param>
    /// <param name="semantics">1.x rounds each distance to float32 as MONAI does (<c>convert_to_dst_type(…, float32)</c>); 0.8.1 keeps float64.</param>
    public static SurfacePair Measure(byte[] predicted, byte[] truth, int[] shape, double[] spacing, bool[] erodedAxes, MonaiSemantics semantics)
    {
        var (predictedSurface, predictedCount) = MaskSurface.Of(predicted, shape, erodedAxes);
        var (trueSurface, trueCount) = MaskSurface.Of(truth, shape, erodedAxes);
        var round = semantics == MonaiSemantics.Monai1x;
        if (predictedCount == 0 || trueCount == 0)
        {
            // get_surface_distance(from, to): no "to" surface gives ∞ for every "from" voxel; otherwise, no "from"
            // surface gives ∞ for every "to" voxel.
            static double[] Infinite(long fromCount, long toCount) => Filled(toCount == 0 ? fromCount : toCount, double.PositiveInfinity);
            return new SurfacePair(Infinite(predictedCount, trueCount), Infinite(trueCount, predictedCount), predictedCount, trueCount);
        }

        var field = GC.AllocateUninitializedArray<double>(predicted.Length);
        var forward = DistancesAt(predictedSurface, predictedCount, trueSurface, shape, spacing, field, round);
        var backward = DistancesAt(trueSurface, trueCount, predictedSurface, shape, spacing, field, round);
        return new SurfacePair(forward, backward, predictedCount, trueCount);
    }

    private static double[] DistancesAt(byte[] from, long fromCount, byte[] to, int[] shape, double[] spacing, double[] field, bool round)
    {
        EuclideanDistanceTransform.SquaredDistancesInto(to, shape, spacing, field);
        var distances = new double[fromCount];
        var next = 0;
        for (var voxel = 0; voxel < from.Length; voxel++)
        {
            if (from[voxel] != 0)
            {
                var d = Math.Sqrt(field[voxel]);
                distances[next++] = round ? (float)d : d;
            }
        }

        return distances;
    }

    private static double[] Filled(long count, double value)
    {
        var values = new double[count];
        Array.Fill(values, value);
        return values;
    }
}
