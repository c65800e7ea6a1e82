using System;
using System.Linq;
using MdaiClara.Engine.Configs;

namespace MdaiClara.Engine.Mmar.Detectors;

/// <summary>Classifies a path an MMAR names: inside the MMAR (and whether it exists), external, escaping, or not a path.</summary>
internal static class PathClassifier
{
    internal static MmarPathReference Classify(MmarFileSource source, string key, string value, string definedIn, SourceLocation? location, bool data)
    {
        var raw = value.Trim();
        if (raw.Length == 0 || raw.Contains('{', StringComparison.Ordinal))
        {
            return new MmarPathReference(key, value, MmarPathKind.Invalid, null, false, definedIn, location);
        }

        foreach (var prefix in new[] { "$MMAR_ROOT/", "${MMAR_ROOT}/" })
        {
            if (raw.StartsWith(prefix, StringComparison.Ordinal))
            {
                raw = raw[prefix.Length..];
            }
        }

        if (raw.StartsWith('/') || raw.StartsWith('\\') || (raw.Length >= 2 && char.IsLetter(raw[0]) && raw[1] == ':') || raw.StartsWith('~'))
        {
            return new MmarPathReference(key, value, MmarPathKind.External, null, false, definedIn, location);
        }

        var inside = MmarFileSource.NormalizeInside(raw);
        if (inside is null)
        {
            return new MmarPathReference(key, value, MmarPathKind.EscapesMmar, null, false, definedIn, location);
        }

        var exists = inside.Length == 0 || source.FileExists(inside) || source.DirectoryExists(inside);
        return new MmarPathReference(key, value, MmarPathKind.InsideMmar, inside, exists, definedIn, location);
    }
}
