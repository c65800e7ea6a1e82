using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MdaiClara.Engine.Configs;

namespace MdaiClara.Engine.Models;

/// <summary>
/// Defaults a MONAI release changed after 1.3.2 (whose defaults the transform catalogue follows), written into a
/// bundle's component specs when the bundle's monai_version is that release or later and the config leaves the
/// argument out, so the pipeline runs with the defaults of the MONAI the bundle names.
/// </summary>
public static class MonaiReleaseDefaults
{
    /// <summary>(first release, component, argument, value): MONAI 1.5.0 made CropForeground's allow_smaller False.</summary>
    private static readonly (int Major, int Minor, string Component, string Argument, object Value)[] Changes =
    {
        (1, 5, "CropForeground", "allow_smaller", false),
        (1, 5, "CropForegroundd", "allow_smaller", false),
    };

    /// <summary>The spec with the release's changed defaults filled in; the same spec when none applies.</summary>
    public static ComponentSpec Apply(ComponentSpec spec, string monaiVersion)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var version = MajorMinor(monaiVersion);
        if (version is null)
        {
            return spec;
        }

        var added = Changes
            .Where(c => c.Component == spec.CanonicalName && (version.Value.Major, version.Value.Minor).CompareTo((c.Major, c.Minor)) >= 0 && !spec.Args.ContainsKey(c.Argument))
            .Select(c => new KeyValuePair<string, object?>(c.Argument, c.Value))
            .ToList();
        return added.Count == 0 ? spec : spec with { Args = new ConfigObject(spec.Args.Concat(added)) };
    }

    private static (int Major, int Minor)? MajorMinor(string version)
    {
        var parts = version.Trim().TrimStart('v', 'V').Split('.');
        return parts.Length >= 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor)
            ? (major, minor)
            : null;
    }
}
