namespace MdaiClara.Engine.Validation.Bundles;

/// <summary>The stable identifiers of Test-MonaiBundle's rules.</summary>
public static class BundleRuleIds
{
    public const string RequiredFile = "BundleRequiredFile";
    public const string FileUnreadable = "BundleFileUnreadable";
    public const string ConfigSyntax = "BundleConfigSyntax";
    public const string MetadataField = "BundleMetadataField";
    public const string MonaiVersion = "BundleMonaiVersion";
    public const string UnresolvedReference = "BundleUnresolvedReference";
    public const string ExpressionRefused = "BundleExpressionRefused";
    public const string InvalidComponent = "BundleInvalidComponent";
    public const string UnknownTarget = "BundleUnknownTarget";
    public const string CustomCode = "BundleCustomCode";
    public const string InferenceArgumentInvalid = "BundleInferenceArgumentInvalid";
    public const string PipelineIncomplete = "BundlePipelineIncomplete";
    public const string TorchScriptMissing = "BundleTorchScriptMissing";
    public const string CheckpointOnly = "BundleCheckpointOnly";
    public const string PathEscapesBundle = "BundlePathEscapesBundle";
    public const string EvaluationMetricUnsupported = "BundleEvaluationMetricUnsupported";
    public const string DeepForward = MmarRuleIds.DeepForward;
    public const string DeepOutputChannels = MmarRuleIds.DeepOutputChannels;
}
