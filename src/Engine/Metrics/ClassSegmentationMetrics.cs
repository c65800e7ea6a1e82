namespace MdaiClara.Engine.Metrics;

/// <summary>
/// The metrics of one class of one case, as MONAI computes them (see <see cref="SegmentationMetrics.Compute"/> for the
/// conventions). NaN and +∞ are MONAI's own results for empty structures; <see cref="NanReason"/> says which case applies.
/// </summary>
/// <param name="Label">The class's voxel value.</param>
/// <param name="Name">The class's name.</param>
/// <param name="Dice">MONAI DiceMetric (ignore_empty=True): 2·TP / (2·TP + FP + FN) in float32; NaN when the truth has none of the class.</param>
/// <param name="IoU">MONAI MeanIoU (ignore_empty=True): TP / (TP + FP + FN) in float32; NaN when the truth has none of the class.</param>
/// <param name="HausdorffMm">MONAI HausdorffDistanceMetric (symmetric, no percentile): the largest surface distance; +∞ when one side is empty, NaN when both are.</param>
/// <param name="Hausdorff95Mm">MONAI HausdorffDistanceMetric(percentile): the larger of both directions' percentiles; NaN when either side is empty.</param>
/// <param name="MeanSurfaceDistanceMm">MONAI SurfaceDistanceMetric(symmetric=True); +∞ when one side is empty, NaN when both are.</param>
/// <param name="NormalizedSurfaceDice">MONAI SurfaceDiceMetric at the tolerance; 0 when one side is empty, NaN when both are.</param>
/// <param name="PredictedVolumeMl">Predicted voxels × voxel volume, in millilitres.</param>
/// <param name="TrueVolumeMl">True voxels × voxel volume, in millilitres.</param>
/// <param name="VolumeDifferenceMl">Predicted minus true volume, in millilitres.</param>
/// <param name="TruePositives">Voxels of the class in both.</param>
/// <param name="FalsePositives">Voxels of the class in the prediction only.</param>
/// <param name="FalseNegatives">Voxels of the class in the truth only.</param>
/// <param name="NanReason">Null when every value is finite; otherwise one of <see cref="MetricNanReasons"/>.</param>
public sealed record ClassSegmentationMetrics(
    int Label,
    string Name,
    double Dice,
    double IoU,
    double HausdorffMm,
    double Hausdorff95Mm,
    double MeanSurfaceDistanceMm,
    double NormalizedSurfaceDice,
    double PredictedVolumeMl,
    double TrueVolumeMl,
    double VolumeDifferenceMl,
    long TruePositives,
    long FalsePositives,
    long FalseNegatives,
    string? NanReason);
