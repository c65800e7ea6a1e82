using System.Collections.Generic;
using System.Linq;

namespace MdaiClara.Engine.Bundles;

/// <summary>
/// Finds the inference pipeline in a resolved config by MONAI's bundle conventions: "preprocessing" (else the
/// dataset's transform), "inferer" and "postprocessing" (else the evaluator's), each transform of a Compose resolved
/// on its own so that one refused transform does not hide the others.
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
        id = Follow(resolver, id);
        var node = resolver.Find(id)!;
        string listId;
        if (node.IsComponent && node.Get("transforms") is { IsList: true })
        {
            listId = ConfigIds.Join(id, "transforms");
        }
        else if (node.IsList)
        {
            listId = id;
        }
        else
        {
            return new List<PipelineComponent> { One(resolver, id, problems) };
        }

        var list = resolver.Find(listId)!;
        return Enumerable.Range(0, list.Items.Count)
            .Select(i => One(resolver, Follow(resolver, ConfigIds.Join(listId, i.ToString(System.Globalization.CultureInfo.InvariantCulture))), problems))
            .ToList();
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
