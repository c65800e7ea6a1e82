using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Configs;

namespace MdaiClara.Engine.Mmar;

/// <summary>One thing an inference config needs besides the image: where it is asked for and why.</summary>
public sealed record ExtraModelInput(ComponentSpec Component, string Reason, int AddedChannels);

/// <summary>
/// Pre-transforms that need inputs an automatic model is not given (MD.ai sends only the image): a label or second image
/// loaded beside it, clicks, guidance or extreme points (interactive annotation models such as DeepGrow and NVIDIA's
/// "annotation" MMARs), or a crop driven by a label. Also counts the channels such transforms add to the model's input.
/// </summary>
public static class ExtraModelInputs
{
    /// <summary>Guidance transforms (MONAI apps.deepgrow/deepedit, Clara AIAA): channels they add, 0 when they add none.</summary>
    private static readonly Dictionary<string, int> GuidanceTransforms = new()
    {
        ["AddExtremePointsChanneld"] = 1,
        ["AddExtremePointsChannel"] = 1,
        ["ExtremePointsd"] = 0,
        ["AddGuidanceSignald"] = 2,
        ["AddGuidanceSignalCustomd"] = 2,
        ["AddInitialSeedPointd"] = 0,
        ["AddGuidanceFromPointsd"] = 0,
        ["AddRandomGuidanced"] = 0,
        ["FindDiscrepancyRegionsd"] = 0,
        ["SpatialCropGuidanced"] = 0,
        ["AddClickSignalsd"] = 0,
        ["AddGuidanceSignalDeepEditd"] = 0,
        ["AddInitialSeedPointMissingLabelsd"] = 0,
        ["FindAllValidSlicesd"] = 0,
        ["FindAllValidSlicesMissingLabelsd"] = 0,
    };

    /// <summary>Arguments that name the key a transform takes its region or points from.</summary>
    private static readonly string[] SourceArguments = { "source_key", "label_key", "guidance", "guidance_key", "select_fn_key" };

    public static IReadOnlyList<ExtraModelInput> Find(InferenceConfig? config)
    {
        var found = new List<ExtraModelInput>();
        if (config is null)
        {
            return found;
        }

        var extraKeys = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var t in config.PreTransforms.Where(t => !t.Disabled))
        {
            var name = t.CanonicalName;
            var keys = Keys(t.Args.TryGetValue("keys", out var k) ? k : null);
            if (name is "LoadImaged")
            {
                var image = keys.Contains("image") ? "image" : keys.FirstOrDefault();
                foreach (var other in keys.Where(x => x != image))
                {
                    extraKeys.Add(other);
                    found.Add(new ExtraModelInput(t, $"{t.Name} loads '{other}' besides the image", 0));
                }
            }
            else if (name is "CopyItemsd" && keys.Any(extraKeys.Contains))
            {
                foreach (var copy in Keys(t.Args.TryGetValue("names", out var n) ? n : null))
                {
                    extraKeys.Add(copy);
                }
            }
            else if (GuidanceTransforms.TryGetValue(name, out var added))
            {
                var what = added > 0 ? $"adds {added} guidance channel{(added == 1 ? string.Empty : "s")} made from clicks, points or a label" : "works from clicks, points or a label";
                found.Add(new ExtraModelInput(t, $"{t.Name} {what} (an interactive annotation model)", added));
                continue;
            }

            foreach (var argument in SourceArguments)
            {
                if (t.Args.GetString(argument) is { } source && extraKeys.Contains(source))
                {
                    found.Add(new ExtraModelInput(t, $"{t.Name} takes its {argument} from '{source}', which is not the image", 0));
                }
            }
        }

        return found;
    }

    /// <summary>
    /// The model's input channel count once pre-transforms that add channels are accounted for: the stated count when it
    /// leaves at least one channel for the image, 1 image channel plus the added ones when nothing states it, and null
    /// (with the reason as the source) when the stated count cannot hold the added channels.
    /// </summary>
    public static (int? Channels, string? Source) InputChannels(int? stated, string? statedSource, InferenceConfig? config)
    {
        var adders = Find(config).Where(e => e.AddedChannels > 0).ToList();
        if (adders.Count == 0)
        {
            return (stated, statedSource);
        }

        var added = adders.Sum(a => a.AddedChannels);
        var names = string.Join(", ", adders.Select(a => a.Component.Name));
        var plural = added == 1 ? "channel" : "channels";
        if (stated is null)
        {
            return (1 + added, $"1 image channel (assumed) and {added} {plural} added by {names} in {config!.File}");
        }

        return stated > added
            ? (stated, $"{statedSource}; {added} of them added by {names} in {config!.File}, so the image gives {stated - added}")
            : (null, $"cannot tell: {statedSource} says {stated}, but {names} in {config!.File} adds {added} {plural} to the image's");
    }

    private static List<string> Keys(object? value) => value switch
    {
        string s => new List<string> { s },
        object?[] list => list.OfType<string>().ToList(),
        _ => new List<string>(),
    };
}
