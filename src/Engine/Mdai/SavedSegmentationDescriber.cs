using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MdaiClara.Engine.Configs;

namespace MdaiClara.Engine.Mdai;

/// <summary>What <see cref="SavedSegmentationDescriber.Describe"/> found: the saved file's description, or why the interface code could not read it.</summary>
public sealed record SavedSegmentationVerdict(SavedSegmentationOutput? Output, string? Refusal);

/// <summary>
/// Reads, from an MMAR's inference config, what its saver is handed (label map, one-hot, probabilities, and how many
/// channels) by following the post-transforms that touch the saved key up to the saver, with MONAI 0.8.1's semantics:
/// the network gives scores (OUTPUT_CHANNELS), Activations(d) makes them probabilities (softmax: exclusive classes;
/// sigmoid: independent ones), AsDiscrete(d) applies argmax, then to_onehot, then a threshold, then rounding.
/// Transforms that keep the meaning of the values (Invertd, KeepLargestConnectedComponentd, casts) change nothing here.
/// Every MONAI 0.8.1 saver (SaveImage(d), SegmentationSaver) writes through NiftiSaver, so channels are always last.
/// </summary>
public static class SavedSegmentationDescriber
{
    private enum Values
    {
        Scores,
        Softmax,
        Sigmoid,
        Labels,
        OneHot,
        Masks,
    }

    /// <summary>The saver whose file the interface code reads: the last SaveImage(d) post-transform (Clara 4.1), else the last SegmentationSaver handler (Clara 4.0).</summary>
    public static ComponentSpec? FindSaver(InferenceConfig config) => Validation.MdaiDeploymentChecks.Saver(config, "segmentation");

    /// <summary>The key whose data the saver writes ("pred" for SegmentationSaver, else the first of its keys).</summary>
    public static string SavedKey(ComponentSpec saver) =>
        saver.CanonicalName == "SegmentationSaver" ? "pred" : Keys(saver.Args).FirstOrDefault() ?? "pred";

    /// <param name="config">The inference config.</param>
    /// <param name="saver">The saver the package reads the result of (a SaveImage(d) post-transform or a SegmentationSaver handler).</param>
    /// <param name="outputChannels">The network's output channels, when known.</param>
    public static SavedSegmentationVerdict Describe(InferenceConfig config, ComponentSpec saver, int? outputChannels)
    {
        var key = SavedKey(saver);
        var before = saver.CanonicalName == "SegmentationSaver"
            ? config.PostTransforms
            : config.PostTransforms.TakeWhile(t => !ReferenceEquals(t, saver));
        var values = Values.Scores;
        var channels = outputChannels;
        var last = "the network";
        foreach (var transform in before.Where(t => !t.Disabled && Touches(t, key)))
        {
            var where = $"{transform.Name} ({transform.File}{(transform.Location is { } at ? $":{at.Line}:{at.Column}" : string.Empty)})";
            switch (transform.CanonicalName)
            {
                case "Activationsd" or "Activations":
                    if (PerKey(transform, "softmax", key) is true)
                    {
                        (values, last) = (Values.Softmax, where);
                    }
                    else if (PerKey(transform, "sigmoid", key) is true)
                    {
                        (values, last) = (Values.Sigmoid, where);
                    }

                    break;
                case "AsDiscreted" or "AsDiscrete":
                    (values, channels) = Discrete(transform, key, values, channels);
                    last = where;
                    break;
            }
        }

        var saved = saver.Name;
        var count = channels?.ToString(CultureInfo.InvariantCulture) ?? "an unknown number of";
        return values switch
        {
            Values.Labels => Accept(SavedContent.Labels, 1),
            Values.OneHot when channels == 1 => Accept(SavedContent.Labels, 1),
            Values.OneHot => Accept(SavedContent.OneHot, channels),
            (Values.Scores or Values.Softmax) when channels is null or > 1 => Accept(SavedContent.Probabilities, channels),
            Values.Scores or Values.Softmax or Values.Sigmoid when channels == 1 => Refuse($"its {saved} is handed one channel of {(values == Values.Scores ? "network scores" : "probabilities")} (after {last}), so which voxels are foreground depends on a threshold the config does not set: end the post-transforms with AsDiscreted (threshold 0.5, or argmax over several channels) before the saver"),
            Values.Sigmoid => Refuse($"its {saved} is handed sigmoid probabilities of {count} independent classes (after {last}); a voxel may belong to several of them, which one label map per series cannot hold: end the post-transforms with AsDiscreted (argmax) if the classes are exclusive"),
            _ => Refuse($"its {saved} is handed {count} thresholded channels (after {last}): independent masks that may overlap, which one label map per series cannot hold: use argmax (AsDiscreted argmax: true) if the classes are exclusive"),
        };
    }

    private static SavedSegmentationVerdict Accept(SavedContent content, int? channels) =>
        new(new SavedSegmentationOutput { Content = content, Channels = channels, ChannelAxis = SavedChannelAxis.Last }, null);

    private static SavedSegmentationVerdict Refuse(string why) => new(null, why);

    /// <summary>MONAI 0.8.1's AsDiscrete order: argmax, to_onehot, threshold, rounding (with the pre-0.8 argument names).</summary>
    private static (Values, int?) Discrete(ComponentSpec transform, string key, Values values, int? channels)
    {
        if (PerKey(transform, "argmax", key) is true)
        {
            (values, channels) = (Values.Labels, 1);
        }

        var classes = Int(transform.Args, "n_classes") ?? Int(transform.Args, "num_classes");
        var onehot = PerKey(transform, "to_onehot", key) switch
        {
            true => classes,
            long n => (int)n,
            double d when d == Math.Floor(d) => (int)d,
            _ => null,
        };
        if (onehot is { } n1)
        {
            (values, channels) = (Values.OneHot, n1);
        }

        var threshold = PerKey(transform, "threshold", key) is true or long or double
            || transform.Args.TryGetValue("threshold_values", out var legacy) && legacy is true;
        if (threshold && values is Values.Scores or Values.Softmax or Values.Sigmoid)
        {
            values = channels == 1 ? Values.Labels : Values.Masks;
        }

        if (transform.Args.GetString("rounding") is not null && channels == 1 && values is Values.Scores or Values.Softmax or Values.Sigmoid)
        {
            values = Values.Labels;
        }

        return (values, channels);
    }

    private static int? Int(ConfigObject args, string name) => args.TryGetValue(name, out var v) ? v switch
    {
        long l when l is > 0 and <= int.MaxValue => (int)l,
        double d when d > 0 && d == Math.Floor(d) && d <= int.MaxValue => (int)d,
        _ => null,
    } : null;

    /// <summary>Whether a (dictionary) transform works on the saved key; array transforms (no keys) work on what they are given.</summary>
    private static bool Touches(ComponentSpec transform, string key) =>
        !transform.Args.ContainsKey("keys") || Keys(transform.Args).Contains(key, StringComparer.Ordinal);

    private static IReadOnlyList<string> Keys(ConfigObject args) => args.TryGetValue("keys", out var keys) ? keys switch
    {
        string s => [s],
        object?[] list => list.OfType<string>().ToList(),
        _ => [],
    } : [];

    /// <summary>An argument's value for the saved key (MONAI's dictionary transforms take one value or one per key).</summary>
    private static object? PerKey(ComponentSpec transform, string name, string key)
    {
        if (!transform.Args.TryGetValue(name, out var value) || value is not object?[] list)
        {
            return transform.Args.TryGetValue(name, out var single) ? single : null;
        }

        var keys = Keys(transform.Args);
        var index = keys.ToList().IndexOf(key);
        return list.Length == keys.Count && index >= 0 ? list[index] : list.Length == 1 ? list[0] : null;
    }
}
