using System;
using System.Globalization;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Inference;

/// <summary>
/// Which MONAI release's numerics a pipeline follows. MONAI changed some of them between releases (the gaussian
/// importance map at 1.0.1, CropForeground's border clamping, Spacing's short pixdim and align_corners, largest-component
/// ties); a model is run with the semantics of the MONAI it was made with.
/// </summary>
public enum MonaiSemantics
{
    /// <summary>MONAI 0.5 (Clara Train 4.0). Numerically as 0.8.1 except where a transform says otherwise.</summary>
    Monai05,

    /// <summary>MONAI 0.8.1 (Clara Train 4.1, the only Clara version MD.ai deploys).</summary>
    Monai08,

    /// <summary>MONAI 1.x (1.0.1 and later; references are 1.3.2).</summary>
    Monai1x,
}

/// <summary>Parses MONAI versions and picks the semantics for a Clara version.</summary>
public static class MonaiSemanticsVersions
{
    /// <summary>"0.5", "0.5.3", "0.8", "0.8.1", "1", "1.3", "1.3.2" … → semantics; anything else is an error naming it.</summary>
    public static MonaiSemantics Parse(string version)
    {
        var parts = version.Trim().TrimStart('v', 'V').Split('.');
        if (parts.Length >= 1 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major))
        {
            var minor = parts.Length >= 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : 0;
            var patch = parts.Length >= 3 && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 0;
            if (major >= 1)
            {
                // 1.0.0 still had the 0.x gaussian importance map; 1.0.1 introduced the 1.x one.
                return major == 1 && minor == 0 && patch == 0 ? MonaiSemantics.Monai08 : MonaiSemantics.Monai1x;
            }

            if (major == 0 && minor >= 1)
            {
                return minor < 8 ? MonaiSemantics.Monai05 : MonaiSemantics.Monai08;
            }
        }

        throw new MdaiClaraException(
            $"'{version}' is not a MONAI version MdaiClara knows (use e.g. 0.5, 0.8.1 or 1.3).",
            ErrorIds.MonaiSemanticsUnknown, ErrorKind.InvalidArgument, version);
    }

    /// <summary>Clara Train 4.0 ran MONAI 0.5, 4.1 ran 0.8.1; anything else 4.x is taken as 4.1.</summary>
    public static MonaiSemantics ForClaraVersion(string? claraVersion) =>
        claraVersion is not null && claraVersion.StartsWith("4.0", StringComparison.Ordinal) ? MonaiSemantics.Monai05 : MonaiSemantics.Monai08;

    /// <summary>The version whose numerics the engine reproduces for each semantics, for messages.</summary>
    public static string Describe(MonaiSemantics semantics) => semantics switch
    {
        MonaiSemantics.Monai05 => "MONAI 0.5 (Clara Train 4.0)",
        MonaiSemantics.Monai08 => "MONAI 0.8.1 (Clara Train 4.1)",
        _ => "MONAI 1.x (as 1.3.2)",
    };
}
