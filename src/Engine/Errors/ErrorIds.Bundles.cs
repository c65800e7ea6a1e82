namespace MdaiClara.Engine.Errors;

/// <summary>Error ids of MONAI bundle reading.</summary>
public static partial class ErrorIds
{
    /// <summary>No folder or file at the path given.</summary>
    public const string BundleNotFound = "BundleNotFound";

    /// <summary>The folder or zip holds no configs/metadata.json or configs/inference.json|yaml.</summary>
    public const string BundleNotRecognized = "BundleNotRecognized";

    /// <summary>The bundle's zip cannot be read (damaged, not a zip).</summary>
    public const string BundleZipCorrupt = "BundleZipCorrupt";

    /// <summary>A file of the bundle cannot be read (permissions, I/O).</summary>
    public const string BundleReadFailed = "BundleReadFailed";

    /// <summary>A config file is larger than a config can sensibly be.</summary>
    public const string BundleFileTooLarge = "BundleFileTooLarge";

    /// <summary>The bundle's inference pipeline cannot be run here (a refused expression, an unresolved reference, no TorchScript).</summary>
    public const string BundleNotRunnable = "BundleNotRunnable";
}
