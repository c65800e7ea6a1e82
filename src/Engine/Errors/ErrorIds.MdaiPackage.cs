namespace MdaiClara.Engine.Errors;

/// <summary>Error ids of MD.ai packaging and publishing.</summary>
public static partial class ErrorIds
{
    /// <summary>The MMAR cannot be served by MD.ai's Clara container (TensorFlow, no infer.sh, no saved result, …).</summary>
    public const string MdaiPackageRefused = "MdaiPackageRefused";

    /// <summary>An option of the package is not one MD.ai accepts.</summary>
    public const string MdaiPackageOptionInvalid = "MdaiPackageOptionInvalid";

    /// <summary>The package could not be written.</summary>
    public const string MdaiPackageWriteFailed = "MdaiPackageWriteFailed";

    /// <summary>MD.ai-format results cannot be made from this input or result (not DICOM, no label map).</summary>
    public const string MdaiOutputUnavailable = "MdaiOutputUnavailable";

    /// <summary>A written package does not read back as written.</summary>
    public const string MdaiPackageVerifyFailed = "MdaiPackageVerifyFailed";
}
