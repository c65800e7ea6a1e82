using System;
using System.Collections.Generic;
using System.Linq;

namespace MdaiClara.Engine.Bundles;

/// <summary>What a config value is, as JSON and YAML share them.</summary>
public enum ConfigNodeKind
{
    Object,
    List,
    String,
    Integer,
    Float,
    Boolean,
    Null,
}

/// <summary>
/// One value of a bundle config file (JSON or YAML) with where it starts, so that every value derived from it can name
/// its file, line and column. Objects keep file order; of duplicate keys the last wins (as Python's json and yaml do).
/// </summary>
public sealed class ConfigNode
{
    private readonly List<KeyValuePair<string, ConfigNode>>? _entries;
    private readonly Dictionary<string, int>? _index;
    private readonly List<ConfigNode>? _items;

    private ConfigNode(ConfigNodeKind kind, ConfigPosition position, object? scalar, List<KeyValuePair<string, ConfigNode>>? entries, List<ConfigNode>? items)
    {
        Kind = kind;
        Position = position;
        Scalar = scalar;
        _items = items;
        if (entries is not null)
        {
            _entries = new List<KeyValuePair<string, ConfigNode>>();
            _index = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var e in entries)
            {
                if (_index.TryGetValue(e.Key, out var at))
                {
                    _entries[at] = e;
                }
                else
                {
                    _index[e.Key] = _entries.Count;
                    _entries.Add(e);
                }
            }
        }
    }

    public ConfigNodeKind Kind { get; }

    public ConfigPosition Position { get; }

    /// <summary>The value of a scalar: string, long, double, bool or null.</summary>
    public object? Scalar { get; }

    public static ConfigNode Object(ConfigPosition at, List<KeyValuePair<string, ConfigNode>> entries) => new(ConfigNodeKind.Object, at, null, entries, null);

    public static ConfigNode List(ConfigPosition at, List<ConfigNode> items) => new(ConfigNodeKind.List, at, null, null, items);

    public static ConfigNode Of(ConfigPosition at, object? scalar) => scalar switch
    {
        null => new(ConfigNodeKind.Null, at, null, null, null),
        string => new(ConfigNodeKind.String, at, scalar, null, null),
        long => new(ConfigNodeKind.Integer, at, scalar, null, null),
        double => new(ConfigNodeKind.Float, at, scalar, null, null),
        bool => new(ConfigNodeKind.Boolean, at, scalar, null, null),
        _ => throw new ArgumentException($"Not a config scalar: {scalar.GetType().Name}.", nameof(scalar)),
    };

    /// <summary>The entries of an object, in file order (empty for anything else).</summary>
    public IReadOnlyList<KeyValuePair<string, ConfigNode>> Entries => (IReadOnlyList<KeyValuePair<string, ConfigNode>>?)_entries ?? Array.Empty<KeyValuePair<string, ConfigNode>>();

    /// <summary>The items of a list (empty for anything else).</summary>
    public IReadOnlyList<ConfigNode> Items => (IReadOnlyList<ConfigNode>?)_items ?? Array.Empty<ConfigNode>();

    public string? Text => Scalar as string;

    public bool IsObject => Kind == ConfigNodeKind.Object;

    public bool IsList => Kind == ConfigNodeKind.List;

    /// <summary>True for an object with a "_target_" key: a component MONAI would instantiate.</summary>
    public bool IsComponent => IsObject && _index!.ContainsKey("_target_");

    public ConfigNode? Get(string key) => _index is not null && _index.TryGetValue(key, out var at) ? _entries![at].Value : null;

    /// <summary>A child by one id part: a key of an object, or a decimal index of a list.</summary>
    public ConfigNode? Child(string part)
    {
        if (IsObject)
        {
            return Get(part);
        }

        return IsList && int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) && i < _items!.Count ? _items[i] : null;
    }

    /// <summary>The value as plain .NET data (string, long, double, bool, null, ordered dictionary, object?[]).</summary>
    public object? ToPlain() => Kind switch
    {
        ConfigNodeKind.Object => Entries.Select(e => new KeyValuePair<string, object?>(e.Key, e.Value.ToPlain())).ToList(),
        ConfigNodeKind.List => Items.Select(i => i.ToPlain()).ToArray(),
        _ => Scalar,
    };

    public override string ToString() => Kind switch
    {
        ConfigNodeKind.Object => $"{{{Entries.Count} keys}} at {Position}",
        ConfigNodeKind.List => $"[{Items.Count} items] at {Position}",
        _ => $"{Scalar ?? "null"} at {Position}",
    };
}
