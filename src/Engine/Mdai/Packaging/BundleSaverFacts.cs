using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MdaiClara.Engine.Bundles;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Mdai.Packaging;

/// <summary>
/// The saver of a bundle's resolved inference pipeline and what it writes, as the MD.ai interface code reads it back:
/// for a segmentation the one SaveImaged of the postprocessing; for a classifier the one SaveClassificationd of the
/// postprocessing or ClassificationSaver of the evaluator's handlers (a CSV, rows "&lt;input&gt;,&lt;value&gt;,…"); in both
/// cases writing under @output_dir, which the interface overrides. Each argument is resolved on its own, so an
/// expression the resolver refuses elsewhere in the component (a "$lambda" batch_transform) does not matter.
/// </summary>
public sealed record BundleSaverFacts
{
    private const string DefaultCsv = "predictions.csv";

    /// <summary>The saver's class name (SaveImaged, SaveClassificationd, ClassificationSaver).</summary>
    public required string Saver { get; init; }

    /// <summary>Where the saver is: file:line:column and its id.</summary>
    public required string Location { get; init; }

    public required BundleSavedContent Content { get; init; }

    /// <summary>The CSV file name a classifier's saver writes (null for a segmentation).</summary>
    public string? Csv { get; init; }

    /// <summary>A sigmoid Activationsd before the saver: each class stands on its own (multi-label).</summary>
    public bool MultiLabel { get; init; }

    /// <summary>What file each instance becomes for a classifier (DICOM unless its LoadImaged reads with PILReader).</summary>
    public BundleClassifierInput Input { get; init; }

    /// <summary>Transforms before the saver whose effect on the prediction packaging cannot know (Lambdad, the bundle's own code).</summary>
    public string? Warning { get; init; }

    internal static BundleSaverFacts Read(BundleAnalysis analysis, BundleTask task, Func<string, MdaiClaraException> refused)
    {
        var resolver = analysis.Resolver ?? throw refused($"{analysis.Info.InferenceConfigFile} does not resolve as a config");
        var pipeline = analysis.Info.Pipeline ?? throw refused($"{analysis.Info.InferenceConfigFile} has no pipeline");
        if (pipeline.PostprocessingId is null)
        {
            throw refused($"{pipeline.File} has no \"postprocessing\" (nor the evaluator's), which MD.ai packaging reads for the saver");
        }

        var post = pipeline.PostTransforms.Where(c => !Disabled(resolver, c.Id)).ToList();
        var segmentation = task == BundleTask.Segmentation;
        var saverNames = segmentation ? new[] { "SaveImaged", "SaveImage" } : new[] { "SaveClassificationd", "SaveClassification" };
        var savers = post.Select((c, i) => (Id: c.Id, Name: c.ShortName, Position: c.Position, Index: i)).Where(s => saverNames.Contains(s.Name)).ToList();
        if (!segmentation)
        {
            savers.AddRange(Handlers(resolver).Select(h => (h.Id, h.Name, h.Position, Index: post.Count)).Where(h => h.Name == "ClassificationSaver"));
        }

        if (savers.Count != 1)
        {
            var what = segmentation ? "SaveImaged transforms; the MD.ai interface reads the one NIfTI a single SaveImaged writes"
                : "savers of classification results (SaveClassificationd in the postprocessing, ClassificationSaver among the handlers); the MD.ai interface reads the one CSV a single saver writes";
            throw refused($"its {pipeline.File} has {savers.Count} {what}{(savers.Count > 1 ? " (" + string.Join(", ", savers.Select(s => $"{s.Name} at {s.Position}")) + ")" : string.Empty)}");
        }

        var saver = savers[0];
        var location = $"{saver.Name} at {saver.Position} (@{saver.Id})";
        var outputDir = resolver.Find(ConfigIds.Join(saver.Id, "output_dir"));
        if (outputDir?.Text is not { } dir || !dir.Contains("@output_dir", StringComparison.Ordinal))
        {
            throw refused($"its {location} writes to {(outputDir is null ? "its default folder" : $"\"{BundleValues.Display(outputDir.ToPlain())}\"")}, not under @output_dir, the folder the MD.ai interface overrides and reads back; give it \"output_dir\": \"@output_dir\"");
        }

        var before = post.Take(saver.Index).ToList();
        var content = BundleSavedContent.Probabilities;
        foreach (var t in before.Where(t => t.ShortName is "AsDiscreted" or "AsDiscrete"))
        {
            if (Arg(resolver, t.Id, "argmax", refused) is true)
            {
                var onehot = Arg(resolver, t.Id, "to_onehot", refused);
                content = onehot is true || (onehot is long n && n > 0) ? BundleSavedContent.OneHot : BundleSavedContent.Labels;
            }
        }

        var opaque = before.Where(t => t.ShortName is "Lambdad" or "Lambda" || t.Target.StartsWith("scripts.", StringComparison.Ordinal)).ToList();
        var warning = opaque.Count == 0 ? null
            : $"Before its {saver.Name}, the postprocessing runs {string.Join(", ", opaque.Select(t => $"{t.ShortName} at {t.Position}"))}, whose effect on the prediction packaging cannot know; the MD.ai interface reads the saved output as {content.ToString().ToLowerInvariant()}, so run the package once (tests/mdai/run_bundle_package_with_monai.py) before deploying it.";
        if (segmentation)
        {
            return new BundleSaverFacts { Saver = saver.Name, Location = location, Content = content, Warning = warning };
        }

        var csv = Arg(resolver, saver.Id, "filename", refused) switch
        {
            null => DefaultCsv,
            string s when s.Length > 0 && s.IndexOfAny(new[] { '/', '\\' }) < 0 && s is not "." and not ".." => s,
            var other => throw refused($"its {location} writes the CSV \"{BundleValues.Display(other)}\"; the MD.ai interface reads a CSV by its file name directly under @output_dir, so give \"filename\" a plain file name"),
        };
        var multiLabel = before.Any(t => t.ShortName is "Activationsd" or "Activations" && Arg(resolver, t.Id, "sigmoid", refused) is true);
        return new BundleSaverFacts { Saver = saver.Name, Location = location, Content = content, Csv = csv, MultiLabel = multiLabel, Input = InputOf(resolver, analysis.Info.Pipeline!), Warning = warning };
    }

    /// <summary>Png where the preprocessing's LoadImaged reads with PILReader (which cannot read DICOM), else Dicom.</summary>
    private static BundleClassifierInput InputOf(ConfigResolver resolver, BundlePipeline pipeline)
    {
        foreach (var load in pipeline.PreTransforms.Where(t => t.ShortName is "LoadImaged" or "LoadImage"))
        {
            var (reader, problem) = resolver.Find(ConfigIds.Join(load.Id, "reader")) is null ? (null, null) : resolver.TryResolve(ConfigIds.Join(load.Id, "reader"));
            var name = problem is null ? reader switch { string s => s, ComponentValue c => c.ShortName, _ => null } : null;
            if (name is not null && name.Split('.')[^1].Equals("PILReader", StringComparison.OrdinalIgnoreCase))
            {
                return BundleClassifierInput.Png;
            }
        }

        return BundleClassifierInput.Dicom;
    }

    /// <summary>The evaluator's handlers (val_handlers, else a top-level "handlers" list): id, class name, position.</summary>
    private static IEnumerable<(string Id, string Name, ConfigPosition Position)> Handlers(ConfigResolver resolver)
    {
        var listId = new[] { "evaluator::val_handlers", "handlers", "val_handlers" }.FirstOrDefault(id => resolver.Find(id) is not null);
        if (listId is null)
        {
            yield break;
        }

        listId = BundlePipelineReader.Follow(resolver, listId);
        var list = resolver.Find(listId)!;
        for (var i = 0; i < list.Items.Count; i++)
        {
            var id = BundlePipelineReader.Follow(resolver, ConfigIds.Join(listId, i.ToString(CultureInfo.InvariantCulture)));
            if (resolver.Find(id) is { IsComponent: true } node && !Disabled(resolver, id))
            {
                var target = node.Get("_target_")!.Text ?? string.Empty;
                yield return (id, target[(target.LastIndexOf('.') + 1)..], node.Position);
            }
        }
    }

    private static bool Disabled(ConfigResolver resolver, string id)
    {
        var key = ConfigIds.Join(id, "_disabled_");
        if (resolver.Find(key) is null)
        {
            return false;
        }

        var (value, _) = resolver.TryResolve(key);
        return value is true || (value is string s && s.Trim().Equals("true", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A component's argument resolved on its own (null when absent); one that does not resolve is refused where it is.</summary>
    private static object? Arg(ConfigResolver resolver, string componentId, string key, Func<string, MdaiClaraException> refused)
    {
        var id = ConfigIds.Join(componentId, key);
        if (resolver.Find(id) is null)
        {
            return null;
        }

        var (value, problem) = resolver.TryResolve(id);
        return problem is null ? value : throw refused($"the \"{key}\" of @{componentId} does not resolve ({problem}), and packaging must know it to read the saver's output back");
    }
}
