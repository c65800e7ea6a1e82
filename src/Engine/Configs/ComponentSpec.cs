using System;
using System.Linq;

namespace MdaiClara.Engine.Configs;

/// <summary>
/// One pluggable object of a model config: a transform, an inferer or a handler, with its arguments resolved, and where
/// the config writes it (file, JSON pointer, line:column) so errors can point there. A Clara MMAR writes them as
/// <c>{"name": …, "args": {…}}</c> or BYOC <c>{"path": …}</c> (arguments after <c>{VAR}</c> substitution); a MONAI
/// bundle as <c>{"_target_": …, …}</c> (arguments after reference resolution).
/// </summary>
public sealed record ComponentSpec(
    string Name,
    string CanonicalName,
    bool IsCustomCode,
    ConfigObject Args,
    bool Disabled,
    string File,
    string JsonPointer,
    SourceLocation? Location)
{
    /// <summary>
    /// The name MONAI would resolve: namespace prefixes dropped and the <c>D</c>/<c>Dict</c> aliases of dictionary
    /// transforms folded onto the <c>d</c> form (<c>ScaleIntensityRangeD</c> → <c>ScaleIntensityRanged</c>).
    /// </summary>
    public static string Canonicalize(string name)
    {
        var n = name.Trim();
        foreach (var prefix in new[] { "monai.transforms.", "monai.inferers.", "monai.handlers.", "monai.apps.", "monai.engines.", "monai.networks.nets.", "monai.data." })
        {
            if (n.StartsWith(prefix, StringComparison.Ordinal))
            {
                n = n[(n.LastIndexOf('.') + 1)..];
                break;
            }
        }

        if (n.EndsWith("Dict", StringComparison.Ordinal) && n.Length > 4 && char.IsLower(n[^5]))
        {
            return n[..^4] + "d";
        }

        if (n.EndsWith('D') && n.Length > 1 && char.IsLower(n[^2]))
        {
            return n[..^1] + "d";
        }

        return n;
    }

    /// <summary>Keys of a dictionary transform (<c>keys</c>, or Clara 3.x <c>fields</c>), as a list.</summary>
    public string[] Keys =>
        (Args.TryGetValue("keys", out var k) ? k : Args.TryGetValue("fields", out var f) ? f : null) switch
        {
            string s => new[] { s },
            object?[] list => list.OfType<string>().ToArray(),
            _ => Array.Empty<string>(),
        };

    public override string ToString()
    {
        var args = string.Join(", ", Args.Select(a => $"{a.Key}={ConfigObject.Format(a.Value)}"));
        return $"{Name}({args}){(Disabled ? " [disabled]" : string.Empty)}";
    }
}
