namespace MdaiClara.Engine.Validation;

/// <summary>The stable identifiers of Test-Mmar's rules.</summary>
public static class MmarRuleIds
{
    public const string RequiredFile = "RequiredFile";
    public const string FileUnreadable = "FileUnreadable";
    public const string JsonSyntax = "JsonSyntax";
    public const string JsonStructure = "JsonStructure";
    public const string JsonDuplicateKey = "JsonDuplicateKey";
    public const string PathEscapesMmar = "PathEscapesMmar";
    public const string DataPathOutside = "DataPathOutside";
    public const string UnresolvedVariable = "UnresolvedVariable";
    public const string ShellArgumentIgnored = "ShellArgumentIgnored";
    public const string TorchScriptMissing = "TorchScriptMissing";
    public const string TorchScriptMalformed = "TorchScriptMalformed";
    public const string PickleCheckpointOnly = "PickleCheckpointOnly";
    public const string CheckpointSelected = "CheckpointSelected";
    public const string TensorFlowMmar = "TensorFlowMmar";
    public const string MdaiClaraVersion = "MdaiClaraVersion";
    public const string ClaraVersionUnknown = "ClaraVersionUnknown";
    public const string DatasetJsonMissing = "DatasetJsonMissing";
    public const string DataListKeyMissing = "DataListKeyMissing";
    public const string DataListUnchecked = "DataListUnchecked";
    public const string DataListKeyUnknown = "DataListKeyUnknown";
    public const string UnknownTransform = "UnknownTransform";
    public const string UnknownInferer = "UnknownInferer";
    public const string UnknownHandler = "UnknownHandler";
    public const string CustomCode = "CustomCode";
    public const string InferencePipelineIncomplete = "InferencePipelineIncomplete";
    public const string OutputChannelsUnknown = "OutputChannelsUnknown";
    public const string InputChannelsAssumed = "InputChannelsAssumed";
    public const string TaskUnknown = "TaskUnknown";
    public const string MdaiEnvironmentKeys = "MdaiEnvironmentKeys";
    public const string ClaraGenerationMismatch = "ClaraGenerationMismatch";
    public const string InferenceArgumentInvalid = "InferenceArgumentInvalid";
    public const string ResultNotSaved = "ResultNotSaved";
    public const string ResultOutsideEvalOutput = "ResultOutsideEvalOutput";
    public const string SaverOutputUnreadable = "SaverOutputUnreadable";
    public const string NotAutomaticModel = "NotAutomaticModel";
    public const string DeepForward = "DeepForward";
    public const string DeepOutputChannels = "DeepOutputChannels";
}
