using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Bundles;
using MdaiClara.Engine.Diagnostics;

namespace MdaiClara.Engine.Validation.Bundles;

/// <summary>
/// Paths that lead outside the bundle: zip entries that would land outside its folder (never read), and config values
/// that climb out with '..' or name absolute paths (MONAI would read or write there, not in the bundle).
/// </summary>
internal static class BundlePathRules
{
    public static IEnumerable<BundleFinding> Check(BundleAnalysis analysis)
    {
        foreach (var entry in analysis.Source.EscapingEntries)
        {
            yield return new BundleFinding(BundleRuleIds.PathEscapesBundle, FindingSeverity.Error,
                $"The zip entry '{entry}' would land outside the bundle's folder; it was not read. Re-create the zip from the bundle folder.", entry);
        }

        if (analysis.InferenceFile?.Root is not { } root)
        {
            yield break;
        }

        foreach (var (id, node) in Strings(root, string.Empty))
        {
            var text = node.Text!;
            if (text.StartsWith('$') || text.StartsWith('@') || text.StartsWith('%') && !text.Contains('/', System.StringComparison.Ordinal))
            {
                // Expressions are checked through what they resolve to (below); references are not paths.
                continue;
            }

            var path = text.StartsWith('%') ? text[1..] : text;
            var escapes = path.Replace('\\', '/').Split('/').Contains("..") && BundleSource.NormalizeInside(path) is null;
            var absolute = path.StartsWith('/') && path.Length > 1 && !path.StartsWith("//", System.StringComparison.Ordinal);
            if (escapes || (absolute && LooksLikePath(path)))
            {
                var datalist = id.Contains("dataset_dir", System.StringComparison.Ordinal) || id.Contains("data", System.StringComparison.Ordinal);
                yield return new BundleFinding(BundleRuleIds.PathEscapesBundle, datalist ? FindingSeverity.Information : FindingSeverity.Warning,
                    $"\"{id}\" is '{text}', {(escapes ? "which climbs out of the bundle with '..'" : "an absolute path outside the bundle")}"
                    + (datalist ? "; MdaiClara replaces the datalist with its own inputs." : "; MONAI would read or write there, not in the bundle folder. Make it relative to @bundle_root."),
                    node.Position.File, node.Position.Line, node.Position.Column);
            }
        }
    }

    private static bool LooksLikePath(string text) => text.Count(c => c == '/') >= 1 && !text.Contains(' ', System.StringComparison.Ordinal);

    private static IEnumerable<(string Id, ConfigNode Node)> Strings(ConfigNode node, string id)
    {
        if (node.Kind == ConfigNodeKind.String)
        {
            yield return (id, node);
        }

        var children = node.IsObject
            ? node.Entries.Select(e => (ConfigIds.Join(id, e.Key), e.Value))
            : node.Items.Select((item, i) => (ConfigIds.Join(id, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), item));
        foreach (var (childId, child) in children)
        {
            foreach (var s in Strings(child, childId))
            {
                yield return s;
            }
        }
    }
}
