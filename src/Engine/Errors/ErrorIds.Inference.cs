namespace MdaiClara.Engine.Errors;

/// <summary>Error ids of the inference pipeline (transforms, inferers, the pipeline that binds them to a config).</summary>
public static partial class ErrorIds
{
    /// <summary>A MONAI version string that is not 0.5, 0.8 or 1.x.</summary>
    public const string MonaiSemanticsUnknown = "MonaiSemanticsUnknown";

    /// <summary>A transform or inferer name the engine does not implement.</summary>
    public const string TransformUnknown = "TransformUnknown";

    /// <summary>A transform or inferer argument that is missing, of the wrong type or out of range.</summary>
    public const string TransformArgumentInvalid = "TransformArgumentInvalid";

    /// <summary>A transform met data it cannot work on (wrong rank, empty image, missing key).</summary>
    public const string TransformInputInvalid = "TransformInputInvalid";

    /// <summary>The MMAR has no inference config to run, or one that cannot run (Clara 3.x, no LoadImage, …).</summary>
    public const string InferenceConfigInvalid = "InferenceConfigInvalid";

    /// <summary>An input with fewer spatial axes than the model works on (a 2-D picture given to a 3-D model).</summary>
    public const string InputRankMismatch = "InputRankMismatch";

    /// <summary>An input path names no file or folder.</summary>
    public const string InputNotFound = "InputNotFound";

    /// <summary>The inferer or model failed on the data.</summary>
    public const string InferenceFailed = "InferenceFailed";
}
