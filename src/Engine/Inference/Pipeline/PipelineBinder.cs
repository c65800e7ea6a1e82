using System;
using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference.Inferers;
using MdaiClara.Engine.Inference.Pipeline.Steps;
using MdaiClara.Engine.Logging;

namespace MdaiClara.Engine.Inference.Pipeline;

/// <summary>Why one part of an inference config cannot be bound to a step.</summary>
public enum BindingProblemKind
{
    /// <summary>A "path" component: custom Python code.</summary>
    CustomCode,

    /// <summary>A transform MdaiClara does not implement.</summary>
    UnknownTransform,

    /// <summary>An inferer MdaiClara does not implement.</summary>
    UnknownInferer,

    /// <summary>No inferer at all.</summary>
    NoInferer,

    /// <summary>The pre-transforms do not start with LoadImage(d): the input is never read.</summary>
    InputNeverLoaded,

    /// <summary>A known component whose arguments are missing, of the wrong type or out of range.</summary>
    InvalidArgument,
}

/// <summary>One part of a config that does not bind, with the error inference stops with.</summary>
public sealed record BindingProblem(BindingProblemKind Kind, ComponentSpec? Component, MdaiClaraException Error);

/// <summary>An inference config bound to steps (without its model), and every part that would not bind.</summary>
public sealed class BoundPipeline : IDisposable
{
    internal BoundPipeline(IReadOnlyList<IPipelineStep> pre, IInferer? inferer, IReadOnlyList<IPipelineStep> post, IReadOnlyList<BindingProblem> problems)
    {
        Pre = pre;
        Inferer = inferer;
        Post = post;
        Problems = problems;
    }

    public IReadOnlyList<IPipelineStep> Pre { get; }

    public IInferer? Inferer { get; }

    public IReadOnlyList<IPipelineStep> Post { get; }

    /// <summary>Empty when the whole config bound; inference refuses with the first one's error.</summary>
    public IReadOnlyList<BindingProblem> Problems { get; }

    public void Dispose() => (Inferer as IDisposable)?.Dispose();
}

/// <summary>
/// Binds an inference config's pre-transforms, inferer, post-transforms and Clara 4.0 handlers to steps. The one place
/// that decides whether local inference can run a config: <see cref="ClaraInferenceSession"/> refuses with the first
/// problem, and Test-Mmar's rules report every problem, so the two always agree.
/// </summary>
public static class PipelineBinder
{
    public static BoundPipeline Bind(InferenceConfig config, MonaiSemantics semantics, InferenceOverrides? overrides, IEngineLog? log)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = new List<BindingProblem>();
        var pre = BindAll(config.PreTransforms, "image", log, problems);
        var post = BindAll(config.PostTransforms, "pred", log, problems);
        foreach (var handler in config.Handlers.Where(h => !h.Disabled))
        {
            if (Try(handler, () => HandlerStep(config, handler, log), problems, BindingProblemKind.InvalidArgument) is { } step)
            {
                post.Add(step);
            }
        }

        IInferer? inferer = null;
        if (config.Inferer is null)
        {
            problems.Add(new BindingProblem(BindingProblemKind.NoInferer, null, new MdaiClaraException(
                $"{config.File} has no inferer; Clara needs one (SimpleInferer or SlidingWindowInferer).", ErrorIds.TransformUnknown, ErrorKind.InvalidData, config.File)));
        }
        else
        {
            var kind = config.Inferer.IsCustomCode ? BindingProblemKind.CustomCode
                : Transforms.TransformCatalog.Inferer(config.Inferer.CanonicalName) == Transforms.ComponentSupport.Unknown ? BindingProblemKind.UnknownInferer
                : BindingProblemKind.InvalidArgument;
            inferer = Try(config.Inferer, () => InfererFactory.Create(config.Inferer, semantics, overrides ?? new InferenceOverrides(), log), problems, kind);
        }

        var firstEnabled = config.PreTransforms.FirstOrDefault(t => !t.Disabled);
        if (firstEnabled is null || Transforms.TransformCatalog.BaseName(firstEnabled.CanonicalName) != "LoadImage")
        {
            var what = firstEnabled is null ? "has no pre-transforms" : $"starts its pre-transforms with {firstEnabled.Name}, not LoadImage(d)";
            problems.Add(new BindingProblem(BindingProblemKind.InputNeverLoaded, firstEnabled, new MdaiClaraException(
                $"{Where(config.File, firstEnabled)}: {config.File} {what}, so the input is never read.", ErrorIds.InferenceConfigInvalid, ErrorKind.InvalidData, config.File)));
        }

        return new BoundPipeline(pre, inferer, post, problems);
    }

    private static List<IPipelineStep> BindAll(IReadOnlyList<ComponentSpec> components, string defaultKey, IEngineLog? log, List<BindingProblem> problems)
    {
        var steps = new List<IPipelineStep>();
        foreach (var spec in components.Where(t => !t.Disabled))
        {
            var kind = spec.IsCustomCode ? BindingProblemKind.CustomCode
                : Transforms.TransformCatalog.Transform(spec.CanonicalName) == Transforms.ComponentSupport.Unknown ? BindingProblemKind.UnknownTransform
                : BindingProblemKind.InvalidArgument;
            if (Try(spec, () => StepFactory.Create(spec, log, defaultKey), problems, kind) is { } step)
            {
                steps.Add(step);
            }
        }

        return steps;
    }

    private static T? Try<T>(ComponentSpec spec, Func<T?> bind, List<BindingProblem> problems, BindingProblemKind kindOnError)
        where T : class
    {
        try
        {
            return bind();
        }
        catch (MdaiClaraException ex)
        {
            // An unknown name is reported as such even when the catalog knows it but the factory has no step for it.
            var kind = kindOnError == BindingProblemKind.InvalidArgument && ex.ErrorId == ErrorIds.TransformUnknown ? BindingProblemKind.UnknownTransform : kindOnError;
            problems.Add(new BindingProblem(kind, spec, ex));
            return null;
        }
    }

    /// <summary>Clara 4.0 inverts and saves through handlers: TransformInverter and SegmentationSaver become steps.</summary>
    private static IPipelineStep? HandlerStep(InferenceConfig config, ComponentSpec handler, IEngineLog? log)
    {
        switch (handler.CanonicalName)
        {
            case "TransformInverter":
                log.Verbose($"{config.File}: handler TransformInverter inverts the pre-transforms on the prediction.");
                // Clara 4.0 (MONAI 0.5): output_keys are inverted with the transforms recorded on batch_keys.
                var keys = handler.Args.TryGetValue("output_keys", out var output) && output is not null ? output : "pred";
                var origin = handler.Args.TryGetValue("batch_keys", out var batch) && batch is not null ? batch : "image";
                var inverterArgs = new ConfigObject(handler.Args
                    .Where(a => a.Key is not ("output_keys" or "batch_keys"))
                    .Append(new KeyValuePair<string, object?>("keys", keys))
                    .Append(new KeyValuePair<string, object?>("orig_keys", origin)));
                return new InvertStep(new ComponentArguments(handler with { Name = "TransformInverter", Args = inverterArgs }));
            case "SegmentationSaver":
                return new SaveImageStep(new ComponentArguments(handler with { Args = WithKeys(handler.Args, "pred") }), "seg");
            default:
                return null;
        }
    }

    private static ConfigObject WithKeys(ConfigObject args, string key) =>
        args.ContainsKey("keys") ? args : new ConfigObject(args.Append(new KeyValuePair<string, object?>("keys", key)));

    private static string Where(string file, ComponentSpec? spec) =>
        spec?.Location is { } at ? $"{spec.File}:{at.Line}:{at.Column}" : file;
}
