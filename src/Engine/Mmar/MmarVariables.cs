using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Mmar;

/// <summary>One variable a config can refer to as <c>{NAME}</c>, and where its value came from.</summary>
public sealed record MmarVariable(string Name, object? Value, string Source)
{
    /// <summary>Where the winning value is written in <see cref="Source"/>, when it is known there (an infer.sh --set pair).</summary>
    public SourceLocation? Location { get; init; }
}

/// <summary>A <c>{NAME}</c> placeholder that no variable defines.</summary>
public sealed record UnresolvedPlaceholder(string Name, string JsonPointer);

/// <summary>
/// Clara's variable substitution. Precedence, highest first: <c>--set</c> pairs of commands/infer.sh, then
/// config/environment.json, then the config's own top-level scalars (Clara: globals "can be overwritten through
/// the environment.json or even command line"). A string that is exactly <c>{NAME}</c> takes the variable's
/// value with its type (so <c>"disabled": "{dont_load_ts_model}"</c> becomes a bool); a placeholder inside a
/// longer string is replaced by the value's text. Python code (<c>lambda …</c>, <c>#…</c>) is left alone.
/// </summary>
public sealed partial class MmarVariables
{
    private const int MaxDepth = 8;

    /// <summary>Placeholders one resolution may substitute; a chain like {L2} = "{L1}{L1}…" multiplies at every level.</summary>
    internal const int MaxSubstitutions = 100_000;

    /// <summary>Characters one resolved string may reach; no MMAR value comes near (paths, names, short lists).</summary>
    internal const int MaxExpandedLength = 1 << 20;

    private readonly Dictionary<string, MmarVariable> _variables;

    private MmarVariables(Dictionary<string, MmarVariable> variables) => _variables = variables;

    public IReadOnlyCollection<MmarVariable> All => _variables.Values;

    /// <summary>Where a value given with <c>infer.sh --set</c> comes from, in messages.</summary>
    public const string CommandLineSource = "commands/infer.sh";

    public static MmarVariables Build(ConfigObject? configGlobals, string? configFile, ConfigObject? environment, IReadOnlyDictionary<string, string>? commandLineSet, string environmentFile = "config/environment.json", IReadOnlyDictionary<string, SourceLocation>? commandLineLocations = null)
    {
        var vars = new Dictionary<string, MmarVariable>(StringComparer.Ordinal);
        if (configGlobals is not null)
        {
            foreach (var (k, v) in configGlobals)
            {
                if (v is not ConfigObject and not object?[])
                {
                    vars[k] = new MmarVariable(k, v, configFile ?? "config");
                }
            }
        }

        if (environment is not null)
        {
            foreach (var (k, v) in environment)
            {
                vars[k] = new MmarVariable(k, v, environmentFile);
            }
        }

        if (commandLineSet is not null)
        {
            foreach (var (k, v) in commandLineSet)
            {
                vars[k] = new MmarVariable(k, ParseCommandLineValue(v), CommandLineSource) { Location = commandLineLocations?.GetValueOrDefault(k) };
            }
        }

        return new MmarVariables(vars);
    }

    public bool TryGet(string name, out MmarVariable variable) => _variables.TryGetValue(name, out variable!);

    public object? this[string name] => _variables.TryGetValue(name, out var v) ? Resolve(v.Value, "", null) : null;

    /// <summary>Returns a copy of <paramref name="value"/> with every placeholder substituted.</summary>
    public object? Resolve(object? value, string pointer, List<UnresolvedPlaceholder>? unresolved) => Resolve(value, pointer, unresolved, 0, new Expansion());

    public string? ResolveString(object? value, string pointer = "", List<UnresolvedPlaceholder>? unresolved = null) =>
        Text(Resolve(value, pointer, unresolved));

    /// <summary>A resolved value as the text Clara substitutes into a longer string.</summary>
    private static string? Text(object? resolved) =>
        resolved switch
        {
            null => null,
            string s => s,
            bool b => b ? "True" : "False",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            var other => other.ToString(),
        };

    private object? Resolve(object? value, string pointer, List<UnresolvedPlaceholder>? unresolved, int depth, Expansion expansion)
    {
        switch (value)
        {
            case string s:
                return ResolveText(s, pointer, unresolved, depth, expansion);
            case ConfigObject o:
                return new ConfigObject(o.Select(e => new KeyValuePair<string, object?>(
                    e.Key, Resolve(e.Value, pointer + "/" + ParsedJsonFile.EscapePointerToken(e.Key), unresolved, depth, expansion))));
            case object?[] list:
                return list.Select((item, i) => Resolve(item, pointer + "/" + i.ToString(CultureInfo.InvariantCulture), unresolved, depth, expansion)).ToArray();
            default:
                return value;
        }
    }

    private object? ResolveText(string text, string pointer, List<UnresolvedPlaceholder>? unresolved, int depth, Expansion expansion)
    {
        if (IsPythonCode(text) || depth > MaxDepth || text.IndexOf('{') < 0)
        {
            return text;
        }

        var whole = WholePlaceholder().Match(text);
        if (whole.Success)
        {
            var name = whole.Groups[1].Value;
            if (_variables.TryGetValue(name, out var v))
            {
                return Substitute(v, pointer, unresolved, depth, expansion);
            }

            unresolved?.Add(new UnresolvedPlaceholder(name, pointer));
            return text;
        }

        var length = (long)text.Length;
        return Placeholder().Replace(text, m =>
        {
            var name = m.Groups[1].Value;
            if (!_variables.TryGetValue(name, out var v))
            {
                unresolved?.Add(new UnresolvedPlaceholder(name, pointer));
                return m.Value;
            }

            var replacement = Text(Substitute(v, pointer, unresolved, depth, expansion)) ?? string.Empty;
            length += replacement.Length - m.Length;
            if (length > MaxExpandedLength)
            {
                expansion.Chain.Push(v);
                throw expansion.TooLarge($"a value longer than the {MaxExpandedLength:N0} characters allowed", pointer);
            }

            return replacement;
        });
    }

    /// <summary>One placeholder replaced by its variable's resolved value, counted against the expansion's budget.</summary>
    private object? Substitute(MmarVariable variable, string pointer, List<UnresolvedPlaceholder>? unresolved, int depth, Expansion expansion)
    {
        if (++expansion.Substitutions > MaxSubstitutions)
        {
            expansion.Chain.Push(variable);
            throw expansion.TooLarge($"more than {MaxSubstitutions:N0} placeholder substitutions", pointer);
        }

        expansion.Chain.Push(variable);
        var value = Resolve(variable.Value, pointer, unresolved, depth + 1, expansion);
        expansion.Chain.Pop();
        return value;
    }

    /// <summary>The budget of one resolution, and the chain of variables being expanded (for the message).</summary>
    private sealed class Expansion
    {
        public int Substitutions { get; set; }

        public Stack<MmarVariable> Chain { get; } = new();

        public MdaiClaraException TooLarge(string what, string pointer)
        {
            var chain = Chain.Reverse().ToList();
            var top = chain[0];
            var path = string.Join(" → ", chain.Select(v => "{" + v.Name + "}").Distinct(StringComparer.Ordinal));
            var where = pointer.Length > 0 ? $" (used at {pointer})" : string.Empty;
            return new MdaiClaraException(
                $"The variable {{{top.Name}}} from {top.Source}{where} explodes when its placeholders are expanded: {what} ({path}). Each level of this chain refers to the next several times, so the text grows exponentially; make the variables refer to each other at most a few times.",
                ErrorIds.MmarVariableExpansionTooLarge, ErrorKind.InvalidData, top.Source);
        }
    }

    internal static bool IsPythonCode(string text)
    {
        var t = text.TrimStart();
        return t.StartsWith("lambda", StringComparison.Ordinal) || t.StartsWith('#') || t.StartsWith('$');
    }

    /// <summary>Clara parses <c>--set</c> values as Python literals where it can.</summary>
    private static object? ParseCommandLineValue(string raw) => raw switch
    {
        "True" or "true" => true,
        "False" or "false" => false,
        "None" => null,
        _ when long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
        _ when double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => raw,
    };

    [GeneratedRegex(@"^\{([A-Za-z_][A-Za-z0-9_]*)\}$", RegexOptions.CultureInvariant)]
    private static partial Regex WholePlaceholder();

    [GeneratedRegex(@"\{([A-Za-z_][A-Za-z0-9_]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
