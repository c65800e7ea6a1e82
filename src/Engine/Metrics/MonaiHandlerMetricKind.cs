namespace MdaiClara.Engine.Metrics;

/// <summary>The MONAI / ignite metric handlers a Clara validation config names in key_metric / additional_metrics.</summary>
public enum MonaiHandlerMetricKind
{
    /// <summary><c>monai.handlers.MeanDice</c> (include_background defaults to true).</summary>
    MeanDice,

    /// <summary><c>monai.handlers.MeanIoUHandler</c> (MONAI 1.x; include_background defaults to true).</summary>
    MeanIoU,

    /// <summary><c>monai.handlers.HausdorffDistance</c> (include_background false, percentile, directed).</summary>
    HausdorffDistance,

    /// <summary><c>monai.handlers.SurfaceDistance</c> (include_background false, symmetric).</summary>
    SurfaceDistance,

    /// <summary><c>ignite.metrics.Accuracy</c> on the one-hot pred and label: equal elements over all elements, all cases together.</summary>
    Accuracy,
}
