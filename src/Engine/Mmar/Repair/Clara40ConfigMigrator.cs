using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Configs;

namespace MdaiClara.Engine.Mmar.Repair;

/// <summary>The migrated config text (null when something could not be migrated) and what was done, or what stopped it.</summary>
public sealed record ConfigMigration(string? Text, IReadOnlyList<MmarChange> Changes)
{
    public bool Complete => Text is not null;
}

/// <summary>
/// Rewrites a Clara 4.0 (MONAI 0.5) inference config into what Clara 4.1 (MONAI 0.8.1) runs, following NVIDIA's
/// "Upgrading MMAR from Clara 4.0 to 4.1" notes and the shape of NVIDIA's own 4.1 GettingStarted config: the
/// TransformInverter handler becomes an Invertd post-transform, the SegmentationSaver handler a SaveImaged
/// post-transform (with Invertd before it when the pre-transforms change the grid), lambdas over the engine's batch
/// take their decollated form, "metrics" splits into "key_metric" and "additional_metrics", and the config states
/// CLARA_TRAIN_VERSION 4.1.0. All or nothing: when any part has no known 4.1 form, the config is left as it was and
/// each such part is reported with its line and column.
/// </summary>
public static class Clara40ConfigMigrator
{
    /// <summary>Handlers that exist with the same arguments in MONAI 0.8.1 (their lambdas are migrated on their own).</summary>
    private static readonly HashSet<string> UnchangedHandlers = new(StringComparer.Ordinal)
    {
        "StatsHandler", "CheckpointLoader", "CheckpointSaver", "MetricsSaver", "ClassificationSaver", "TensorBoardStatsHandler",
        "ValidationHandler", "LrScheduleHandler",
    };

    /// <summary>Pre-transforms that change the grid; without an inverse the saved prediction is not on the input's grid.</summary>
    private static readonly HashSet<string> GridTransforms = new(StringComparer.Ordinal)
    {
        "Spacingd", "Orientationd", "CropForegroundd", "SpatialCropd", "CenterSpatialCropd", "SpatialPadd", "BorderPadd", "DivisiblePadd",
        "ResizeWithPadOrCropd", "Resized", "Zoomd", "Rotate90d", "Flipd",
    };

    public static ConfigMigration Migrate(ParsedJsonFile parsed, string text)
    {
        var file = parsed.RelativePath;
        MmarChange At(MmarChangeKind kind, string pointer, string what, string why)
        {
            var at = parsed.Locate(pointer);
            return new MmarChange(file, kind, what, why, at?.Line, at?.Column);
        }

        MmarChange Gap(string pointer, string what, string why) => At(MmarChangeKind.NotMigrated, pointer, what, why);

        if (parsed.DuplicateKeys.Count > 0 || !parsed.IsValid)
        {
            return new ConfigMigration(null, new[] { new MmarChange(file, MmarChangeKind.NotMigrated, "the config", "it has a syntax error or repeated keys; fix it first") });
        }

        JsonNode? parsedNode;
        try
        {
            parsedNode = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
        }
        catch (JsonException ex)
        {
            // Python's json takes NaN and Infinity, which a strict writer cannot carry through unchanged.
            return new ConfigMigration(null, new[] { new MmarChange(file, MmarChangeKind.NotMigrated, "the config", $"it cannot be rewritten as strict JSON ({ex.Message.TrimEnd('.')})") });
        }

        if (parsedNode is not JsonObject root)
        {
            return new ConfigMigration(null, new[] { new MmarChange(file, MmarChangeKind.NotMigrated, "the config", "it is not a JSON object") });
        }

        var changes = new List<MmarChange>();
        var gaps = new List<MmarChange>();

        // 1. Read the handlers (nothing moves yet, so every pointer still names the original text).
        var handlers = root["handlers"] as JsonArray ?? new JsonArray();
        SaverMapping? saver = null;
        InverterMapping? inverter = null;
        var replaced = new HashSet<string>(StringComparer.Ordinal); // pointers of the handlers that become post-transforms, whole
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < handlers.Count; i++)
        {
            if (handlers[i] is not JsonObject handler)
            {
                continue;
            }

            var name = handler["name"] is JsonValue n && n.TryGetValue<string>(out var s) ? ComponentSpec.Canonicalize(s) : null;
            if (name is "SegmentationSaver" or "TransformInverter" && !seen.Add(name))
            {
                gaps.Add(Gap($"/handlers/{i}", $"a second {name} handler", "one config has one saver and one inverter in Clara 4.1's post-transforms"));
            }
            else if (name == "SegmentationSaver")
            {
                replaced.Add($"/handlers/{i}");
                saver = Clara40HandlerMappings.ReadSaver(handler, i, Gap, gaps);
            }
            else if (name == "TransformInverter")
            {
                replaced.Add($"/handlers/{i}");
                inverter = Clara40HandlerMappings.ReadInverter(handler, i, Gap, gaps);
            }
            else if (name is null)
            {
                gaps.Add(Gap($"/handlers/{i}", "a custom handler", "whether its code handles MONAI 0.8.1's decollated batches cannot be told from the config"));
            }
            else if (!UnchangedHandlers.Contains(name))
            {
                gaps.Add(Gap($"/handlers/{i}", $"the {name} handler", "its Clara 4.1 form is not known"));
            }
        }

        // TransformInverter wrote "<key>_<postfix>"; Invertd inverts "<key>" in place.
        var renamed = inverter is null ? new Dictionary<string, string>() : inverter.Keys.ToDictionary(k => $"{k}_{inverter.Postfix}", k => k, StringComparer.Ordinal);

        // 2. Lambdas, in place (the two handlers above are replaced as a whole).
        MigrateLambdas(root, string.Empty, replaced, renamed, changes, gaps, At);

        // 3. The handlers become post-transforms.
        JsonObject? invertd = null;
        var savedKey = saver is null ? null : renamed.GetValueOrDefault(saver.Key, saver.Key);
        if (inverter is not null)
        {
            invertd = Clara40HandlerMappings.Invertd(inverter.Keys, inverter.OrigKey, inverter.Kept, nearestInterp: null);
            changes.Add(At(MmarChangeKind.Migrated, $"/handlers/{inverter.Index}", "the TransformInverter handler became an Invertd post-transform",
                $"Clara 4.1 inverts with the Invertd post-transform (NVIDIA's 4.1 upgrade notes); it inverts '{string.Join("', '", inverter.Keys)}' in place, so what read '{string.Join("', '", renamed.Keys)}' now reads '{string.Join("', '", renamed.Values)}'"));
        }
        else if (saver is not null && GridChangedBy(root) is { } grid)
        {
            invertd = Clara40HandlerMappings.Invertd(new[] { savedKey! }, grid.OrigKey, Array.Empty<KeyValuePair<string, JsonNode?>>(), nearestInterp: false);
            changes.Add(At(MmarChangeKind.Migrated, grid.Pointer, "added an Invertd post-transform",
                $"{grid.Name} changes the grid and Clara 4.0's SegmentationSaver wrote the prediction on the changed grid; Invertd maps it back to the input's grid before it is saved, as NVIDIA's Clara 4.1 GettingStarted config does"));
        }

        if (invertd is not null || saver is not null)
        {
            if (root["post_transforms"] is not JsonArray post)
            {
                post = new JsonArray();
                root["post_transforms"] = post;
            }

            if (invertd is not null)
            {
                // After the activation and before AsDiscreted, as in NVIDIA's 4.1 config: probabilities are resampled, then discretised.
                var discrete = post.Select((t, i) => (t, i)).Where(p => p.t?["name"] is JsonValue v && v.TryGetValue<string>(out var tn) && ComponentSpec.Canonicalize(tn) is "AsDiscreted").Select(p => p.i).DefaultIfEmpty(post.Count).First();
                post.Insert(discrete, invertd);
            }

            if (saver is not null)
            {
                post.Add(Clara40HandlerMappings.SaveImaged(saver, savedKey!, inverted: invertd is not null));
                changes.Add(At(MmarChangeKind.Migrated, $"/handlers/{saver.Index}", "the SegmentationSaver handler became a SaveImaged post-transform",
                    "Clara 4.1 saves with the SaveImaged post-transform (NVIDIA's 4.1 upgrade notes); SegmentationSaver's lambdas fail on MONAI 0.8.1's decollated batches"));
            }

            foreach (var index in new[] { saver?.Index, inverter?.Index }.Where(i => i is not null).Select(i => i!.Value).OrderDescending())
            {
                handlers.RemoveAt(index);
            }
        }

        if (gaps.Count > 0)
        {
            return new ConfigMigration(null, gaps.OrderBy(g => g.Line ?? 0).ThenBy(g => g.Column ?? 0).ToList());
        }

        // 4. The top level: the version first (as NVIDIA's 4.1 configs), "metrics" split where it stood.
        var result = new JsonObject { ["CLARA_TRAIN_VERSION"] = "4.1.0" };
        foreach (var (name, value) in root.ToList())
        {
            root.Remove(name);
            if (name == "metrics" && value is JsonArray metrics && metrics.OfType<JsonObject>().Any())
            {
                var (key, additional) = SplitMetrics(metrics);
                result["key_metric"] = key;
                if (additional.Count > 0)
                {
                    result["additional_metrics"] = additional;
                }

                changes.Add(At(MmarChangeKind.Migrated, "/metrics", "split \"metrics\" into \"key_metric\" and \"additional_metrics\"", "Clara 4.1 takes the key metric and the others under these two keys (NVIDIA's 4.1 upgrade notes)"));
            }
            else if (name != "CLARA_TRAIN_VERSION")
            {
                result[name] = value;
            }
        }

        changes.Add(At(MmarChangeKind.Migrated, "/", "set \"CLARA_TRAIN_VERSION\": \"4.1.0\" at the top", "the config now has its Clara 4.1 form, and says so as NVIDIA's 4.1 configs do"));
        return new ConfigMigration(JsonConfigWriter.Write(result, JsonConfigWriter.DetectIndent(text), JsonConfigWriter.DetectNewline(text)), changes);
    }

    private static void MigrateLambdas(JsonNode? node, string pointer, HashSet<string> skip, IReadOnlyDictionary<string, string> renamed, List<MmarChange> changes, List<MmarChange> gaps, Func<MmarChangeKind, string, string, string, MmarChange> at)
    {
        if (skip.Contains(pointer))
        {
            return;
        }

        var children = node switch
        {
            JsonObject o => o.Select(p => (Key: p.Key, Value: p.Value)).ToList(),
            JsonArray a => a.Select((v, i) => (Key: i.ToString(System.Globalization.CultureInfo.InvariantCulture), Value: v)).ToList(),
            _ => new List<(string Key, JsonNode? Value)>(),
        };
        foreach (var (key, value) in children)
        {
            var child = $"{pointer}/{key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";
            if (value is JsonValue v && v.TryGetValue<string>(out var s) && s.TrimStart().StartsWith("lambda", StringComparison.Ordinal))
            {
                var (outcome, replacement) = LambdaMigrations.Migrate(s, renamed);
                if (outcome == LambdaMigrationOutcome.Migrated)
                {
                    if (node is JsonObject o)
                    {
                        o[key] = replacement;
                    }
                    else
                    {
                        ((JsonArray)node!)[int.Parse(key, System.Globalization.CultureInfo.InvariantCulture)] = replacement;
                    }

                    changes.Add(at(MmarChangeKind.Migrated, child, $"\"{s}\" became \"{replacement}\"", "MONAI 0.8.1 hands handlers and metrics a list of per-item dictionaries (decollated), which from_engine reads as NVIDIA's 4.1 configs do"));
                }
                else if (outcome == LambdaMigrationOutcome.Unknown)
                {
                    gaps.Add(at(MmarChangeKind.NotMigrated, child, $"the lambda \"{s}\"", "its MONAI 0.8.1 form (decollated batches) is not known; rewrite it by hand"));
                }
            }
            else
            {
                MigrateLambdas(value, child, skip, renamed, changes, gaps, at);
            }
        }
    }

    /// <summary>The first enabled pre-transform that changes the grid, and the key Invertd should take the trace from.</summary>
    private static (string Name, string Pointer, string OrigKey)? GridChangedBy(JsonObject root)
    {
        if (root["pre_transforms"] is not JsonArray pre)
        {
            return null;
        }

        for (var i = 0; i < pre.Count; i++)
        {
            if (pre[i] is not JsonObject t || t["name"] is not JsonValue n || !n.TryGetValue<string>(out var name) || !GridTransforms.Contains(ComponentSpec.Canonicalize(name))
                || (t["disabled"] is JsonValue d && d.TryGetValue<bool>(out var disabled) && disabled))
            {
                continue;
            }

            var keys = t["args"]?["keys"] switch
            {
                JsonValue k when k.TryGetValue<string>(out var one) => new List<string> { one },
                JsonArray a => a.OfType<JsonValue>().Select(k => k.TryGetValue<string>(out var e) ? e : null).Where(e => e is not null).Select(e => e!).ToList(),
                _ => new List<string>(),
            };
            if (keys.Count > 0)
            {
                return (name, $"/pre_transforms/{i}", keys.Contains("image") ? "image" : keys[0]);
            }
        }

        return null;
    }

    private static (JsonObject Key, JsonArray Additional) SplitMetrics(JsonArray metrics)
    {
        var items = metrics.OfType<JsonObject>().ToList();
        var key = items.FirstOrDefault(m => m["is_key_metric"] is JsonValue v && v.TryGetValue<bool>(out var b) && b) ?? items[0];
        var additional = new JsonArray();
        foreach (var metric in metrics.ToList())
        {
            metrics.Remove(metric);
            (metric as JsonObject)?.Remove("is_key_metric");
            if (!ReferenceEquals(metric, key))
            {
                additional.Add(metric);
            }
        }

        return (key, additional);
    }
}
