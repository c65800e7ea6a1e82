using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using MdaiClara.Engine.Configs;

namespace MdaiClara.Engine.Mmar;

/// <summary>
/// What commands/infer.sh asks Clara to run: the config and environment files (<c>-c</c>, <c>-e</c>) and the
/// <c>--set</c> overrides. The script is only read as text, never run; values that need the shell
/// (<c>$(...)</c>, unknown <c>$VARS</c>) are reported as unresolved rather than guessed.
/// </summary>
public sealed partial record InferScript(
    string File,
    string? EntryModule,
    string? ConfigFile,
    string? EnvironmentFile,
    IReadOnlyDictionary<string, string> SetValues,
    IReadOnlyList<string> UnresolvedArguments,
    bool SourcesSetEnv)
{
    /// <summary>Where each <c>--set</c> pair is written in the script (line and column of the pair), by key.</summary>
    public IReadOnlyDictionary<string, SourceLocation> SetLocations { get; init; } = new Dictionary<string, SourceLocation>();

    public static InferScript Parse(string relativePath, string text)
    {
        // Continuation lines are joined (a backslash-newline becomes a space); each joined character keeps its offset in
        // the script, so a --set pair can be located on the line it is written on.
        var normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        var builder = new StringBuilder(normalized.Length);
        var offsets = new List<int>(normalized.Length);
        for (var c = 0; c < normalized.Length; c++)
        {
            if (normalized[c] == '\\' && c + 1 < normalized.Length && normalized[c + 1] == '\n')
            {
                builder.Append(' ');
                offsets.Add(c++);
                continue;
            }

            builder.Append(normalized[c]);
            offsets.Add(c);
        }

        var joined = builder.ToString();
        var locations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        SourceLocation Locate(int joinedIndex)
        {
            var offset = offsets[Math.Clamp(joinedIndex, 0, offsets.Count - 1)];
            var lineStart = normalized.LastIndexOf('\n', Math.Max(0, offset - 1)) + 1;
            if (offset == 0)
            {
                lineStart = 0;
            }

            var line = 1 + normalized.AsSpan(0, lineStart).Count('\n');
            return new SourceLocation(line, offset - lineStart + 1);
        }

        var lineAt = 0;
        var assignments = new Dictionary<string, string>(StringComparer.Ordinal);
        string? entryModule = null;
        string? config = null;
        string? environment = null;
        var set = new Dictionary<string, string>(StringComparer.Ordinal);
        var unresolved = new List<string>();
        var sourcesSetEnv = false;

        foreach (var rawLine in joined.Split('\n'))
        {
            var lineOffset = lineAt;
            lineAt += rawLine.Length + 1;
            var stripped = StripComment(rawLine);
            var lead = stripped.Length - stripped.TrimStart().Length;
            var line = stripped.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (SourceSetEnv().IsMatch(line))
            {
                sourcesSetEnv = true;
                continue;
            }

            var assignment = Assignment().Match(line);
            if (assignment.Success)
            {
                assignments[assignment.Groups["name"].Value] = Unquote(assignment.Groups["value"].Value.Trim());
                continue;
            }

            var starts = new List<int>();
            var tokens = Tokenize(line, starts);
            var moduleAt = tokens.FindIndex(t => t == "-m");
            var appAt = tokens.FindIndex(t => t.Contains(".apps.", StringComparison.Ordinal));
            if (appAt < 0)
            {
                continue;
            }

            entryModule = tokens[appAt];
            for (var i = Math.Max(appAt, moduleAt) + 1; i < tokens.Count; i++)
            {
                var token = tokens[i];
                if ((token == "-c" || token == "--config") && i + 1 < tokens.Count)
                {
                    config = Expand(tokens[++i], assignments, unresolved);
                }
                else if ((token == "-e" || token == "--environment") && i + 1 < tokens.Count)
                {
                    environment = Expand(tokens[++i], assignments, unresolved);
                }
                else if (token == "--set")
                {
                    while (i + 1 < tokens.Count && !tokens[i + 1].StartsWith('-'))
                    {
                        var pair = tokens[++i];
                        var eq = pair.IndexOf('=');
                        if (eq <= 0)
                        {
                            if (!pair.StartsWith('$'))
                            {
                                unresolved.Add(pair);
                            }

                            continue;
                        }

                        var value = Expand(pair[(eq + 1)..], assignments, unresolved);
                        if (value is not null)
                        {
                            set[pair[..eq]] = value;
                            locations[pair[..eq]] = Locate(lineOffset + lead + starts[i]);
                        }
                    }
                }
            }
        }

        return new InferScript(relativePath, entryModule, ToMmarRelative(config), ToMmarRelative(environment), set, unresolved, sourcesSetEnv) { SetLocations = locations };
    }

    /// <summary>Substitutes $VAR and ${VAR} from the script's own assignments; null when something is left.</summary>
    private static string? Expand(string token, Dictionary<string, string> assignments, List<string> unresolved)
    {
        var value = Unquote(token);
        for (var round = 0; round < 4 && value.Contains('$', StringComparison.Ordinal); round++)
        {
            value = ShellVariable().Replace(value, m =>
            {
                var name = m.Groups["a"].Success ? m.Groups["a"].Value : m.Groups["b"].Value;
                if (name == "MMAR_ROOT")
                {
                    return "$MMAR_ROOT";
                }

                if (!assignments.TryGetValue(name, out var v))
                {
                    return m.Value;
                }

                return m.Groups["off"].Success ? Substring(v, m.Groups["off"].Value, m.Groups["len"].Value) ?? m.Value : v;
            });
            if (!ShellVariable().Matches(value).Any(m => (m.Groups["a"].Success ? m.Groups["a"].Value : m.Groups["b"].Value) != "MMAR_ROOT"))
            {
                break;
            }
        }

        if (ShellVariable().Matches(value).Any(m => (m.Groups["a"].Success ? m.Groups["a"].Value : m.Groups["b"].Value) != "MMAR_ROOT")
            || value.Replace("${MMAR_ROOT}", string.Empty, StringComparison.Ordinal).Contains("${", StringComparison.Ordinal)
            || value.Contains("$(", StringComparison.Ordinal) || value.Contains('`', StringComparison.Ordinal))
        {
            unresolved.Add(token);
            return null;
        }

        return value;
    }

    /// <summary>Clara resolves -c/-e relative to the MMAR root; strip an explicit $MMAR_ROOT/ prefix.</summary>
    private static string? ToMmarRelative(string? path)
    {
        if (path is null)
        {
            return null;
        }

        foreach (var prefix in new[] { "$MMAR_ROOT/", "${MMAR_ROOT}/" })
        {
            if (path.StartsWith(prefix, StringComparison.Ordinal))
            {
                return path[prefix.Length..];
            }
        }

        return path;
    }

    private static string StripComment(string line)
    {
        var inSingle = false;
        var inDouble = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\'' && !inDouble)
            {
                inSingle = !inSingle;
            }
            else if (c == '"' && !inSingle)
            {
                inDouble = !inDouble;
            }
            else if (c == '#' && !inSingle && !inDouble && (i == 0 || char.IsWhiteSpace(line[i - 1])))
            {
                return line[..i];
            }
        }

        return line;
    }

    private static List<string> Tokenize(string line, List<int> starts)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        char quote = '\0';
        for (var at = 0; at < line.Length; at++)
        {
            var c = line[at];
            if (current.Length == 0 && !(quote == '\0' && char.IsWhiteSpace(c)))
            {
                starts.Add(at);
            }

            if (quote != '\0')
            {
                current.Append(c);
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                current.Append(c);
            }
            else if (char.IsWhiteSpace(c))
            {
                if (current.Length > 0)
                {
                    tokens.Add(current.ToString());
                    current.Clear();
                }
            }
            else
            {
                current.Append(c);
            }
        }

        if (current.Length > 0)
        {
            tokens.Add(current.ToString());
        }

        return tokens;
    }

    private static string Unquote(string value)
    {
        if (value.Length >= 2 && ((value[0] == '"' && value[^1] == '"') || (value[0] == '\'' && value[^1] == '\'')))
        {
            return value[1..^1];
        }

        return value;
    }

    [GeneratedRegex(@"^(?:export\s+)?(?<name>[A-Za-z_][A-Za-z0-9_]*)=(?<value>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex Assignment();

    [GeneratedRegex(@"^(?:\.|source)\s+\S*set_env\.sh", RegexOptions.CultureInvariant)]
    private static partial Regex SourceSetEnv();

    /// <summary>bash's ${NAME:offset:length}; NVIDIA's own examples use ${CONFIG_FILE_NAME::-5} to drop ".json".</summary>
    private static string? Substring(string value, string offset, string length)
    {
        var start = 0L;
        if (offset.Length > 0 && !long.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out start))
        {
            return null;
        }

        if (start > value.Length)
        {
            return string.Empty;
        }

        if (length.Length == 0)
        {
            return value[(int)start..];
        }

        if (!long.TryParse(length, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            return null;
        }

        var end = n < 0 ? value.Length + n : Math.Min(value.Length, start + n);
        return end < start ? null : value[(int)start..(int)end];
    }

    [GeneratedRegex(@"\$(?:\{(?<a>[A-Za-z_][A-Za-z0-9_]*)(?::(?<off>\d*)(?::(?<len>-?\d+))?)?\}|(?<b>[A-Za-z_][A-Za-z0-9_]*))", RegexOptions.CultureInvariant)]
    private static partial Regex ShellVariable();
}
