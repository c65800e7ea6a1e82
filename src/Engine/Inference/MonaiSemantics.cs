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
    /// <summary>
    /// "0.5", "0.5.3", "0.8", "0.8.1", "0.9", "1", "1.x", "1.3", "1.3.2" … → semantics; anything else is an error naming it.
    /// Only an explicit "1.0.0" means the last release with the 0.x gaussian importance map.
    /// </summary>
    public static MonaiSemantics Parse(string version)
    {
        var parts = version.Trim().TrimStart('v', 'V').Split('.');
        int? Part(int index) =>
            index >= parts.Length || parts[index] is "x" or "X" ? null
            : int.TryParse(parts[index], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
            : -1;

        var major = Part(0);
        var minor = Part(1);
        var patch = Part(2);
        if (parts.Length <= 3 && major is not -1 && minor is not -1 && patch is not -1)
        {
            switch (major)
            {
                case 1 when minor == 0 && patch == 0:
                    return MonaiSemantics.Monai08;
                case 1 when minor is not null || patch is null:
                    return MonaiSemantics.Monai1x;
                case 0 when minor is >= 1 and < 8:
                    return MonaiSemantics.Monai05;
                case 0 when minor >= 8:
                    return MonaiSemantics.Monai08;
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
