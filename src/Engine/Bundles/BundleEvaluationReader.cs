using System;
using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Bundles;

/// <summary>
/// Reads a bundle's evaluation config the way the Model Zoo runs it (<c>python -m monai.bundle run --config_file
/// "['configs/train.json','configs/evaluate.json']"</c>): train.json (or .yaml) with evaluate.json (or .yaml) merged
/// over it (<see cref="ConfigMerger"/>), then the evaluator's parts by the Zoo's ids: <c>validate#preprocessing</c>,
/// <c>validate#inferer</c>, <c>validate#postprocessing</c> (each Compose flattened), <c>validate#key_metric</c> and
/// <c>validate#additional_metrics</c> (log label → metric handler), the MetricsSaver of <c>validate#handlers</c>, and
/// <c>validate#dataset#data</c>, the datalist, which is only located (a Python expression; cases come from the
/// caller). Only what the measurement needs is resolved: checkpoint loaders, save folders and lambdas elsewhere in
/// the handlers do not matter.
/// </summary>
public static class BundleEvaluationReader
{
    /// <summary>The evaluation config, in the order it is looked for.</summary>
    public static IReadOnlyList<string> EvaluateConfigCandidates { get; } = new[] { "configs/evaluate.json", "configs/evaluate.yaml", "configs/evaluate.yml" };

    /// <summary>The training config the evaluation config overrides, in the order it is looked for.</summary>
    public static IReadOnlyList<string> TrainConfigCandidates { get; } = new[] { "configs/train.json", "configs/train.yaml", "configs/train.yml" };

    private const string Section = "validate";

    /// <summary>True when the bundle has an evaluation config.</summary>
    public static bool HasEvaluationConfig(BundleSource source) => EvaluateConfigCandidates.Any(source.FileExists);

    /// <summary>The bundle's evaluation config, or null when it has none (configs/evaluate.json|yaml).</summary>
    /// <param name="source">The bundle.</param>
    /// <param name="metadata">configs/metadata.json as read (put under "_meta_", as MONAI's bundle scripts do).</param>
    public static BundleEvaluation? Read(BundleSource source, ConfigFile? metadata)
    {
        ArgumentNullException.ThrowIfNull(source);
        var evaluatePath = EvaluateConfigCandidates.FirstOrDefault(source.FileExists);
        if (evaluatePath is null)
        {
            return null;
        }

        var problems = new List<BundleEvaluationProblem>();
        var cache = new Dictionary<string, ConfigFile?>(StringComparer.Ordinal);
        ConfigFile? Load(string relative)
        {
            if (!cache.TryGetValue(relative, out var file))
            {
                file = source.FileExists(relative) ? ConfigFile.Parse(relative, source.ReadAllBytes(relative, BundleSource.MaxConfigBytes)) : null;
                cache[relative] = file;
            }

            return file;
        }

        var trainPath = TrainConfigCandidates.FirstOrDefault(source.FileExists);
        var paths = trainPath is null ? new[] { evaluatePath } : new[] { trainPath, evaluatePath };
        var files = new List<ConfigFile>();
        foreach (var path in paths)
        {
            var file = Load(path)!;
            if (file.SyntaxError is { } syntax)
            {
                problems.Add(new(new ConfigPosition(syntax.File, syntax.Line, syntax.Column), syntax.Message.TrimEnd('.'), null));
            }
            else
            {
                files.Add(file);
            }
        }

        var merged = ConfigMerger.Merge(files, problems);
        if (metadata?.Root is { IsObject: true } meta && merged.Get("_meta_") is null)
        {
            merged = ConfigNode.Object(merged.Position, merged.Entries.Append(new("_meta_", meta)).ToList());
        }

        var resolver = new ConfigResolver(merged, Load);
        var empty = new BundlePipeline(evaluatePath, null, Array.Empty<PipelineComponent>(), null, null, Array.Empty<PipelineComponent>(), null, Array.Empty<ConfigProblem>());
        if (problems.Count > 0)
        {
            return new BundleEvaluation(paths, empty, Array.Empty<BundleMetric>(), null, null, null, problems);
        }

        if (resolver.Find(Section) is not { IsObject: true })
        {
            problems.Add(new(merged.Position, $"{string.Join(" + ", paths)} has no \"{Section}\" section; MdaiClara reads the Model Zoo's layout (validate#preprocessing, validate#inferer, validate#postprocessing, validate#key_metric)", ConfigProblemKind.MissingReference));
            return new BundleEvaluation(paths, empty, Array.Empty<BundleMetric>(), null, null, null, problems);
        }

        var configProblems = new List<ConfigProblem>();
        var pre = Transforms(resolver, Id("preprocessing"), configProblems, merged.Position);
        var post = Transforms(resolver, Id("postprocessing"), configProblems, merged.Position);
        var inferer = One(resolver, Id("inferer"), configProblems, merged.Position);
        var pipeline = new BundlePipeline(evaluatePath, Id("preprocessing"), pre, inferer, Id("postprocessing"), post, null, configProblems);
        problems.AddRange(configProblems.Select(p => new BundleEvaluationProblem(p.Position, p.Message, p.Kind)));

        var metrics = new List<BundleMetric>();
        var leftOut = new List<BundleEvaluationProblem>();
        metrics.AddRange(Metrics(resolver, Id("key_metric"), true, problems, leftOut));
        metrics.AddRange(Metrics(resolver, Id("additional_metrics"), false, problems, leftOut));
        if (!metrics.Any(m => m.IsKey) && resolver.Find(Id("key_metric")) is null)
        {
            problems.Add(new(resolver.Find(Section)!.Position, $"the \"{Section}\" section has no key_metric, so there is no metric to report", ConfigProblemKind.MissingReference));
        }

        var saver = MetricsSaver(resolver, problems);
        var datalist = resolver.Find(Id("dataset::data")) ?? resolver.Find(Id("dataloader::dataset::data"));
        var amp = resolver.Find(Id("evaluator::amp")) is not null && resolver.TryResolve(Id("evaluator::amp")) is ({ } a, null) && a is bool b ? b : (bool?)null;
        return new BundleEvaluation(paths, pipeline, metrics, saver, datalist, amp, problems) { MetricsLeftOut = leftOut };
    }

    private static string Id(string part) => ConfigIds.Join(Section, part);

    /// <summary>The transforms of a Compose (nested ones flattened) or a list, each a resolved component.</summary>
    private static List<PipelineComponent> Transforms(ConfigResolver resolver, string id, List<ConfigProblem> problems, ConfigPosition root)
    {
        if (resolver.Find(id) is not { } node)
        {
            problems.Add(new ConfigProblem(ConfigProblemKind.MissingReference, $"the evaluation config has no item '{id}'", root, id));
            return new List<PipelineComponent>();
        }

        var (value, problem) = resolver.TryResolve(id);
        if (problem is not null)
        {
            problems.Add(problem);
            return new List<PipelineComponent> { new(id, node.Position, node.Get("_target_")?.Text ?? "?", null, problem) };
        }

        var result = new List<PipelineComponent>();
        Flatten(value, id, node.Position, result, problems, 0);
        return result;
    }

    private static void Flatten(object? value, string id, ConfigPosition at, List<PipelineComponent> into, List<ConfigProblem> problems, int depth)
    {
        switch (value)
        {
            case ComponentValue { Disabled: true }:
                return;
            case ComponentValue c when c.ShortName == "Compose" && depth < 16:
                Flatten(c.Arg("transforms"), c.Id, c.Position, into, problems, depth + 1);
                return;
            case ComponentValue c:
                into.Add(new PipelineComponent(c.Id, c.Position, c.Target, c, null));
                return;
            case object?[] list:
                foreach (var item in list)
                {
                    Flatten(item, id, at, into, problems, depth + 1);
                }

                return;
            default:
                var p = new ConfigProblem(ConfigProblemKind.InvalidComponent, $"'{id}' is not a transform or a list of transforms: {BundleValues.Display(value)}", at, id);
                problems.Add(p);
                into.Add(new PipelineComponent(id, at, "?", null, p));
                return;
        }
    }

    private static PipelineComponent? One(ConfigResolver resolver, string id, List<ConfigProblem> problems, ConfigPosition root)
    {
        if (resolver.Find(id) is not { } node)
        {
            problems.Add(new ConfigProblem(ConfigProblemKind.MissingReference, $"the evaluation config has no item '{id}'", root, id));
            return null;
        }

        var (value, problem) = resolver.TryResolve(id);
        if (problem is null && value is not ComponentValue)
        {
            problem = new ConfigProblem(ConfigProblemKind.InvalidComponent, $"'{id}' is not a component (no _target_): {BundleValues.Display(value)}", node.Position, id);
        }

        if (problem is not null)
        {
            problems.Add(problem);
        }

        var c = value as ComponentValue;
        return new PipelineComponent(id, c?.Position ?? node.Position, c?.Target ?? node.Get("_target_")?.Text ?? "?", c, problem);
    }

    /// <summary>
    /// The metrics of a "log label → handler" dict (MONAI's key_val_metric / additional_metrics). Each handler's
    /// arguments are resolved one by one. A handler whose output_transform does not pick pred and label (from_engine) is
    /// left out (<paramref name="leftOut"/>), as a metric MdaiClara does not compute is: MdaiClara measures pred against label.
    /// </summary>
    private static IEnumerable<BundleMetric> Metrics(ConfigResolver resolver, string id, bool isKey, List<BundleEvaluationProblem> problems, List<BundleEvaluationProblem> leftOut)
    {
        var node = resolver.Find(id);
        if (node is null || node.Kind == ConfigNodeKind.Null)
        {
            yield break;
        }

        if (!node.IsObject || node.IsComponent)
        {
            problems.Add(new(node.Position, $"'{id}' is not a dict of log label → metric handler, as MONAI's evaluator takes it"));
            yield break;
        }

        foreach (var (label, handler) in node.Entries)
        {
            var handlerId = ConfigIds.Join(id, label);
            if (Component(resolver, handlerId, handler, new[] { "output_transform" }, problems) is not { } component)
            {
                continue;
            }

            if (component.Disabled)
            {
                continue;
            }

            if (handler.Get("output_transform") is not null)
            {
                var (transform, problem) = resolver.TryResolve(ConfigIds.Join(handlerId, "output_transform"));
                if (problem is not null || transform is not OutputTransformValue { Keys: ["pred", "label"] })
                {
                    var what = problem is not null ? problem.Message : $"it is {BundleValues.Display(transform)}";
                    leftOut.Add(new(handler.Get("output_transform")!.Position, $"the output_transform of {label} ('{handlerId}') is not from_engine(['pred', 'label']) ({what}); MdaiClara measures 'pred' against 'label' only", problem?.Kind ?? ConfigProblemKind.InvalidComponent));
                    continue;
                }
            }

            yield return new BundleMetric(label, component, isKey);
        }
    }

    /// <summary>The MetricsSaver of validate#handlers (its metrics, metric_details, summary_ops, delimiter), or null.</summary>
    private static ComponentValue? MetricsSaver(ConfigResolver resolver, List<BundleEvaluationProblem> problems)
    {
        var id = Id("handlers");
        if (resolver.Find(id) is not { IsList: true } handlers)
        {
            return null;
        }

        for (var i = 0; i < handlers.Items.Count; i++)
        {
            var handler = handlers.Items[i];
            var target = handler.Get("_target_")?.Text;
            if (target is null || target[(target.LastIndexOf('.') + 1)..] != "MetricsSaver")
            {
                continue;
            }

            var handlerId = ConfigIds.Join(id, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var read = new[] { "metrics", "metric_details", "summary_ops", "delimiter", "_disabled_" };
            var skipped = handler.Entries.Select(e => e.Key).Where(k => !read.Contains(k) && k != "_target_").ToArray();
            if (Component(resolver, handlerId, handler, skipped, problems) is { Disabled: false } saver)
            {
                return saver;
            }
        }

        return null;
    }

    /// <summary>A component with its arguments resolved one by one, leaving out <paramref name="skip"/>; null (with problems) when one does not resolve.</summary>
    private static ComponentValue? Component(ConfigResolver resolver, string id, ConfigNode node, IReadOnlyCollection<string> skip, List<BundleEvaluationProblem> problems)
    {
        if (!node.IsComponent || node.Get("_target_")?.Text is not { Length: > 0 } target || target.StartsWith('$') || target.StartsWith('@'))
        {
            problems.Add(new(node.Position, $"'{id}' is not a component with a class name as _target_"));
            return null;
        }

        var disabled = false;
        if (node.Get("_disabled_") is not null)
        {
            var (value, problem) = resolver.TryResolve(ConfigIds.Join(id, "_disabled_"));
            if (problem is not null)
            {
                problems.Add(new(problem.Position, problem.Message, problem.Kind));
                return null;
            }

            disabled = value switch
            {
                bool b => b,
                string s => s.Trim().Equals("true", StringComparison.OrdinalIgnoreCase),
                _ => false,
            };
        }

        var args = new List<KeyValuePair<string, object?>>();
        var positions = new Dictionary<string, ConfigPosition>(StringComparer.Ordinal);
        var ok = true;
        foreach (var (key, child) in node.Entries)
        {
            if ((key.StartsWith('_') && key.EndsWith('_')) || skip.Contains(key))
            {
                continue;
            }

            var (value, problem) = resolver.TryResolve(ConfigIds.Join(id, key));
            if (problem is not null)
            {
                problems.Add(new(problem.Position, problem.Message, problem.Kind));
                ok = false;
                continue;
            }

            args.Add(new(key, value));
            positions[key] = child.Position;
        }

        return ok ? new ComponentValue(id, target, args, ComponentMode.Default, disabled, Array.Empty<string>(), node.Position, positions) : null;
    }

    /// <summary>Why the evaluation cannot be read, as an error naming the first problem's file:line:column.</summary>
    public static MdaiClaraException Refusal(string bundleName, BundleEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var first = evaluation.Problems[0];
        var more = evaluation.Problems.Count > 1 ? $" ({evaluation.Problems.Count - 1} more: {string.Join("; ", evaluation.Problems.Skip(1).Take(3))})" : string.Empty;
        return new MdaiClaraException(
            $"{bundleName}'s evaluation config ({evaluation.Description}) cannot be read without running Python: {first}{more}.",
            ErrorIds.BundleEvaluationRefused, ErrorKind.InvalidData, first.Position.ToString());
    }
}
