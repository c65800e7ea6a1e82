using MdaiClara.Engine.Inference;

namespace MdaiClara.Engine.Metrics;

/// <summary>How <see cref="SegmentationMetrics.Compute"/> measures.</summary>
/// <param name="SurfaceToleranceMm">
/// The tolerance of the normalised surface Dice (MONAI SurfaceDiceMetric's class threshold), in millimetres: a surface
/// voxel counts as correct when its distance to the other surface is at most this.
/// </param>
/// <param name="Percentile">The percentile of <see cref="ClassSegmentationMetrics.Hausdorff95Mm"/> (MONAI HausdorffDistanceMetric's percentile), 0…100.</param>
public sealed record SegmentationMetricOptions(double SurfaceToleranceMm = 2.0, double Percentile = 95)
{
    /// <summary>
    /// Which MONAI's arithmetic the distances follow. <see cref="MonaiSemantics.Monai1x"/> (the default, MONAI 1.3.2):
    /// surface distances in float32, <c>torch.quantile</c>, the symmetric mean surface distance as the mean of both
    /// directions' distances together. <see cref="MonaiSemantics.Monai08"/> / <see cref="MonaiSemantics.Monai05"/>
    /// (MONAI 0.8.1): float64 distances, <c>np.percentile</c>, the mean of the two directed means, and axes along which
    /// the class's bounding box is one voxel thick squeezed away before the surface is found.
    /// </summary>
    public MonaiSemantics Semantics { get; init; } = MonaiSemantics.Monai1x;

    /// <summary>
    /// Measure distances in voxels (spacing 1 along every axis) instead of millimetres, as MONAI's handlers do when they
    /// are given no spacing; the tolerance is then in voxels too. Volumes stay in mL.
    /// </summary>
    public bool VoxelUnits { get; init; }
}
