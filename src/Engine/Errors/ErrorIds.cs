namespace MdaiClara.Engine.Errors;

/// <summary>The stable error identifiers of the engine, in one place so tests and runbooks can rely on them.</summary>
public static partial class ErrorIds
{
    public const string MmarNotFound = "MmarNotFound";
    public const string MmarNotRecognized = "MmarNotRecognized";

    /// <summary>A MONAI bundle (configs/metadata.json) was given where a Clara Train MMAR was expected.</summary>
    public const string MmarIsMonaiBundle = "MmarIsMonaiBundle";
    public const string MmarZipCorrupt = "MmarZipCorrupt";
    public const string MmarZipEntryEscapesRoot = "MmarZipEntryEscapesRoot";
    public const string MmarFileTooLarge = "MmarFileTooLarge";
    public const string MmarReadFailed = "MmarReadFailed";
    public const string MmarModelMissing = "MmarModelMissing";
    public const string MmarVariableExpansionTooLarge = "MmarVariableExpansionTooLarge";
    public const string DeviceInvalid = "DeviceInvalid";
    public const string CudaUnavailable = "CudaUnavailable";
    public const string TorchRuntimeLoadFailed = "TorchRuntimeLoadFailed";
    public const string TorchScriptLoadFailed = "TorchScriptLoadFailed";
    public const string TorchScriptForwardFailed = "TorchScriptForwardFailed";
    public const string NativeCompatFailed = "NativeCompatFailed";
    public const string OperationCanceled = "OperationCanceled";
}
