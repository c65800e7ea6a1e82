using System;
using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Bundles.Expressions;

namespace MdaiClara.Engine.Bundles;

/// <summary>
/// MONAI ConfigParser's resolution, without running Python: an id's value with its "@" references, "%" macros and
/// relative ids resolved, components (<c>_target_</c>) kept as <see cref="ComponentValue"/> (their <c>_requires_</c>
/// resolved first, as MONAI does, then <c>_disabled_</c> and <c>_mode_</c> honoured), and "$" expressions read by the
/// allow-list of <see cref="ExpressionEvaluator"/>. Resolution is lazy, as MONAI's is: only what is asked for (and what
/// it refers to) is read, so an unsupported expression elsewhere in the file does not matter. Results are cached by id.
/// </summary>
public sealed class ConfigResolver
{
    private static readonly HashSet<string> NonArgKeys = new(StringComparer.Ordinal) { "_target_", "_disabled_", "_requires_", "_desc_", "_mode_" };

    private readonly ConfigNode _root;
    private readonly Func<string, ConfigFile?> _loadFile;
    private readonly Dictionary<string, object?> _resolved = new(StringComparer.Ordinal);
    private readonly List<string> _resolving = new();
    private readonly Dictionary<string, string> _imports = new(StringComparer.Ordinal);

    /// <param name="root">The config (the inference config; metadata under "_meta_" when the caller merged it).</param>
    /// <param name="loadFile">Reads another config file of the bundle by its path relative to the bundle root (macros).</param>
    public ConfigResolver(ConfigNode root, Func<string, ConfigFile?> loadFile)
    {
        _root = root;
        _loadFile = loadFile;
        CollectImports(root);
    }

    /// <summary>Names bound by the config's "$import …" items (MONAI runs them before any other expression).</summary>
    public IReadOnlyDictionary<string, string> Imports => _imports;

    public ConfigNode Root => _root;

    /// <summary>The node at an id ("preprocessing::transforms::0"; "#" accepted), or null.</summary>
    public ConfigNode? Find(string id) => Find(_root, id);

    public static ConfigNode? Find(ConfigNode root, string id)
    {
        var node = root;
        foreach (var part in ConfigIds.Split(id))
        {
            node = node.Child(part);
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>The resolved value of an id; throws <see cref="ConfigResolutionException"/> with the first problem.</summary>
    public object? Resolve(string id)
    {
        var normalized = ConfigIds.Normalize(id);
        var node = Find(normalized) ?? throw new ConfigResolutionException(new ConfigProblem(ConfigProblemKind.MissingReference,
            $"the config has no item '{normalized}'", _root.Position, normalized));
        return ResolveId(normalized, node, _root.Position);
    }

    /// <summary>Resolves an id, or returns the problem that stops it.</summary>
    public (object? Value, ConfigProblem? Problem) TryResolve(string id)
    {
        try
        {
            return (Resolve(id), null);
        }
        catch (ConfigResolutionException ex)
        {
            return (null, ex.Problem);
        }
    }

    private object? ResolveId(string id, ConfigNode node, ConfigPosition from)
    {
        if (_resolved.TryGetValue(id, out var cached))
        {
            return cached;
        }

        if (_resolving.Contains(id, StringComparer.Ordinal))
        {
            throw new ConfigResolutionException(new ConfigProblem(ConfigProblemKind.CircularReference,
                $"circular reference: {string.Join(" → ", _resolving.SkipWhile(r => r != id).Append(id).Select(r => "@" + r))}", from, id));
        }

        _resolving.Add(id);
        try
        {
            var value = ResolveNode(node, id);
            _resolved[id] = value;
            return value;
        }
        finally
        {
            _resolving.RemoveAt(_resolving.Count - 1);
        }
    }

    private object? ResolveNode(ConfigNode node, string id)
    {
        switch (node.Kind)
        {
            case ConfigNodeKind.String:
                return ResolveString(node.Text!, node, id);
            case ConfigNodeKind.Object when node.IsComponent:
                return ResolveComponent(node, id);
            case ConfigNodeKind.Object:
                var entries = new List<KeyValuePair<string, object?>>();
                foreach (var (key, child) in node.Entries)
                {
                    var value = ResolveChild(child, ConfigIds.Join(id, key));
                    entries.Add(new(key, value is ComponentValue { Disabled: true } ? null : value));
                }

                return new ResolvedDict(entries);
            case ConfigNodeKind.List:
                var items = new List<object?>();
                for (var i = 0; i < node.Items.Count; i++)
                {
                    var value = ResolveChild(node.Items[i], ConfigIds.Join(id, i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    if (value is not ComponentValue { Disabled: true })
                    {
                        items.Add(value); // MONAI drops a disabled component from its list
                    }
                }

                return items.ToArray();
            default:
                return node.Scalar;
        }
    }

    /// <summary>Sub-items are items of their own in MONAI (cached by id), so "@a::b" and the parent share one value.</summary>
    private object? ResolveChild(ConfigNode child, string childId) =>
        child.Kind is ConfigNodeKind.String or ConfigNodeKind.Object or ConfigNodeKind.List ? ResolveId(childId, child, child.Position) : child.Scalar;

    private object? ResolveString(string text, ConfigNode node, string id)
    {
        var value = ConfigIds.ResolveRelative(id, text) ?? throw Problem(ConfigProblemKind.RelativeIdOutOfRange,
            $"the relative id in '{text}' climbs above the config's root", node, id, text);
        if (value.StartsWith(ConfigIds.MacroPrefix))
        {
            return ResolveNode(Macro(value, node, id), id);
        }

        if (value.StartsWith(ConfigIds.ExpressionPrefix))
        {
            return Evaluate(value, node, id);
        }

        if (ConfigIds.IsWholeReference(value, out var target))
        {
            return Reference(target, node);
        }

        return value;
    }

    private object? Reference(string target, ConfigNode from)
    {
        var referred = Find(target) ?? throw Problem(ConfigProblemKind.MissingReference,
            $"the reference '@{target}' names no item of the config", from, target, "@" + target);
        return ResolveId(target, referred, from.Position);
    }

    private ConfigNode Macro(string value, ConfigNode node, string id)
    {
        var (path, macroId) = ConfigIds.SplitMacro(value[1..]);
        var source = _root;
        if (path.Length > 0)
        {
            var inside = BundleSource.NormalizeInside(path);
            if (inside is null)
            {
                throw Problem(ConfigProblemKind.PathEscapesBundle, $"the macro '{value}' reads '{path}', outside the bundle", node, id, value);
            }

            var file = _loadFile(inside) ?? throw Problem(ConfigProblemKind.MacroUnresolved, $"the macro '{value}' reads '{path}', which the bundle does not have", node, id, value);
            source = file.Root ?? throw Problem(ConfigProblemKind.MacroUnresolved,
                $"the macro '{value}' reads '{path}', which does not parse ({file.SyntaxError})", node, id, value);
        }

        return Find(source, macroId) ?? throw Problem(ConfigProblemKind.MacroUnresolved,
            $"the macro '{value}' names no item '{macroId}'{(path.Length > 0 ? " in " + path : string.Empty)}", node, id, value);
    }

    private object? Evaluate(string value, ConfigNode node, string id)
    {
        var expression = value[1..];
        var evaluator = new ExpressionEvaluator((target, _) => Reference(target, node), _imports);
        try
        {
            return evaluator.Evaluate(expression);
        }
        catch (ExpressionRefusedException ex)
        {
            var at = ex.Offset >= 0 && ex.Offset < expression.Length ? $" (at character {ex.Offset + 2} of the string: '{Excerpt(expression, ex.Offset)}')" : string.Empty;
            throw Problem(ConfigProblemKind.ExpressionRefused, $"the expression '{value}' is not read: {ex.Message}{at}", node, id, value);
        }
    }

    private static string Excerpt(string text, int offset) => text.Length - offset > 30 ? text.Substring(offset, 30) + "…" : text[offset..];

    private ComponentValue ResolveComponent(ConfigNode node, string id)
    {
        var targetNode = node.Get("_target_")!;
        var target = targetNode.Kind == ConfigNodeKind.String && !targetNode.Text!.StartsWith('$') && !targetNode.Text.StartsWith('@')
            ? targetNode.Text
            : ResolveChild(targetNode, ConfigIds.Join(id, "_target_")) as string
                ?? throw Problem(ConfigProblemKind.InvalidComponent, "the _target_ is not a class or function name", targetNode, id, targetNode.Text);
        if (string.IsNullOrWhiteSpace(target))
        {
            throw Problem(ConfigProblemKind.InvalidComponent, "the _target_ is empty", targetNode, id, target);
        }

        var mode = ComponentMode.Default;
        if (node.Get("_mode_") is { } modeNode)
        {
            mode = (ResolveChild(modeNode, ConfigIds.Join(id, "_mode_")) as string) switch
            {
                "default" => ComponentMode.Default,
                "callable" => ComponentMode.Callable,
                "debug" => ComponentMode.Debug,
                var other => throw Problem(ConfigProblemKind.InvalidComponent, $"_mode_ '{other}' is not one MONAI knows (default, callable, debug)", modeNode, id, other),
            };
        }

        // MONAI resolves every reference of a component (its _requires_ among them) before it instantiates it, so a
        // _requires_ item that does not resolve, or an expression the allow-list refuses, stops the component.
        var requires = Requirements(node, id);
        var disabled = IsDisabled(node, id);

        var args = new List<KeyValuePair<string, object?>>();
        var positions = new Dictionary<string, ConfigPosition>(StringComparer.Ordinal);
        if (!disabled)
        {
            foreach (var (key, child) in node.Entries.Where(e => !NonArgKeys.Contains(e.Key)))
            {
                args.Add(new(key, ResolveChild(child, ConfigIds.Join(id, key))));
                positions[key] = child.Position;
            }
        }

        return new ComponentValue(id, target, args, mode, disabled, requires, node.Position, positions);
    }

    /// <summary>
    /// A component's <c>_requires_</c> and <c>_disabled_</c> without its arguments (a Compose the pipeline reader
    /// flattens): whether it is disabled, or the problem its <c>_requires_</c> or <c>_disabled_</c> meets.
    /// </summary>
    public (bool Disabled, ConfigProblem? Problem) ResolveShell(string id)
    {
        var normalized = ConfigIds.Normalize(id);
        var node = Find(normalized);
        if (node is not { IsComponent: true })
        {
            return (false, null);
        }

        try
        {
            Requirements(node, normalized);
            return (IsDisabled(node, normalized), null);
        }
        catch (ConfigResolutionException ex)
        {
            return (false, ex.Problem);
        }
    }

    /// <summary>
    /// Resolves each item of a component's <c>_requires_</c> ("@id" or a "$" expression, one or a list), as MONAI does
    /// before it makes the component, and returns them as written. A problem names the item's position.
    /// </summary>
    private List<string> Requirements(ConfigNode node, string id)
    {
        var written = new List<string>();
        if (node.Get("_requires_") is not { } req)
        {
            return written;
        }

        var requiresId = ConfigIds.Join(id, "_requires_");
        var items = req.IsList
            ? req.Items.Select((r, i) => (Node: r, Id: ConfigIds.Join(requiresId, i.ToString(System.Globalization.CultureInfo.InvariantCulture)))).ToList()
            : new List<(ConfigNode Node, string Id)> { (req, requiresId) };
        foreach (var (item, itemId) in items)
        {
            written.Add(item.Text ?? item.ToString());
            try
            {
                ResolveChild(item, itemId);
            }
            catch (ConfigResolutionException ex)
            {
                var inner = ex.Problem;
                throw new ConfigResolutionException(inner with
                {
                    Message = $"{inner.Message} (needed by the _requires_ of '{id}' at {item.Position}, which MONAI evaluates before it makes the component)",
                });
            }
        }

        return written;
    }

    /// <summary>MONAI's <c>_disabled_</c>: a string is disabled when it reads "true" (any case); anything else by its truth value.</summary>
    private bool IsDisabled(ConfigNode node, string id)
    {
        if (node.Get("_disabled_") is not { } disabledNode)
        {
            return false;
        }

        return ResolveChild(disabledNode, ConfigIds.Join(id, "_disabled_")) switch
        {
            string s => s.Trim().Equals("true", StringComparison.OrdinalIgnoreCase),
            bool b => b,
            null => false,
            long n => n != 0,
            double d => d != 0,
            object?[] l => l.Length > 0,
            var other => throw Problem(ConfigProblemKind.InvalidComponent, $"_disabled_ is {BundleValues.Display(other)}, not a truth value", disabledNode, id),
        };
    }

    private void CollectImports(ConfigNode node)
    {
        if (node.Kind == ConfigNodeKind.String && node.Text!.StartsWith("$", StringComparison.Ordinal) && node.Text.Contains("import", StringComparison.Ordinal))
        {
            foreach (var (bound, module) in ExpressionEvaluator.ImportBindings(node.Text[1..]))
            {
                _imports[bound] = module;
            }
        }

        foreach (var child in node.IsObject ? node.Entries.Select(e => e.Value) : node.Items)
        {
            CollectImports(child);
        }
    }

    private static ConfigResolutionException Problem(ConfigProblemKind kind, string message, ConfigNode at, string id, string? text = null) =>
        new(new ConfigProblem(kind, message, at.Position, id, text));
}
