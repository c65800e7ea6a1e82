using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MdaiClara.Engine.Bundles;

/// <summary>
/// Merges a list of config files as MONAI's ConfigParser does for <c>--config_file "['a.json','b.json']"</c>: the
/// top-level keys of each file are set in file order, a later file's value replacing the earlier one whole (no deep
/// merge), and a key with "#" or "::" ("validate#dataset#cache_rate") sets the item at that id inside what is already
/// there. As MONAI does, such a key needs its parent to exist already (a dict, or a list with that index). Every node
/// keeps the position of the file it came from.
/// </summary>
public static class ConfigMerger
{
    /// <summary>The merged root (an object); each key that cannot be set is a problem at its position, and the rest go on.</summary>
    public static ConfigNode Merge(IReadOnlyList<ConfigFile> files, List<BundleEvaluationProblem> problems)
    {
        System.ArgumentNullException.ThrowIfNull(files);
        System.ArgumentNullException.ThrowIfNull(problems);
        ConfigNode? root = null;
        foreach (var file in files)
        {
            if (file.Root is not { } content)
            {
                continue;
            }

            if (!content.IsObject)
            {
                problems.Add(new(content.Position, $"{file.RelativePath} is a {content.Kind.ToString().ToLowerInvariant()}, not an object of config items; MONAI merges config files by their top-level keys", null));
                continue;
            }

            root ??= ConfigNode.Object(content.Position, new List<KeyValuePair<string, ConfigNode>>());
            foreach (var (key, value) in content.Entries)
            {
                var parts = ConfigIds.Split(key);
                if (parts.Length == 0)
                {
                    problems.Add(new(value.Position, "an empty key would replace the whole config; MdaiClara does not merge that"));
                    continue;
                }

                if (Set(root, parts, 0, value, key, problems) is { } merged)
                {
                    root = merged;
                }
            }
        }

        return root ?? ConfigNode.Object(new ConfigPosition(files.FirstOrDefault()?.RelativePath ?? string.Empty, 1, 1), new List<KeyValuePair<string, ConfigNode>>());
    }

    /// <summary><paramref name="parent"/> with the item at parts[at..] set to <paramref name="value"/>; null (and a problem) when its parent is missing.</summary>
    private static ConfigNode? Set(ConfigNode parent, string[] parts, int at, ConfigNode value, string key, List<BundleEvaluationProblem> problems)
    {
        var part = parts[at];
        if (at < parts.Length - 1)
        {
            var child = parent.Child(part);
            if (child is null || !(child.IsObject || child.IsList))
            {
                var missing = string.Join(ConfigIds.Separator, parts.Take(at + 1));
                problems.Add(new(value.Position, child is null
                    ? $"'{key}' sets an item inside '{missing}', which the configs before it do not have (MONAI refuses that too)"
                    : $"'{key}' sets an item inside '{missing}', which is a {child.Kind.ToString().ToLowerInvariant()}, not an object or list", ConfigProblemKind.MissingReference));
                return null;
            }

            var replaced = Set(child, parts, at + 1, value, key, problems);
            return replaced is null ? null : Replace(parent, part, replaced, key, value, problems);
        }

        return Replace(parent, part, value, key, value, problems);
    }

    private static ConfigNode? Replace(ConfigNode parent, string part, ConfigNode child, string key, ConfigNode value, List<BundleEvaluationProblem> problems)
    {
        if (parent.IsObject)
        {
            var entries = parent.Entries.ToList();
            var index = entries.FindIndex(e => e.Key == part);
            if (index >= 0)
            {
                entries[index] = new(part, child);
            }
            else
            {
                entries.Add(new(part, child));
            }

            return ConfigNode.Object(parent.Position, entries);
        }

        if (parent.IsList && int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < parent.Items.Count)
        {
            var items = parent.Items.ToList();
            items[i] = child;
            return ConfigNode.List(parent.Position, items);
        }

        problems.Add(new(value.Position, $"'{key}' sets item '{part}' of a list of {parent.Items.Count}, which it does not have", ConfigProblemKind.MissingReference));
        return null;
    }
}
