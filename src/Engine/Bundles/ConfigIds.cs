using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace MdaiClara.Engine.Bundles;

/// <summary>
/// MONAI ConfigParser's ids: "a::b::0" paths (the legacy "#" separator normalised to "::"), "@id" references,
/// "%file::id" macros and relative ids ("@::x" is x beside the current item, "@::::x" one level up).
/// </summary>
public static partial class ConfigIds
{
    public const string Separator = "::";

    public const char ReferencePrefix = '@';

    public const char MacroPrefix = '%';

    public const char ExpressionPrefix = '$';

    /// <summary>"#" is the old separator: MONAI 1.x rewrites every "#" of a string to "::".</summary>
    public static string Normalize(string id) => id.Replace("#", Separator, StringComparison.Ordinal);

    public static string[] Split(string id) => id.Length == 0 ? Array.Empty<string>() : Normalize(id).Split(Separator);

    public static string Join(string parent, string part) => parent.Length == 0 ? part : parent + Separator + part;

    /// <summary>The references of a string as MONAI matches them: "@" then word characters and "::"-separated parts.</summary>
    public static IEnumerable<Match> References(string normalized) => ReferencePattern().Matches(normalized);

    /// <summary>True when the whole string is one reference ("@network_def").</summary>
    public static bool IsWholeReference(string normalized, out string id)
    {
        var m = ReferencePattern().Match(normalized);
        id = m.Success && m.Index == 0 && m.Length == normalized.Length ? normalized[1..] : string.Empty;
        return m.Success && m.Index == 0 && m.Length == normalized.Length;
    }

    /// <summary>
    /// Rewrites relative ids ("@::x", "%::::y") in <paramref name="value"/> to absolute ones, seen from the item at
    /// <paramref name="currentId"/>; null when one climbs above the root.
    /// </summary>
    public static string? ResolveRelative(string currentId, string value)
    {
        var normalized = Normalize(value);
        var current = currentId.Length == 0 ? Array.Empty<string>() : currentId.Split(Separator);
        var prefixes = RelativePattern().Matches(normalized).Select(m => m.Value).Distinct().OrderByDescending(p => p, StringComparer.Ordinal);
        foreach (var p in prefixes)
        {
            var symbol = p[0];
            var levels = (p.Length - 1) / Separator.Length;
            if (levels > current.Length)
            {
                return null;
            }

            var replacement = levels == current.Length ? string.Empty : string.Join(Separator, current[..^levels]) + Separator;
            normalized = normalized.Replace(p, symbol + replacement, StringComparison.Ordinal);
        }

        return normalized;
    }

    /// <summary>Splits a macro's text ("configs/other.json::net" or "net") into a config file path and an id.</summary>
    public static (string Path, string Id) SplitMacro(string text)
    {
        var normalized = Normalize(text);
        var m = MacroPathPattern().Match(normalized);
        if (!m.Success)
        {
            return (string.Empty, normalized);
        }

        var path = m.Groups[1].Value;
        var rest = normalized[path.Length..];
        return (path, rest.StartsWith(Separator, StringComparison.Ordinal) ? rest[Separator.Length..] : string.Empty);
    }

    [GeneratedRegex(@"@\w*(?:::\w*)*")]
    private static partial Regex ReferencePattern();

    [GeneratedRegex(@"(?:@|%)(?:::)+")]
    private static partial Regex RelativePattern();

    // As MONAI: the longest prefix ending in .json/.yaml/.yml that is followed by "::" or the end.
    [GeneratedRegex(@"^(.*\.(?:json|yaml|yml))(?=(?:::.*)|$)", RegexOptions.IgnoreCase)]
    private static partial Regex MacroPathPattern();
}
