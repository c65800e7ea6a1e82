using System;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Transforms;

/// <summary>MONAI DiceMetric and compute_hausdorff_distance (95th percentile) on label maps, per foreground class.</summary>
public static class SegmentationMetrics
{
    /// <summary>Dice per class 1..<paramref name="classes"/>−1 (background excluded); NaN where the reference has none of the class (ignore_empty).</summary>
    public static double[] Dice(Tensor prediction, Tensor reference, int classes) => throw new NotImplementedException();

    /// <summary>HD95 per foreground class, in voxel units or scaled by <paramref name="spacing"/>; NaN/∞ as MONAI gives them.</summary>
    public static double[] Hausdorff95(Tensor prediction, Tensor reference, int classes, double[]? spacing, MonaiSemantics semantics) =>
        throw new NotImplementedException();
}
