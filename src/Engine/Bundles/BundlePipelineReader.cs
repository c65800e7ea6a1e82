using System.Collections.Generic;
using System.Linq;

namespace MdaiClara.Engine.Bundles;

/// <summary>
/// Finds the inference pipeline in a resolved config by MONAI's bundle conventions: "preprocessing" (else the
/// dataset's transform), "inferer" and "postprocessing" (else the evaluator's), each transform of a Compose resolved
/// on its own so that one refused transform does not hide the others. Nested Composes (written in place, referred to
/// with "@x", or lists joined with "$@a + @b") are flattened in the order MONAI runs them, <c>_disabled_</c> honoured
/// at every level.
/// </summary>
internal static class BundlePipelineReader
{
    public static BundlePipeline Read(string file, ConfigResolver resolver)
    {
        var problems = new List<ConfigProblem>();
        var preId = FirstPresent(resolver, "preprocessing", "pre_transforms", "dataset::transform", "evaluator::val_data_loader::dataset::transform");
        var postId = FirstPresent(resolver, "postprocessing", "post_transforms", "evaluator::postprocessing");
        var infererId = FirstPresent(resolver, "inferer", "evaluator::inferer");
        var pre = preId is null ? new List<PipelineComponent>() : Transforms(resolver, preId, problems);
        var post = postId is null ? new List<PipelineComponent>() : Transforms(resolver, postId, problems);
        PipelineComponent? inferer = null;
        if (infererId is not null)
        {
            inferer = One(resolver, Follow(resolver, infererId), problems);
        }

        DerivedValue? datalist = null;
        foreach (var id in new[] { "datalist", "test_datalist", "data_list", "test_files" })
        {
            if (resolver.Find(id) is { } node)
            {
                var (value, problem) = resolver.TryResolve(id);
                datalist = new DerivedValue("Datalist", problem is null ? BundleValues.Display(value) : node.Text, $"{node.Position} {id}");
                break;
            }
        }

        return new BundlePipeline(file, preId, pre, inferer, postId, post, datalist, problems);
    }

    private static string? FirstPresent(ConfigResolver resolver, params string[] ids) => ids.FirstOrDefault(id => resolver.Find(id) is not null);

    /// <summary>The id a whole-reference string ("@preprocessing") points to, followed until it is not one.</summary>
    internal static string Follow(ConfigResolver resolver, string id)
    {
        for (var hops = 0; hops < 16; hops++)
        {
            if (resolver.Find(id) is { Kind: ConfigNodeKind.String } node && ConfigIds.ResolveRelative(id, node.Text!) is { } text
                && ConfigIds.IsWholeReference(text, out var target) && resolver.Find(target) is not null)
            {
                id = target;
                continue;
            }

            break;
        }

        return id;
    }

    private static List<PipelineComponent> Transforms(ConfigResolver resolver, string id, List<ConfigProblem> problems)
    {
        var into = new List<PipelineComponent>();
        Flatten(resolver, Follow(resolver, id), into, problems, new List<string>());
        return into;
    }

    /// <summary>
    /// Appends the transforms an item stands for, in the order MONAI's Compose runs them: a list item by item; a Compose
    /// (at any depth, and "@x" to one) by its own transforms unless its <c>_disabled_</c> says so, after its
    /// <c>_requires_</c>; a "$@a + @b" list concatenation by each list in turn; any other component as itself. Each
    /// component keeps its own id and file:line:column.
    /// </summary>
    private static void Flatten(ConfigResolver resolver, string id, List<PipelineComponent> into, List<ConfigProblem> problems, List<string> path)
    {
        if (path.Contains(id, System.StringComparer.Ordinal))
        {
            var at = resolver.Find(id)!.Position;
            Add(into, problems, new PipelineComponent(id, at, "Compose", null, new ConfigProblem(ConfigProblemKind.CircularReference,
                $"the transforms of '{id}' contain '{id}' itself ({string.Join(" → ", path.SkipWhile(p => p != id).Append(id).Select(p => "@" + p))})", at, id)));
            return;
        }

        var node = resolver.Find(id)!;
        path.Add(id);
        try
        {
            if (node.IsList)
            {
                for (var i = 0; i < node.Items.Count; i++)
                {
                    Flatten(resolver, Follow(resolver, ConfigIds.Join(id, i.ToString(System.Globalization.CultureInfo.InvariantCulture))), into, problems, path);
                }
            }
            else if (node.IsComponent && IsCompose(node.Get("_target_")?.Text))
            {
                var (disabled, problem) = resolver.ResolveShell(id);
                if (problem is not null)
                {
                    Add(into, problems, new PipelineComponent(id, node.Position, node.Get("_target_")!.Text!, null, problem));
                }
                else if (!disabled && node.Get("transforms") is not null)
                {
                    Flatten(resolver, Follow(resolver, ConfigIds.Join(id, "transforms")), into, problems, path);
                }
            }
            else if (node.Kind == ConfigNodeKind.String && ConcatenatedLists(resolver, id, node) is { } lists)
            {
                foreach (var list in lists)
                {
                    Flatten(resolver, list, into, problems, path);
                }
            }
            else if (node.Kind == ConfigNodeKind.String && node.Text!.StartsWith(ConfigIds.ExpressionPrefix))
            {
                FromValue(resolver, id, node, into, problems);
            }
            else
            {
                into.Add(One(resolver, id, problems));
            }
        }
        finally
        {
            path.RemoveAt(path.Count - 1);
        }
    }

    private static bool IsCompose(string? target) => target is "Compose" || (target is not null && target.EndsWith(".Compose", System.StringComparison.Ordinal) && target.StartsWith("monai.", System.StringComparison.Ordinal));

    /// <summary>"$@a + @b + @c" where each reference is a list: the ids of those lists, else null.</summary>
    private static List<string>? ConcatenatedLists(ConfigResolver resolver, string id, ConfigNode node)
    {
        if (ConfigIds.ResolveRelative(id, node.Text!) is not { } text || !text.StartsWith(ConfigIds.ExpressionPrefix))
        {
            return null;
        }

        var parts = text[1..].Split('+');
        var ids = new List<string>();
        foreach (var part in parts)
        {
            if (!ConfigIds.IsWholeReference(part.Trim(), out var target) || resolver.Find(target) is null || resolver.Find(Follow(resolver, target)) is not { IsList: true })
            {
                return null;
            }

            ids.Add(Follow(resolver, target));
        }

        return ids;
    }

    /// <summary>Any other expression: its value, when it is a component or a list of them (each kept with its own id and position).</summary>
    private static void FromValue(ConfigResolver resolver, string id, ConfigNode node, List<PipelineComponent> into, List<ConfigProblem> problems)
    {
        var (value, problem) = resolver.TryResolve(id);
        if (problem is null && value is ComponentValue one)
        {
            AddValue(one, into); // "$@x" naming one transform (or a Compose)
            return;
        }

        if (problem is null && value is object?[] items && items.All(i => i is ComponentValue))
        {
            foreach (var c in items.Cast<ComponentValue>())
            {
                AddValue(c, into);
            }

            return;
        }

        problem ??= new ConfigProblem(ConfigProblemKind.InvalidComponent, $"'{id}' is not a list of transforms: {BundleValues.Display(value)}", node.Position, id);
        Add(into, problems, new PipelineComponent(id, node.Position, "?", null, problem));
    }

    private static void AddValue(ComponentValue c, List<PipelineComponent> into)
    {
        if (IsCompose(c.Target) && c.Arg("transforms") is object?[] inner && inner.All(i => i is ComponentValue))
        {
            foreach (var t in inner.Cast<ComponentValue>())
            {
                AddValue(t, into); // a disabled Compose never gets here: MONAI's list drops it
            }
        }
        else
        {
            into.Add(new PipelineComponent(c.Id, c.Position, c.Target, c, null));
        }
    }

    private static void Add(List<PipelineComponent> into, List<ConfigProblem> problems, PipelineComponent component)
    {
        into.Add(component);
        problems.Add(component.Problem!);
    }

    private static PipelineComponent One(ConfigResolver resolver, string id, List<ConfigProblem> problems)
    {
        var node = resolver.Find(id)!;
        var (value, problem) = resolver.TryResolve(id);
        if (problem is null && value is not ComponentValue)
        {
            problem = new ConfigProblem(ConfigProblemKind.InvalidComponent, $"'{id}' is not a component (no _target_): {BundleValues.Display(value)}", node.Position, id);
        }

        if (problem is not null)
        {
            problems.Add(problem);
        }

        var target = (value as ComponentValue)?.Target ?? node.Get("_target_")?.Text ?? "?";
        return new PipelineComponent(id, node.Position, target, value as ComponentValue, problem);
    }
}
