namespace MdaiClara.Engine.Errors;

/// <summary>Error ids of the Metrics floor (segmentation and classification metrics, MONAI's MetricsSaver files).</summary>
public static partial class ErrorIds
{
    /// <summary>The prediction and the truth are not on one grid (shape, or affine beyond 1e-4 mm).</summary>
    public const string MetricGridMismatch = "MetricGridMismatch";

    /// <summary>A metric's input is unusable: no classes, duplicate or negative labels, scores and truth of different lengths, truth that is not 0/1…</summary>
    public const string MetricInputInvalid = "MetricInputInvalid";

    /// <summary>A metric's argument is out of range (percentile outside 0…100, a negative tolerance, a confidence outside (0, 1)…).</summary>
    public const string MetricArgumentInvalid = "MetricArgumentInvalid";

    /// <summary>A MONAI handler metric (key_metric / additional_metrics) that MdaiClara does not compute, or its arguments.</summary>
    public const string MetricNotSupported = "MetricNotSupported";
}
