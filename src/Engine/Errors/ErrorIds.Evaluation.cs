namespace MdaiClara.Engine.Errors;

/// <summary>Error ids of model evaluation (Measure-ClaraModel, the publish quality gate).</summary>
public static partial class ErrorIds
{
    /// <summary>The model has no validation config (validate.sh's config) to evaluate with.</summary>
    public const string EvaluationConfigMissing = "EvaluationConfigMissing";

    /// <summary>The datalist (dataset JSON) cannot be found, read or parsed, or lacks the key asked for.</summary>
    public const string DataListInvalid = "DataListInvalid";

    /// <summary>One ground-truth item's image or label is missing (or not given): that item is not measured.</summary>
    public const string GroundTruthItemMissing = "GroundTruthItemMissing";

    /// <summary>An image without a label (or a label without an image) among the ground truth given.</summary>
    public const string GroundTruthUnpaired = "GroundTruthUnpaired";

    /// <summary>No ground-truth item could be measured.</summary>
    public const string GroundTruthEmpty = "GroundTruthEmpty";

    /// <summary>The prediction and the truth are not on one grid and cannot be compared.</summary>
    public const string EvaluationGridMismatch = "EvaluationGridMismatch";

    /// <summary>A metric the config names (key_metric, additional_metrics) that MdaiClara does not compute.</summary>
    public const string EvaluationMetricUnsupported = "EvaluationMetricUnsupported";

    /// <summary>The model's task cannot be measured (neither segmentation nor classification).</summary>
    public const string EvaluationTaskUnsupported = "EvaluationTaskUnsupported";

    /// <summary>The evaluation output folder is inside the model, or cannot be written.</summary>
    public const string EvaluationOutputInvalid = "EvaluationOutputInvalid";

    /// <summary>The publish quality gate is incomplete (a minimum without ground truth, or the reverse) or a minimum is out of range.</summary>
    public const string QualityGateInvalid = "QualityGateInvalid";
}
