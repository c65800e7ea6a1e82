using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace MdaiClara.Engine.Mmar.Repair;

/// <summary>What became of one Python lambda of a Clara 4.0 config.</summary>
public enum LambdaMigrationOutcome
{
    /// <summary>It means the same under MONAI 0.8.1 (<c>lambda x: None</c>).</summary>
    Unchanged,

    /// <summary>Rewritten to its MONAI 0.8.1 form.</summary>
    Migrated,

    /// <summary>Not one of the forms whose 0.8.1 equivalent is known.</summary>
    Unknown,
}

/// <summary>
/// The Clara 4.0 → 4.1 forms of the lambdas Clara's handlers and metrics take. MONAI 0.6 decollates the engine's
/// batch and output into a list of per-item dictionaries, so <c>lambda x: x['pred']</c> fails on 0.8.1 with "list
/// indices must be integers or slices, not str". NVIDIA's own 4.1 configs use <c>monai.handlers.from_engine</c>:
/// <c>lambda x: x['image_meta_dict']</c> → <c>#monai.handlers.from_engine(['image_meta_dict'])</c>,
/// <c>lambda x: (x['pred'], x['label'])</c> → <c>#monai.handlers.from_engine(['pred', 'label'])</c>, and the loss
/// (one value per iteration) with <c>first=True</c>. Anything else is reported, never guessed.
/// </summary>
public static partial class LambdaMigrations
{
    /// <param name="lambda">The config value (a string starting with "lambda").</param>
    /// <param name="renamedKeys">Keys that the migration renames (TransformInverter's "pred_inverted" is "pred" after Invertd).</param>
    public static (LambdaMigrationOutcome Outcome, string? Replacement) Migrate(string lambda, IReadOnlyDictionary<string, string>? renamedKeys = null)
    {
        var text = lambda.Trim();
        if (ReturnsNone().IsMatch(text))
        {
            return (LambdaMigrationOutcome.Unchanged, null);
        }

        var keys = ItemKeys(text);
        if (keys is null)
        {
            return (LambdaMigrationOutcome.Unknown, null);
        }

        var renamed = keys.Select(k => renamedKeys is not null && renamedKeys.TryGetValue(k, out var r) ? r : k).ToList();
        var list = string.Join(", ", renamed.Select(k => $"'{k}'"));
        var first = renamed is ["loss"] ? ", first=True" : string.Empty;
        return (LambdaMigrationOutcome.Migrated, $"#monai.handlers.from_engine([{list}]{first})");
    }

    /// <summary>The keys a lambda of the form <c>lambda x: x['a']</c> or <c>lambda x: (x['a'], x['b'])</c> reads; null for any other form.</summary>
    public static IReadOnlyList<string>? ItemKeys(string lambda)
    {
        var match = Lambda().Match(lambda.Trim());
        if (!match.Success)
        {
            return null;
        }

        var parameter = match.Groups["p"].Value;
        var body = match.Groups["body"].Value.Trim();
        var tuple = body.StartsWith('(') && body.EndsWith(')');
        if (tuple)
        {
            body = body[1..^1];
        }

        var parts = body.Split(',', StringSplitOptions.TrimEntries).Where(p => p.Length > 0).ToList();
        if (parts.Count == 0 || (!tuple && parts.Count != 1))
        {
            return null;
        }

        var keys = new List<string>();
        foreach (var part in parts)
        {
            var item = Item().Match(part);
            if (!item.Success || item.Groups["p"].Value != parameter)
            {
                return null;
            }

            keys.Add(item.Groups["k"].Value);
        }

        return keys;
    }

    [GeneratedRegex(@"^lambda\s+\w+\s*:\s*None$", RegexOptions.CultureInvariant)]
    private static partial Regex ReturnsNone();

    [GeneratedRegex(@"^lambda\s+(?<p>\w+)\s*:(?<body>.+)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex Lambda();

    [GeneratedRegex(@"^(?<p>\w+)\s*\[\s*(?<q>['""])(?<k>\w+)\k<q>\s*\]$", RegexOptions.CultureInvariant)]
    private static partial Regex Item();
}
