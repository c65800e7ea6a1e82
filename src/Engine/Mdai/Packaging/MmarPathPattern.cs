using System;
using System.Text;
using System.Text.RegularExpressions;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Mdai.Packaging;

/// <summary>
/// A wildcard pattern over paths relative to the MMAR root, as PowerShell users write them: <c>*</c> (any characters
/// within one folder name), <c>?</c> (one character), <c>[abc]</c> / <c>[a-z]</c> (one of a set), and <c>**</c> as a
/// whole path segment (any number of folders, none included). '\' and '/' both separate folders; a leading <c>./</c>
/// or <c>/</c> is ignored. Matching ignores case (as PowerShell's wildcards do). A pattern that matches a folder
/// matches every file under it: <c>eval</c>, <c>eval/</c> and <c>eval/**</c> all name everything in eval/. Patterns
/// are anchored at the root: <c>*.nii.gz</c> names files at the top only, <c>**/*.nii.gz</c> those at any depth.
/// </summary>
public sealed class MmarPathPattern
{
    private readonly Regex _regex;

    private MmarPathPattern(string text, Regex regex)
    {
        Text = text;
        _regex = regex;
    }

    /// <summary>The pattern as the user wrote it.</summary>
    public string Text { get; }

    /// <summary>Parses a pattern; <paramref name="role"/> ("include", "exclude") is for the error message.</summary>
    public static MmarPathPattern Parse(string? text, string role)
    {
        var pattern = text ?? string.Empty;
        var normalized = pattern.Trim().Replace('\\', '/');
        while (normalized.StartsWith("./", StringComparison.Ordinal) || normalized.StartsWith('/'))
        {
            normalized = normalized.StartsWith('/') ? normalized[1..] : normalized[2..];
        }

        normalized = normalized.TrimEnd('/');
        if (normalized.Length == 0)
        {
            throw Invalid(pattern, role, "it names no path");
        }

        // A trailing "**" adds nothing: a pattern that names a folder names everything under it.
        while (normalized == "**" || normalized.EndsWith("/**", StringComparison.Ordinal))
        {
            normalized = normalized.Length == 2 ? string.Empty : normalized[..^3].TrimEnd('/');
        }

        if (normalized.Length == 0)
        {
            return new MmarPathPattern(pattern, new Regex("^.*$", RegexOptions.NonBacktracking));
        }

        var regex = new StringBuilder("^");
        var segments = normalized.Split('/');
        for (var s = 0; s < segments.Length; s++)
        {
            var segment = segments[s];
            if (segment is "." or "..")
            {
                throw Invalid(pattern, role, "it climbs out of the MMAR or holds '.' folders; write paths relative to the MMAR root, such as resources/atlas.nii.gz");
            }

            if (segment.Length == 0)
            {
                continue;
            }

            if (segment == "**")
            {
                // Any number of whole folder names (none included), each with its separator.
                regex.Append("(?:[^/]+/)*");
                continue;
            }

            AppendSegment(regex, segment, pattern, role);
            if (s < segments.Length - 1)
            {
                regex.Append('/');
            }
        }

        // The pattern's own path, or a folder it names with anything under it.
        regex.Append("(?:/.*)?$");
        return new MmarPathPattern(pattern, new Regex(regex.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking));
    }

    /// <summary>True when the pattern names this file (relative to the MMAR root, '/' separators) or a folder above it.</summary>
    public bool Matches(string relativePath) => _regex.IsMatch(relativePath);

    public override string ToString() => Text;

    private static void AppendSegment(StringBuilder regex, string segment, string pattern, string role)
    {
        for (var i = 0; i < segment.Length; i++)
        {
            var c = segment[i];
            switch (c)
            {
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '[':
                    var close = segment.IndexOf(']', i + 1);
                    if (close <= i + 1)
                    {
                        throw Invalid(pattern, role, $"its '[' at position {i + 1} of '{segment}' opens a set that is not closed or is empty");
                    }

                    regex.Append('[');
                    foreach (var member in segment.AsSpan(i + 1, close - i - 1))
                    {
                        regex.Append(member is '-' ? "-" : Regex.Escape(member.ToString()).Replace("]", "\\]", StringComparison.Ordinal));
                    }

                    regex.Append(']');
                    i = close;
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
    }

    private static MdaiClaraException Invalid(string pattern, string role, string why) =>
        new($"The {role} pattern '{pattern}' cannot be used: {why}.", ErrorIds.MdaiPackageOptionInvalid, ErrorKind.InvalidArgument, pattern);
}
