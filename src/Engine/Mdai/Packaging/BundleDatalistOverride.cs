using System;
using System.Linq;
using MdaiClara.Engine.Bundles;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Mdai.Packaging;

/// <summary>
/// How the interface code gives a bundle its input files through MONAI's config overrides: the Model Zoo's top-level
/// "datalist" (a list of file paths the config's dataset turns into items), or, for a config without one, the dataset's
/// own "data" (a list of items {&lt;LoadImaged key&gt;: path}), which MONAI's lazy resolution then never evaluates as
/// written (so its glob, datalist file or fixed example path is not read).
/// </summary>
public sealed record BundleDatalistOverride(string Id, string? ItemKey, string Source)
{
    public const string TopLevelId = "datalist";

    /// <summary>A packaging warning when the dataset's data is replaced, else null.</summary>
    public string? Warning => ItemKey is null
        ? null
        : $"The inference config has no top-level \"datalist\", so the MD.ai interface replaces {Source} with one item {{\"{ItemKey}\": <file>}} per input; transforms that need other keys of an item (a label, prompts, a second image) will fail when MD.ai runs the model.";

    internal static BundleDatalistOverride Find(BundleAnalysis analysis, Func<string, MdaiClaraException> refused)
    {
        var resolver = analysis.Resolver ?? throw refused($"{analysis.Info.InferenceConfigFile} does not resolve as a config");
        if (resolver.Root.Get(TopLevelId) is not null)
        {
            return new BundleDatalistOverride(TopLevelId, null, $"\"{TopLevelId}\"");
        }

        var dataset = DatasetId(resolver);
        if (dataset is null || resolver.Find(ConfigIds.Join(dataset, "data")) is not { } data)
        {
            throw refused($"{analysis.Info.InferenceConfigFile} has neither a top-level \"datalist\" nor a \"dataset\" (or evaluator::val_data_loader::dataset) with \"data\": the MD.ai interface gives the bundle its input files through one of them; add \"datalist\" and let the dataset read it");
        }

        var key = LoadKey(resolver, analysis.Info.Pipeline)
            ?? throw refused($"its preprocessing has no LoadImaged whose \"keys\" resolve to a name, so the items that replace {dataset}::data ({data.Position}) cannot be made; add a top-level \"datalist\" and let the dataset read it");
        return new BundleDatalistOverride(ConfigIds.Join(dataset, "data"), key, $"@{dataset}::data ({data.Position})");
    }

    private static string? DatasetId(ConfigResolver resolver)
    {
        if (resolver.Find("dataset") is { IsComponent: true })
        {
            return BundlePipelineReader.Follow(resolver, "dataset");
        }

        if (resolver.Find("evaluator::val_data_loader") is null)
        {
            return null;
        }

        var loader = BundlePipelineReader.Follow(resolver, "evaluator::val_data_loader");
        var dataset = ConfigIds.Join(loader, "dataset");
        return resolver.Find(dataset) is null ? null : BundlePipelineReader.Follow(resolver, dataset);
    }

    /// <summary>The first key of the preprocessing's LoadImaged ("image", or what "@image_key" resolves to).</summary>
    private static string? LoadKey(ConfigResolver resolver, BundlePipeline? pipeline)
    {
        foreach (var load in pipeline?.PreTransforms.Where(t => t.ShortName == "LoadImaged") ?? Enumerable.Empty<PipelineComponent>())
        {
            var id = ConfigIds.Join(load.Id, "keys");
            if (resolver.Find(id) is null)
            {
                continue;
            }

            var (value, problem) = resolver.TryResolve(id);
            var key = problem is null ? value switch { string s => s, object?[] { Length: > 0 } list => list[0] as string, _ => null } : null;
            if (!string.IsNullOrEmpty(key))
            {
                return key;
            }
        }

        return null;
    }
}
