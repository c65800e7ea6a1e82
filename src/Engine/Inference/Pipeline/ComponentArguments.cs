using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Inference.Transforms;

namespace MdaiClara.Engine.Inference.Pipeline;

/// <summary>
/// Typed, checked access to a component's config arguments (JSON values after {VAR} substitution), with Python's
/// leniency where MONAI has it (a scalar where a sequence is allowed is broadcast; "true" is a bool). Every argument a
/// binder reads is marked, so the ones nobody read can be reported.
/// </summary>
public sealed class ComponentArguments
{
    private readonly ComponentSpec _spec;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public ComponentArguments(ComponentSpec spec) => _spec = spec;

    /// <summary>The component's name and where it is written, for messages ("Spacingd (config/config_inference.json:12:7)").</summary>
    public string Component => _spec.Location is { } at ? $"{_spec.Name} ({_spec.File}:{at.Line}:{at.Column})" : $"{_spec.Name} ({_spec.File})";

    public string Name => _spec.Name;

    /// <summary>The key an array (non-dictionary) transform works on: "image" before the inferer, "pred" after.</summary>
    public string? DefaultKey { get; init; }

    /// <summary>True when the name is a dictionary transform's ("Spacingd"), false for an array transform ("Spacing", "CropForeground").</summary>
    public bool IsDictionaryTransform => Transforms.TransformCatalog.IsDictionaryForm(_spec.CanonicalName);

    public bool Has(string name)
    {
        _read.Add(name);
        return _spec.Args.TryGetValue(name, out var v) && v is not null;
    }

    /// <summary>True when the config writes the argument at all, even as null.</summary>
    public bool IsPresent(string name)
    {
        _read.Add(name);
        return _spec.Args.ContainsKey(name);
    }

    /// <summary>Arguments present in the config that no binder read.</summary>
    public IEnumerable<string> Unread => _spec.Args.Keys.Where(k => !_read.Contains(k));

    /// <summary>Marks arguments that do not change results here (meta_keys, allow_missing_keys, device, …) as read.</summary>
    public void Ignore(params string[] names)
    {
        foreach (var n in names)
        {
            _read.Add(n);
        }
    }

    /// <summary>The keys of a dictionary transform (<c>keys</c>, Clara 3.x <c>fields</c>); required.</summary>
    public string[] Keys()
    {
        _read.Add("keys");
        _read.Add("fields");
        var keys = _spec.Keys;
        if (keys.Length == 0)
        {
            throw TransformErrors.Argument(Component, "keys", "is missing or empty; a dictionary transform needs the keys it works on");
        }

        return keys;
    }

    public object? Raw(string name)
    {
        _read.Add(name);
        return _spec.Args.TryGetValue(name, out var v) ? v : null;
    }

    public bool Bool(string name, bool fallback) => Raw(name) switch
    {
        null => fallback,
        bool b => b,
        long l when l is 0 or 1 => l == 1,
        string s when bool.TryParse(s, out var b) => b,
        var other => throw Wrong(name, "a boolean", other),
    };

    public double Double(string name, double fallback) => DoubleOrNull(name) ?? fallback;

    public double? DoubleOrNull(string name) => Raw(name) switch
    {
        null => null,
        var v => ToDouble(name, v),
    };

    public int Int(string name, int fallback) => IntOrNull(name) ?? fallback;

    public int? IntOrNull(string name) => Raw(name) switch
    {
        null => null,
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        double d when d == Math.Floor(d) && Math.Abs(d) < int.MaxValue => (int)d,
        string s when int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) => i,
        var other => throw Wrong(name, "an integer", other),
    };

    public string? String(string name) => Raw(name) switch
    {
        null => null,
        string s => s,
        var other => throw Wrong(name, "a string", other),
    };

    /// <summary>A number or a sequence of numbers; null when absent.</summary>
    public double[]? Doubles(string name) => Raw(name) switch
    {
        null => null,
        object?[] list => list.Select(v => ToDouble(name, v)).ToArray(),
        var v => new[] { ToDouble(name, v) },
    };

    /// <summary>A number or a sequence of <paramref name="count"/> numbers, broadcast to <paramref name="count"/>; null when absent.</summary>
    public double[]? PerAxis(string name, int count)
    {
        var values = Doubles(name);
        if (values is null)
        {
            return null;
        }

        if (values.Length == 1)
        {
            return Enumerable.Repeat(values[0], count).ToArray();
        }

        if (values.Length != count)
        {
            throw TransformErrors.Argument(Component, name, $"has {values.Length} values where 1 or {count} (one per spatial axis) are expected");
        }

        return values;
    }

    /// <summary>Integers, like <see cref="Doubles"/>.</summary>
    public long[]? Longs(string name) => Doubles(name)?.Select(v =>
        v == Math.Floor(v) ? (long)v : throw TransformErrors.Argument(Component, name, $"holds {v.ToString(CultureInfo.InvariantCulture)} where whole numbers are expected")).ToArray();

    /// <summary>A string, or one per key (MONAI's per-key mode/padding_mode lists); the value for key number <paramref name="index"/>.</summary>
    public string? PerKeyString(string name, int index, int keyCount) => Raw(name) switch
    {
        null => null,
        string s => s,
        object?[] list when list.Length == keyCount && list[index] is string s => s,
        object?[] list when list.Length == 1 && list[0] is string s => s,
        var other => throw Wrong(name, $"a string or a list of {keyCount} strings (one per key)", other),
    };

    /// <summary>A bool, or one per key.</summary>
    public bool PerKeyBool(string name, int index, int keyCount, bool fallback) => Raw(name) switch
    {
        null => fallback,
        bool b => b,
        object?[] list when list.Length == keyCount && list[index] is bool b => b,
        object?[] list when list.Length == 1 && list[0] is bool b => b,
        var other => throw Wrong(name, $"a boolean or a list of {keyCount} booleans (one per key)", other),
    };

    private double ToDouble(string name, object? value) => value switch
    {
        long l => l,
        double d => d,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => throw Wrong(name, "a number", value),
    };

    private Exception Wrong(string name, string expected, object? value) =>
        TransformErrors.Argument(Component, name, $"is {(value is string s ? $"\"{s}\"" : ConfigObject.Format(value))}, but must be {expected}");
}
