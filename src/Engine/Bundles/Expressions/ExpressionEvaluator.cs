using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace MdaiClara.Engine.Bundles.Expressions;

/// <summary>
/// Reads a bundle's "$" expression without running Python: an allow-list of the forms the Model Zoo's inference configs
/// use. Literals, "@id" references and arithmetic on them; string concatenation (<c>@bundle_root + '/x'</c>);
/// <c>os.path.join</c>; numpy and torch dtypes; <c>monai.utils.CommonKeys.*</c>; <c>torch.device(…)</c> with a
/// CUDA-or-CPU choice; <c>from_engine([...])</c>; glob datalists (<c>sorted(glob.glob(…))</c>, <c>list(…)</c>); import
/// statements. Anything else, and anything in the bundle's own <c>scripts</c> package, is refused.
/// </summary>
public sealed partial class ExpressionEvaluator
{
    /// <summary>The names MONAI's ConfigParser binds for every expression before any import.</summary>
    private static readonly Dictionary<string, string> DefaultGlobals = new(StringComparer.Ordinal)
    {
        ["monai"] = "monai", ["torch"] = "torch", ["np"] = "numpy", ["numpy"] = "numpy",
    };

    private static readonly Dictionary<string, string> CommonKeys = new(StringComparer.Ordinal)
    {
        ["IMAGE"] = "image", ["LABEL"] = "label", ["PRED"] = "pred", ["LOSS"] = "loss", ["METADATA"] = "metadata",
    };

    private static readonly HashSet<string> PythonBuiltins = new(StringComparer.Ordinal)
    {
        "eval", "exec", "compile", "open", "setattr", "getattr", "delattr", "globals", "locals", "vars", "__import__", "print", "input", "zip", "map", "filter", "range", "len", "dict", "set", "tuple", "enumerate", "isinstance", "type",
    };

    private readonly Func<string, int, object?> _resolveReference;
    private readonly IReadOnlyDictionary<string, string> _imports;

    /// <param name="resolveReference">Resolves "@id" (the offset is where the reference stands in the expression).</param>
    /// <param name="imports">Names bound by the config's import statements, to the module they stand for.</param>
    public ExpressionEvaluator(Func<string, int, object?> resolveReference, IReadOnlyDictionary<string, string> imports)
    {
        _resolveReference = resolveReference;
        _imports = imports;
    }

    /// <summary>A module name path (<c>os.path.join</c>, <c>torch.cuda.is_available</c>) met during evaluation.</summary>
    private sealed record ModuleName(string Dotted);

    /// <summary>The value of an expression (the text after "$").</summary>
    public object? Evaluate(string expression)
    {
        var node = PyParser.Parse(expression);
        if (node is PyImport)
        {
            return null;
        }

        var value = Eval(node);
        return value is ModuleName m ? throw Refuse($"'{m.Dotted}' is Python code (a module, class or function), not a value", node) : value;
    }

    /// <summary>The names an import statement binds (empty for anything else, and for text that does not parse).</summary>
    public static IReadOnlyList<(string Bound, string Module)> ImportBindings(string expression)
    {
        try
        {
            return PyParser.Parse(expression) is PyImport import ? import.Bindings : Array.Empty<(string, string)>();
        }
        catch (ExpressionRefusedException)
        {
            return Array.Empty<(string, string)>();
        }
    }

    private static ExpressionRefusedException Refuse(string reason, PyNode at) => new(reason, at.Offset);

    private object? Eval(PyNode node)
    {
        switch (node)
        {
            case PyLiteral l:
                return l.Value;
            case PyReference r:
                return _resolveReference(r.Id, r.Offset);
            case PyListDisplay list:
                return list.Items.Select(Data).ToArray();
            case PyDictDisplay dict:
                return new ResolvedDict(dict.Entries.Select(e => new KeyValuePair<string, object?>(
                    Data(e.Key) as string ?? throw Refuse("a dict key that is not a string", e.Key), Data(e.Value))).ToList());
            case PyUnary u:
                return Unary(u);
            case PyBinary b:
                return Binary(b);
            case PyConditional c:
                return Eval(c.Test) is bool test
                    ? Eval(test ? c.Then : c.Else)
                    : throw Refuse("a conditional expression whose test is not a config value (only torch.device's CUDA-or-CPU choice is read)", c);
            case PyName or PyAttribute:
                return Name(node);
            case PyCall call:
                return Call(call);
            case PySubscript s:
                return Subscript(s);
            default:
                throw Refuse("this form of expression", node);
        }
    }

    /// <summary>A value that must be data (not a module or function).</summary>
    private object? Data(PyNode node)
    {
        var value = Eval(node);
        return value is ModuleName m ? throw Refuse($"'{m.Dotted}' is Python code, not a value", node) : value;
    }

    private string? Dotted(PyNode node) => node switch
    {
        PyName n => _imports.TryGetValue(n.Name, out var module) ? module : DefaultGlobals.TryGetValue(n.Name, out var g) ? g : null,
        PyAttribute a => Dotted(a.Target) is { } left ? left + "." + a.Name : null,
        _ => null,
    };

    private object? Name(PyNode node)
    {
        if (node is PyAttribute { Target: PyReference or PyCall or PySubscript or PyLiteral } attribute)
        {
            throw Refuse($"'.{attribute.Name}' on a value (a method or attribute of a Python object needs Python to run)", node);
        }

        var rootNode = Root(node);
        if (rootNode.Name == "scripts")
        {
            throw Refuse("'scripts' is the bundle's own Python code (scripts/), which MdaiClara does not run", rootNode);
        }

        var dotted = Dotted(node);
        if (dotted is null)
        {
            var root = rootNode.Name;
            if (PythonBuiltins.Contains(root))
            {
                throw Refuse($"the Python built-in '{root}' (it runs code, reads files or changes objects)", rootNode);
            }

            throw Refuse($"the name '{root}' is not defined (MONAI binds monai, torch, np and numpy, and what the config's \"$import …\" statements import)", rootNode);
        }

        if (dotted == "scripts" || dotted.StartsWith("scripts.", StringComparison.Ordinal))
        {
            throw Refuse($"'{dotted}' is the bundle's own Python code (scripts/), which MdaiClara does not run", node);
        }

        if (DTypePattern().Match(dotted) is { Success: true } dtype)
        {
            return new DTypeValue(DTypeName(dtype.Groups[2].Value), dotted);
        }

        if (CommonKeysPattern().Match(dotted) is { Success: true } key)
        {
            return CommonKeys.TryGetValue(key.Groups[1].Value, out var k) ? k : throw Refuse($"'{dotted}' is not one of MONAI's CommonKeys ({string.Join(", ", CommonKeys.Keys)})", node);
        }

        return new ModuleName(dotted);
    }

    private static PyName Root(PyNode node) => node switch
    {
        PyName n => n,
        PyAttribute a => Root(a.Target),
        _ => new PyName("?", node.Offset),
    };

    private object? Call(PyCall call)
    {
        var function = call.Function is PyName or PyAttribute ? (call.Function is PyName { Name: "sorted" or "list" or "str" or "int" or "float" } builtin ? new ModuleName(builtin.Name) : Name(call.Function)) : Eval(call.Function);
        if (function is not ModuleName { Dotted: var name })
        {
            throw Refuse("calling a value", call);
        }

        switch (name)
        {
            case "torch.device":
                return Device(call);
            case "monai.handlers.from_engine" or "monai.handlers.utils.from_engine":
                return FromEngine(call, name);
            case "glob.glob" or "glob.iglob":
                NoKeywords(call);
                return Data(Single(call)) is string pattern ? new DatalistValue(pattern, $"{name}('{pattern}')") : throw Refuse("glob of something that is not a path pattern", call);
            case "sorted" or "list":
                NoKeywords(call);
                return Data(Single(call)) switch
                {
                    DatalistValue d => d with { Expression = $"{name}({d.Expression})" },
                    object?[] items when name == "list" => items,
                    object?[] items when items.All(i => i is string) => items.Cast<string>().OrderBy(s => s, StringComparer.Ordinal).Cast<object?>().ToArray(),
                    _ => throw Refuse($"{name}() of something that is neither a glob datalist nor a list of strings", call),
                };
            case "str" or "int" or "float":
                NoKeywords(call);
                return Convert(name, Data(Single(call)), call);
            case "os.path.join":
                NoKeywords(call);
                return Join(call);
        }

        throw Refuse($"calling '{name}' (not one of the calls read: torch.device, from_engine, glob.glob, sorted, list, os.path.join)", call);
    }

    private static PyNode Single(PyCall call) =>
        call.Arguments.Count == 1 ? call.Arguments[0] : throw Refuse($"a call with {call.Arguments.Count} positional arguments where one is read", call);

    private static void NoKeywords(PyCall call)
    {
        if (call.Keywords.Count > 0)
        {
            throw Refuse($"the keyword argument '{call.Keywords[0].Name}'", call);
        }
    }

    private object? Convert(string name, object? value, PyCall call) => (name, value) switch
    {
        ("str", string s) => s,
        ("str", long n) => n.ToString(CultureInfo.InvariantCulture),
        ("int", long n) => n,
        ("int", double d) => (long)Math.Truncate(d),
        ("int", string s) when long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var p) => p,
        ("float", long n) => (double)n,
        ("float", double d) => d,
        ("float", string s) when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var f) => f,
        _ => throw Refuse($"{name}() of {BundleValues.Display(value)}", call),
    };

    private object Join(PyCall call)
    {
        var result = string.Empty;
        foreach (var arg in call.Arguments)
        {
            var part = Data(arg) as string ?? throw Refuse("os.path.join of something that is not a string", arg);
            result = part.StartsWith('/') || result.Length == 0 ? part : result.EndsWith('/') ? result + part : result + "/" + part;
        }

        return result;
    }

    private DeviceValue Device(PyCall call)
    {
        NoKeywords(call);
        var arg = Single(call);
        if (arg is PyConditional c && c.Test is PyCall { Arguments.Count: 0 } test && Dotted(test.Function) == "torch.cuda.is_available"
            && Data(c.Then) is string cuda && Data(c.Else) is string cpu)
        {
            return new DeviceValue($"torch.device('{cuda}' if torch.cuda.is_available() else '{cpu}')", cuda, cpu);
        }

        return Data(arg) is string fixedDevice
            ? new DeviceValue($"torch.device('{fixedDevice}')", fixedDevice.StartsWith("cuda", StringComparison.Ordinal) ? fixedDevice : null, fixedDevice.StartsWith("cpu", StringComparison.Ordinal) ? fixedDevice : null)
            : throw Refuse("torch.device of something other than a device name or a CUDA-or-CPU choice", call);
    }

    private OutputTransformValue FromEngine(PyCall call, string name)
    {
        if (call.Arguments.Count != 1 || Data(call.Arguments[0]) is not object?[] keys || !keys.All(k => k is string))
        {
            throw Refuse("from_engine without one list of key names", call);
        }

        var first = false;
        foreach (var kw in call.Keywords)
        {
            first = kw.Name == "first" && Data(kw.Value) is bool b ? b : throw Refuse($"from_engine's argument '{kw.Name}'", call);
        }

        var list = keys.Cast<string>().ToList();
        return new OutputTransformValue(list, first, $"{name}([{string.Join(", ", list.Select(k => $"'{k}'"))}]{(first ? ", first=True" : string.Empty)})");
    }

    private object? Subscript(PySubscript s) => (Data(s.Target), Data(s.Index)) switch
    {
        (object?[] list, long i) when i >= -list.Length && i < list.Length => list[i < 0 ? list.Length + i : i],
        (ResolvedDict dict, string key) when dict.Entries.Any(e => e.Key == key) => dict[key],
        (string text, long i) when i >= -text.Length && i < text.Length => text[(int)(i < 0 ? text.Length + i : i)].ToString(),
        _ => throw Refuse("indexing that is not a list position or a dict key of a config value", s),
    };

    private object? Unary(PyUnary u)
    {
        var v = Data(u.Operand);
        return (u.Operator, v) switch
        {
            ("-", long n) => -n,
            ("-", double d) => -d,
            ("+", long or double) => v,
            ("not", _) when Truth(v) is { } t => !t,
            _ => throw Refuse($"'{u.Operator}' on {BundleValues.Display(v)}", u),
        };
    }

    private static bool? Truth(object? v) => v switch
    {
        null => false,
        bool b => b,
        long n => n != 0,
        double d => d != 0,
        string s => s.Length > 0,
        object?[] l => l.Length > 0,
        _ => null,
    };

    private object? Binary(PyBinary b)
    {
        if (b.Operator is "and" or "or")
        {
            var left = Data(b.Left);
            var truth = Truth(left) ?? throw Refuse($"'{b.Operator}' on {BundleValues.Display(left)}", b);
            return (b.Operator == "and") == truth ? Data(b.Right) : left;
        }

        var l = Data(b.Left);
        var r = Data(b.Right);
        switch (b.Operator, l, r)
        {
            case ("+", string x, string y):
                return x + y;
            case ("+", object?[] x, object?[] y):
                return x.Concat(y).ToArray();
            case ("==", _, _) when IsScalar(l) && IsScalar(r):
                return Equals(Number(l) ?? l, Number(r) ?? r);
            case ("!=", _, _) when IsScalar(l) && IsScalar(r):
                return !Equals(Number(l) ?? l, Number(r) ?? r);
            case ("in", string x, string y):
                return y.Contains(x, StringComparison.Ordinal);
            case ("in", _, object?[] y) when IsScalar(l):
                return y.Any(i => Equals(i, l));
        }

        if (l is long li && r is long ri)
        {
            return b.Operator switch
            {
                "+" => li + ri,
                "-" => li - ri,
                "*" => li * ri,
                "/" => ri == 0 ? throw Refuse("division by zero", b) : (double)li / ri,
                "//" => ri == 0 ? throw Refuse("division by zero", b) : (long)Math.Floor((double)li / ri),
                "%" when ri != 0 => ((li % ri) + ri) % ri,
                "<" => li < ri,
                ">" => li > ri,
                "<=" => li <= ri,
                ">=" => li >= ri,
                _ => throw Refuse($"'{b.Operator}' on integers", b),
            };
        }

        if (Number(l) is { } ld && Number(r) is { } rd)
        {
            return b.Operator switch
            {
                "+" => ld + rd,
                "-" => ld - rd,
                "*" => ld * rd,
                "/" => rd == 0 ? throw Refuse("division by zero", b) : ld / rd,
                "<" => ld < rd,
                ">" => ld > rd,
                "<=" => ld <= rd,
                ">=" => ld >= rd,
                _ => throw Refuse($"'{b.Operator}' on numbers", b),
            };
        }

        throw Refuse($"'{b.Operator}' between {BundleValues.Display(l)} and {BundleValues.Display(r)}", b);
    }

    private static bool IsScalar(object? v) => v is null or string or long or double or bool;

    private static double? Number(object? v) => v switch
    {
        long n => n,
        double d => d,
        _ => null,
    };

    private static string DTypeName(string name) => name switch
    {
        "float" => "float32",
        "double" => "float64",
        "half" => "float16",
        "long" => "int64",
        "int" => "int32",
        "short" => "int16",
        "bool_" => "bool",
        _ => name,
    };

    [GeneratedRegex(@"^(numpy|torch)\.(float16|float32|float64|half|float|double|int8|int16|int32|int64|uint8|uint16|uint32|uint64|short|int|long|bool|bool_|complex64|complex128)$")]
    private static partial Regex DTypePattern();

    [GeneratedRegex(@"^monai\.utils(?:\.enums)?\.CommonKeys\.(\w+)$")]
    private static partial Regex CommonKeysPattern();
}
