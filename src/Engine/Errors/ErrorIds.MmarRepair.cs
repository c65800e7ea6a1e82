namespace MdaiClara.Engine.Errors;

/// <summary>Error ids of MMAR repair.</summary>
public static partial class ErrorIds
{
    /// <summary>The repaired copy's destination already exists and replacing it was not asked for.</summary>
    public const string MmarRepairDestinationExists = "MmarRepairDestinationExists";

    /// <summary>The destination cannot take the copy (the MMAR itself, inside it, or a file).</summary>
    public const string MmarRepairDestinationInvalid = "MmarRepairDestinationInvalid";

    /// <summary>The MMAR cannot be repaired into a Clara 4.1 MMAR at all (Clara 3.x TensorFlow, a zip in place).</summary>
    public const string MmarRepairRefused = "MmarRepairRefused";

    /// <summary>The repaired copy could not be written; nothing was left half-written.</summary>
    public const string MmarRepairWriteFailed = "MmarRepairWriteFailed";
}
