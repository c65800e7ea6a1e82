using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MdaiClara.Engine.Bundles;

/// <summary>Reads configs/metadata.json's fields and network_data_format, each with the position it came from.</summary>
internal sealed class BundleMetadataReader
{
    private readonly ConfigNode? _root;
    private readonly List<DerivedValue> _derived;

    public BundleMetadataReader(ConfigFile? metadata, List<DerivedValue> derived)
    {
        _root = metadata?.Root is { IsObject: true } r ? r : null;
        _derived = derived;
    }

    /// <summary>A string field at a dotted path ("network_data_format.outputs.pred.format"), recorded with its source.</summary>
    public string? Text(string name, string path) => Record(name, path, n => n.Kind == ConfigNodeKind.String ? n.Text : null) as string;

    public int? Integer(string name, string path) =>
        Record(name, path, n => n.Scalar is long v && v is >= 0 and <= int.MaxValue ? (object)(int)v : null) as int?;

    public ConfigNode? Node(string path)
    {
        var node = _root;
        foreach (var part in path.Split('.'))
        {
            node = node?.Get(part);
        }

        return node;
    }

    public IReadOnlyDictionary<string, string> Packages()
    {
        var node = Node("optional_packages_version");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in node?.Entries ?? Array.Empty<KeyValuePair<string, ConfigNode>>())
        {
            result[key] = value.Scalar is string s ? s : BundleValues.Display(value.Scalar);
        }

        if (node is not null)
        {
            _derived.Add(new DerivedValue("OptionalPackages", string.Join(", ", result.Select(p => $"{p.Key}=={p.Value}")), Where(node, "optional_packages_version")));
        }

        return result;
    }

    /// <summary>channel_def's names ordered by channel ("0": "background", "1": "spleen").</summary>
    public IReadOnlyList<string> Labels(string path)
    {
        var node = Node(path);
        if (node is not { IsObject: true })
        {
            return Array.Empty<string>();
        }

        var byIndex = new SortedDictionary<int, string>();
        foreach (var (key, value) in node.Entries)
        {
            if (int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && value.Text is { } label && i < 10_000)
            {
                byIndex[i] = label;
            }
        }

        var labels = Enumerable.Range(0, byIndex.Count == 0 ? 0 : byIndex.Keys.Max() + 1)
            .Select(i => byIndex.TryGetValue(i, out var l) ? l : $"class {i}")
            .ToList();
        _derived.Add(new DerivedValue("Labels", string.Join(", ", labels), Where(node, path)));
        return labels;
    }

    public IReadOnlyList<long?>? Shape(string name, string path)
    {
        var node = Node(path);
        if (node is not { IsList: true })
        {
            return null;
        }

        var shape = node.Items.Select(i => i.Scalar is long n ? n : (long?)null).ToList();
        _derived.Add(new DerivedValue(name, "[" + string.Join(", ", node.Items.Select(i => BundleValues.Display(i.Scalar))) + "]", Where(node, path)));
        return shape;
    }

    public void Add(string name, object? value, string source) => _derived.Add(new DerivedValue(name, value, source));

    public static string Where(ConfigNode node, string path) => $"{node.Position} {path}";

    private object? Record(string name, string path, Func<ConfigNode, object?> read)
    {
        var node = Node(path);
        var value = node is null ? null : read(node);
        if (value is not null)
        {
            _derived.Add(new DerivedValue(name, value, Where(node!, path)));
        }

        return value;
    }
}
