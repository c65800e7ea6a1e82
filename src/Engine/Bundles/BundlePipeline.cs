using System.Collections.Generic;
using System.Linq;

namespace MdaiClara.Engine.Bundles;

/// <summary>One part of the inference pipeline: the component when it resolved, else the problem that stopped it.</summary>
public sealed record PipelineComponent(string Id, ConfigPosition Position, string Target, ComponentValue? Component, ConfigProblem? Problem)
{
    /// <summary>The class name without its module path (the target as written when it did not resolve).</summary>
    public string ShortName => Component?.ShortName ?? (Target.Contains('.', System.StringComparison.Ordinal) ? Target[(Target.LastIndexOf('.') + 1)..] : Target);

    public bool Disabled => Component?.Disabled ?? false;

    public override string ToString() => Component?.ToString() ?? $"@{Id}: {Problem?.Message}";
}

/// <summary>
/// The inference config's pipeline as MONAI's SupervisedEvaluator runs it: preprocessing transforms, the inferer and
/// postprocessing transforms, each resolved with its source location, and the datalist the input comes from.
/// </summary>
public sealed record BundlePipeline(
    string File,
    string? PreprocessingId,
    IReadOnlyList<PipelineComponent> PreTransforms,
    PipelineComponent? Inferer,
    string? PostprocessingId,
    IReadOnlyList<PipelineComponent> PostTransforms,
    DerivedValue? Datalist,
    IReadOnlyList<ConfigProblem> Problems)
{
    /// <summary>Every component, pre-transforms, inferer, post-transforms.</summary>
    public IEnumerable<PipelineComponent> All => PreTransforms.Concat(Inferer is null ? Enumerable.Empty<PipelineComponent>() : new[] { Inferer }).Concat(PostTransforms);

    /// <summary>True when every part resolved (nothing refused, no missing reference).</summary>
    public bool Resolved => Problems.Count == 0 && All.All(c => c.Component is not null) && Inferer is not null;

    public override string ToString() => $"{File}: {PreTransforms.Count} pre-transforms, {Inferer?.Target ?? "no inferer"}, {PostTransforms.Count} post-transforms";
}
