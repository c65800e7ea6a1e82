using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace MdaiClara.Engine.Mmar.Repair;

/// <summary>A SegmentationSaver handler read for its SaveImaged form: the key it saved, the meta dict it named, the arguments kept.</summary>
internal sealed record SaverMapping(int Index, string Key, string MetaKey, IReadOnlyList<KeyValuePair<string, JsonNode?>> Kept);

/// <summary>A TransformInverter handler read for its Invertd form.</summary>
internal sealed record InverterMapping(int Index, IReadOnlyList<string> Keys, string OrigKey, string Postfix, IReadOnlyList<KeyValuePair<string, JsonNode?>> Kept);

/// <summary>
/// The two Clara 4.0 handlers that Clara 4.1 replaced with post-transforms, read with MONAI 0.5's defaults
/// (SegmentationSaver: postfix "seg", resample true; TransformInverter: output_keys "pred", batch_keys "image",
/// postfix "inverted", nearest_interp true), and written as MONAI 0.8.1's SaveImaged and Invertd.
/// </summary>
internal static class Clara40HandlerMappings
{
    /// <summary>SegmentationSaver (0.5) arguments SaveImaged (0.8.1) takes with the same name and meaning.</summary>
    private static readonly HashSet<string> SaverArgsKept = new(StringComparer.Ordinal)
    {
        "output_dir", "output_postfix", "output_ext", "resample", "mode", "padding_mode", "scale", "dtype", "output_dtype", "squeeze_end_dims", "data_root_dir",
    };

    /// <summary>TransformInverter (0.5) arguments Invertd (0.8.1) takes with the same name and meaning.</summary>
    private static readonly HashSet<string> InverterArgsKept = new(StringComparer.Ordinal) { "nearest_interp", "to_tensor", "device", "meta_key_postfix" };

    public delegate MmarChange Gap(string pointer, string what, string why);

    public static SaverMapping? ReadSaver(JsonObject handler, int index, Gap gap, List<MmarChange> gaps)
    {
        var pointer = $"/handlers/{index}/args";
        var args = handler["args"] as JsonObject ?? new JsonObject();
        var before = gaps.Count;
        var output = Single(args, "output_transform");
        if (output is null)
        {
            gaps.Add(gap(pointer + "/output_transform", "SegmentationSaver's output_transform",
                "SaveImaged saves one key; only an output_transform of the form lambda x: x['pred'] says which"));
        }

        var meta = Single(args, "batch_transform");
        if (meta is null || !meta.EndsWith("_meta_dict", StringComparison.Ordinal))
        {
            gaps.Add(gap(pointer + "/batch_transform", "SegmentationSaver's batch_transform",
                "SaveImaged takes the meta data by key; only a batch_transform of the form lambda x: x['image_meta_dict'] says which"));
        }

        var kept = new List<KeyValuePair<string, JsonNode?>>();
        foreach (var (name, value) in args)
        {
            if (SaverArgsKept.Contains(name))
            {
                kept.Add(new(name, value?.DeepClone()));
            }
            else if (name is not ("output_transform" or "batch_transform"))
            {
                gaps.Add(gap($"{pointer}/{name}", $"SegmentationSaver's argument '{name}'", "SaveImaged has no argument known to mean the same"));
            }
        }

        return gaps.Count == before ? new SaverMapping(index, output!, meta!, kept) : null;
    }

    public static InverterMapping? ReadInverter(JsonObject handler, int index, Gap gap, List<MmarChange> gaps)
    {
        var pointer = $"/handlers/{index}/args";
        var args = handler["args"] as JsonObject ?? new JsonObject();
        var before = gaps.Count;
        var keys = Strings(args["output_keys"]) ?? (args.ContainsKey("output_keys") ? null : new List<string> { "pred" });
        var origins = Strings(args["batch_keys"]) ?? (args.ContainsKey("batch_keys") ? null : new List<string> { "image" });
        var postfix = args.ContainsKey("postfix") ? Text(args["postfix"]) : "inverted";
        if (keys is not { Count: > 0 } || origins is not { Count: 1 } || postfix is null)
        {
            gaps.Add(gap(pointer, "TransformInverter's output_keys, batch_keys or postfix",
                "Invertd inverts keys after one original key; only string keys and a single batch key map onto it"));
        }

        var kept = new List<KeyValuePair<string, JsonNode?>>();
        foreach (var (name, value) in args)
        {
            if (InverterArgsKept.Contains(name))
            {
                kept.Add(new(name, value?.DeepClone()));
            }
            else if (name is not ("output_keys" or "batch_keys" or "postfix"))
            {
                gaps.Add(gap($"{pointer}/{name}", $"TransformInverter's argument '{name}'", "Invertd has no argument known to mean the same"));
            }
        }

        return gaps.Count == before ? new InverterMapping(index, keys!, origins![0], postfix!, kept) : null;
    }

    public static JsonObject Invertd(IReadOnlyList<string> keys, string origKey, IEnumerable<KeyValuePair<string, JsonNode?>> kept, bool? nearestInterp)
    {
        var args = new JsonObject
        {
            ["keys"] = OneOrMany(keys),
            ["transform"] = "@pre_transforms",
            ["orig_keys"] = origKey,
            ["meta_keys"] = OneOrMany(keys.Select(k => k + "_meta_dict").ToList()),
        };
        foreach (var (name, value) in kept)
        {
            args[name] = value;
        }

        if (nearestInterp is { } nearest && !args.ContainsKey("nearest_interp"))
        {
            args["nearest_interp"] = nearest;
        }

        return new JsonObject { ["name"] = "Invertd", ["args"] = args };
    }

    public static JsonObject SaveImaged(SaverMapping saver, string key, bool inverted)
    {
        var args = new JsonObject
        {
            ["keys"] = key,
            ["meta_keys"] = inverted ? key + "_meta_dict" : saver.MetaKey,
        };
        foreach (var (name, value) in saver.Kept)
        {
            args[name] = value;
        }

        // SegmentationSaver's defaults, written out: its file names (<name>_seg) and, without Invertd, its resampling
        // to the original affine; after Invertd the prediction already is on the input's grid (NVIDIA's 4.1: false).
        AddMissing(args, "output_postfix", "seg");
        AddMissing(args, "resample", !inverted);
        AddMissing(args, "squeeze_end_dims", true);
        return new JsonObject { ["name"] = "SaveImaged", ["args"] = args };
    }

    private static void AddMissing(JsonObject args, string name, JsonNode value)
    {
        if (!args.ContainsKey(name))
        {
            args[name] = value;
        }
    }

    private static JsonNode OneOrMany(IReadOnlyList<string> values) =>
        values.Count == 1 ? JsonValue.Create(values[0])! : new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    /// <summary>The one key a lambda of the form <c>lambda x: x['key']</c> reads.</summary>
    private static string? Single(JsonObject args, string name) =>
        Text(args[name]) is { } lambda && LambdaMigrations.ItemKeys(lambda) is [var key] ? key : null;

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static List<string>? Strings(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => new List<string> { s },
        JsonArray a when a.All(i => Text(i) is not null) => a.Select(i => Text(i)!).ToList(),
        _ => null,
    };
}
