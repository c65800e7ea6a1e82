using System;
using System.Collections.Generic;
using System.Linq;

namespace MdaiClara.Engine.Bundles;

/// <summary>How MONAI calls a component's target (<c>_mode_</c>).</summary>
public enum ComponentMode
{
    /// <summary>Instantiate the class (or call the function) with the arguments.</summary>
    Default,

    /// <summary>A partial: the callable with the arguments bound, not called.</summary>
    Callable,

    /// <summary>Instantiate under the Python debugger.</summary>
    Debug,
}

/// <summary>A resolved JSON object that is not a component: its keys in file order and their resolved values.</summary>
public sealed record ResolvedDict(IReadOnlyList<KeyValuePair<string, object?>> Entries)
{
    public object? this[string key] => Entries.LastOrDefault(e => e.Key == key).Value;

    public override string ToString() => "{" + string.Join(", ", Entries.Select(e => $"{e.Key}: {BundleValues.Display(e.Value)}")) + "}";
}

/// <summary>
/// A config component (<c>{"_target_": …}</c>) with its arguments resolved: references replaced by their values,
/// expressions by what the allow-list makes of them. Nothing is instantiated.
/// </summary>
public sealed record ComponentValue(
    string Id,
    string Target,
    IReadOnlyList<KeyValuePair<string, object?>> Args,
    ComponentMode Mode,
    bool Disabled,
    IReadOnlyList<string> Requires,
    ConfigPosition Position,
    IReadOnlyDictionary<string, ConfigPosition> ArgPositions)
{
    /// <summary>The class name without its module path ("monai.transforms.LoadImaged" → "LoadImaged").</summary>
    public string ShortName => Target.Contains('.', StringComparison.Ordinal) ? Target[(Target.LastIndexOf('.') + 1)..] : Target;

    /// <summary>True for a target in the bundle's own Python code (scripts/…).</summary>
    public bool IsCustomCode => Target.StartsWith("scripts.", StringComparison.Ordinal) || Target == "scripts";

    public object? Arg(string key) => Args.LastOrDefault(a => a.Key == key).Value;

    public override string ToString() =>
        $"{Target}({string.Join(", ", Args.Select(a => $"{a.Key}={BundleValues.Display(a.Value)}"))}){(Disabled ? " [disabled]" : string.Empty)}";
}

/// <summary>A value an expression stands for that is not data: a device, a dtype, a datalist, an output transform.</summary>
public abstract record SymbolicValue(string Expression)
{
    public override string ToString() => Expression;
}

/// <summary><c>torch.device(…)</c>: the run's device (the cmdlet's own device choice replaces it).</summary>
public sealed record DeviceValue(string Expression, string? CudaChoice, string? CpuChoice) : SymbolicValue(Expression);

/// <summary>A numpy or torch dtype ("float32").</summary>
public sealed record DTypeValue(string Name, string Expression) : SymbolicValue(Expression);

/// <summary>A datalist made by globbing files (the cmdlet replaces it with its inputs).</summary>
public sealed record DatalistValue(string? Pattern, string Expression) : SymbolicValue(Expression);

/// <summary><c>from_engine([keys], first=…)</c>: a handler's output transform picking keys of the engine state.</summary>
public sealed record OutputTransformValue(IReadOnlyList<string> Keys, bool First, string Expression) : SymbolicValue(Expression);

/// <summary>Display helpers for resolved values.</summary>
public static class BundleValues
{
    public static string Display(object? value) => value switch
    {
        null => "None",
        string s => s,
        bool b => b ? "True" : "False",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) is var t && t.IndexOfAny(new[] { '.', 'E', 'e', 'N', 'I' }) < 0 ? t + ".0" : d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        ComponentValue c => "@" + c.Id,
        SymbolicValue s => s.Expression,
        object?[] list => "[" + string.Join(", ", list.Select(Display)) + "]",
        _ => value.ToString() ?? string.Empty,
    };
}
