using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace MdaiClara.Engine.Configs;

/// <summary>
/// A JSON object from a model config (an MMAR's or a MONAI bundle's) as plain .NET data: values are string, long, double, bool, null,
/// <see cref="ConfigObject"/> or <c>object?[]</c>. Keys keep file order (Python's json keeps it too,
/// and users read configs in that order). Read-only, so records holding it stay immutable.
/// </summary>
public sealed class ConfigObject : IReadOnlyDictionary<string, object?>, IDictionary
{
    private readonly List<KeyValuePair<string, object?>> _entries;
    private readonly Dictionary<string, int> _index;

    public static ConfigObject Empty { get; } = new(Array.Empty<KeyValuePair<string, object?>>());

    public ConfigObject(IEnumerable<KeyValuePair<string, object?>> entries)
    {
        _entries = new List<KeyValuePair<string, object?>>();
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            // Python's json keeps the last of duplicate keys; so do we.
            if (_index.TryGetValue(entry.Key, out var at))
            {
                _entries[at] = entry;
            }
            else
            {
                _index[entry.Key] = _entries.Count;
                _entries.Add(entry);
            }
        }
    }

    public object? this[string key] => _entries[_index[key]].Value;

    public IEnumerable<string> Keys => _entries.Select(e => e.Key);

    public IEnumerable<object?> Values => _entries.Select(e => e.Value);

    public int Count => _entries.Count;

    public bool ContainsKey(string key) => _index.ContainsKey(key);

    public bool TryGetValue(string key, out object? value)
    {
        if (_index.TryGetValue(key, out var at))
        {
            value = _entries[at].Value;
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>The value as a string when it is one, else null.</summary>
    public string? GetString(string key) => TryGetValue(key, out var v) ? v as string : null;

    public ConfigObject? GetObject(string key) => TryGetValue(key, out var v) ? v as ConfigObject : null;

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Compact Python-like rendering, used in component summaries.</summary>
    public override string ToString() => Format(this);

    public static string Format(object? value)
    {
        var sb = new StringBuilder();
        Append(sb, value);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null:
                sb.Append("null");
                break;
            case string s:
                sb.Append(s);
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case double d:
                // Keep Python's float look (1.0, not 1): the int/float distinction matters to some transforms.
                var text = d.ToString("R", CultureInfo.InvariantCulture);
                sb.Append(text);
                if (double.IsFinite(d) && text.IndexOfAny(new[] { '.', 'E', 'e' }) < 0)
                {
                    sb.Append(".0");
                }

                break;
            case IFormattable f:
                sb.Append(f.ToString(null, CultureInfo.InvariantCulture));
                break;
            case ConfigObject o:
                sb.Append('{');
                var first = true;
                foreach (var (k, v) in o)
                {
                    if (!first)
                    {
                        sb.Append(", ");
                    }

                    first = false;
                    sb.Append(k).Append(": ");
                    Append(sb, v);
                }

                sb.Append('}');
                break;
            case object?[] list:
                sb.Append('[');
                for (var i = 0; i < list.Length; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }

                    Append(sb, list[i]);
                }

                sb.Append(']');
                break;
            default:
                sb.Append(value);
                break;
        }
    }

    // Read-only IDictionary so PowerShell shows and indexes it like a hashtable.
    bool IDictionary.IsFixedSize => true;

    bool IDictionary.IsReadOnly => true;

    ICollection IDictionary.Keys => _entries.Select(e => e.Key).ToArray();

    ICollection IDictionary.Values => _entries.Select(e => e.Value).ToArray();

    bool ICollection.IsSynchronized => false;

    object ICollection.SyncRoot => this;

    object? IDictionary.this[object key]
    {
        get => key is string s && TryGetValue(s, out var v) ? v : null;
        set => throw new NotSupportedException("Model configuration objects are read-only.");
    }

    void IDictionary.Add(object key, object? value) => throw new NotSupportedException("Model configuration objects are read-only.");

    void IDictionary.Clear() => throw new NotSupportedException("Model configuration objects are read-only.");

    bool IDictionary.Contains(object key) => key is string s && ContainsKey(s);

    IDictionaryEnumerator IDictionary.GetEnumerator() => new Enumerator(_entries);

    void IDictionary.Remove(object key) => throw new NotSupportedException("Model configuration objects are read-only.");

    void ICollection.CopyTo(Array array, int index)
    {
        foreach (var e in _entries)
        {
            array.SetValue(new DictionaryEntry(e.Key, e.Value), index++);
        }
    }

    private sealed class Enumerator : IDictionaryEnumerator
    {
        private readonly List<KeyValuePair<string, object?>> _entries;
        private int _at = -1;

        public Enumerator(List<KeyValuePair<string, object?>> entries) => _entries = entries;

        public DictionaryEntry Entry => new(_entries[_at].Key, _entries[_at].Value);

        public object Key => _entries[_at].Key;

        public object? Value => _entries[_at].Value;

        public object Current => Entry;

        public bool MoveNext() => ++_at < _entries.Count;

        public void Reset() => _at = -1;
    }
}
