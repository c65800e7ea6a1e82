using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Mmar.Repair;

/// <summary>
/// Decides, from an MMAR's analysis, what makes it a Clara 4.1 MMAR MD.ai's container can run: the standard
/// commands/set_env.sh and commands/infer.sh (running the inference config the analysis chose), the environment keys
/// MD.ai's interface reads (OUTPUT_CHANNELS, INFER_DATALIST_KEY, DATASET_JSON) where the MMAR states their values
/// elsewhere, and the Clara 4.0 → 4.1 migration of the inference config. Values that cannot be derived are reported
/// as not repaired, never invented.
/// </summary>
public static class MmarRepairPlanner
{
    /// <summary>Where the datalist goes when the MMAR keeps none inside it (MD.ai's spleen example uses this path).</summary>
    public const string DatasetJsonInside = "config/dataset_0.json";

    public static MmarRepairPlan Plan(MmarAnalysis analysis)
    {
        var info = analysis.Info;
        if (info.Generation == ClaraGeneration.Clara3TensorFlow)
        {
            throw new MdaiClaraException(
                $"{info.Name} is a Clara {info.ClaraVersion ?? "3.x"} TensorFlow MMAR; its model is a TensorFlow graph, which no config change turns into the TorchScript model Clara 4.1 runs. Retrain it with Clara 4.1 (MONAI) instead.",
                ErrorIds.MmarRepairRefused, ErrorKind.InvalidOperation, info.Path);
        }

        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var changes = new List<MmarChange>();
        var migrated = MigrateInferenceConfig(analysis, files, changes);
        AddScripts(analysis, files, changes);
        PatchEnvironment(analysis, migrated, files, changes);
        NoteMissingSaver(analysis, changes);

        // The copy holds what the MMAR's reader lists; what it would not read is not copied either, and said so.
        changes.AddRange(analysis.Source.Skipped.Select(e => new MmarChange(e.RelativePath, MmarChangeKind.NotRepaired, "not copied", e.Reason)));
        return new MmarRepairPlan(files, changes);
    }

    /// <summary>
    /// A config that saves no result gives MD.ai's interface nothing to read back; which saver (and where it writes)
    /// is the model author's decision, so it is reported, not added.
    /// </summary>
    private static void NoteMissingSaver(MmarAnalysis analysis, List<MmarChange> changes)
    {
        var info = analysis.Info;
        if (info.InferenceConfig is not { } config || info.Task is not ("segmentation" or "classification"))
        {
            return;
        }

        var components = config.PostTransforms.Concat(config.Handlers).Where(c => !c.Disabled).Select(c => c.CanonicalName).ToHashSet(StringComparer.Ordinal);
        var savers = info.Task == "segmentation"
            ? new[] { "SaveImaged", "SaveImage", "SegmentationSaver" }
            : new[] { "ClassificationSaver", "SaveClassificationd", "SaveClassification" };
        if (!savers.Any(components.Contains))
        {
            changes.Add(new MmarChange(config.File, MmarChangeKind.NotRepaired, $"saves no {info.Task} result",
                $"it has no {string.Join(" or ", savers)}, so MD.ai's interface would find nothing after infer.sh; which result to save, and how, is the model's to say"));
        }
    }

    private static bool MigrateInferenceConfig(MmarAnalysis analysis, SortedDictionary<string, string> files, List<MmarChange> changes)
    {
        if (analysis.Info.Generation != ClaraGeneration.Clara40 || analysis.InferenceConfigFile is not { } config
            || !analysis.JsonFiles.TryGetValue(config, out var parsed))
        {
            return false;
        }

        var migration = Clara40ConfigMigrator.Migrate(parsed, ReadText(analysis, config));
        changes.AddRange(migration.Changes);
        if (migration.Text is null)
        {
            changes.Add(new MmarChange(config, MmarChangeKind.NotRepaired, "left as Clara 4.0",
                $"{migration.Changes.Count} part(s) have no known Clara 4.1 form (listed above), and a half-migrated config would run neither way; MD.ai's Clara 4.1 container will not run it as it is"));
            return false;
        }

        files[config] = migration.Text;
        return true;
    }

    private static void AddScripts(MmarAnalysis analysis, SortedDictionary<string, string> files, List<MmarChange> changes)
    {
        var source = analysis.Source;
        if (!source.FileExists(CommandScripts.SetEnvPath))
        {
            files[CommandScripts.SetEnvPath] = CommandScripts.SetEnv();
            changes.Add(new MmarChange(CommandScripts.SetEnvPath, MmarChangeKind.Added, "the standard set_env.sh",
                "Clara's command scripts source it: it sets MMAR_ROOT to the MMAR and puts Clara's packages and the MMAR's custom/ code on PYTHONPATH"));
        }

        if (source.FileExists(CommandScripts.InferPath))
        {
            foreach (var (path, namedBy) in analysis.MissingNamedFiles.Where(m => m.NamedBy.StartsWith(CommandScripts.InferPath, StringComparison.Ordinal)))
            {
                changes.Add(new MmarChange(CommandScripts.InferPath, MmarChangeKind.NotRepaired, $"names {path}, which does not exist",
                    $"the script is the MMAR's own ({namedBy}); which file it meant cannot be told, so it is left for a person to correct"));
            }

            return;
        }

        if (analysis.InferenceConfigFile is not { } config)
        {
            changes.Add(new MmarChange(CommandScripts.InferPath, MmarChangeKind.NotRepaired, "not added",
                "the MMAR has no inference config (config/config_inference.json or config/config_validation.json) for it to run"));
            return;
        }

        if (!CommandScripts.IsPlainPath(config) || !CommandScripts.IsPlainPath(analysis.EnvironmentFile))
        {
            changes.Add(new MmarChange(CommandScripts.InferPath, MmarChangeKind.NotRepaired, "not added",
                $"'{config}' or '{analysis.EnvironmentFile}' holds characters a shell would interpret"));
            return;
        }

        files[CommandScripts.InferPath] = CommandScripts.Infer(config, analysis.EnvironmentFile);
        changes.Add(new MmarChange(CommandScripts.InferPath, MmarChangeKind.Added, $"infer.sh running medl.apps.evaluate with {config}",
            $"MD.ai's Clara container runs commands/infer.sh to infer; {config} is the inference config the analysis chose ({analysis.Info.InferenceConfig?.SelectedBecause ?? "the only one"})"));
    }

    private static void PatchEnvironment(MmarAnalysis analysis, bool migrated, SortedDictionary<string, string> files, List<MmarChange> changes)
    {
        var info = analysis.Info;
        var envFile = analysis.EnvironmentFile;
        if (!analysis.Source.FileExists(envFile))
        {
            changes.Add(new MmarChange(envFile, MmarChangeKind.NotRepaired, "missing",
                "the values it holds (the model file, the output folder, the datalist) cannot be derived from the rest of the MMAR"));
            return;
        }

        if (!analysis.JsonFiles.TryGetValue(envFile, out var parsed) || !parsed.IsValid || parsed.RootObject is null)
        {
            changes.Add(new MmarChange(envFile, MmarChangeKind.NotRepaired, "not read as a JSON object", "fix its syntax first; then its keys can be added"));
            return;
        }

        var env = info.Environment;
        var set = new List<KeyValuePair<string, string>>();
        void Set(string key, string literal, string why)
        {
            set.Add(new(key, literal));
            var at = env.ContainsKey(key) ? parsed.Locate("/" + key) : null;
            var old = env.ContainsKey(key) ? $" (was {ConfigObject.Format(env[key])})" : string.Empty;
            changes.Add(new MmarChange(envFile, env.ContainsKey(key) ? MmarChangeKind.Modified : MmarChangeKind.Added, $"\"{key}\": {literal}{old}", why, at?.Line, at?.Column));
        }

        if (migrated)
        {
            Set("CLARA_TRAIN_VERSION", "\"4.1.0\"", "the inference config was migrated to Clara 4.1; NVIDIA's 4.1 upgrade notes add this key to environment.json");
        }

        if (!env.ContainsKey("OUTPUT_CHANNELS"))
        {
            var (channels, from) = info.OutputChannels is { } n ? (n, info.OutputChannelsSource) : info.Labels is { Count: > 0 } labels ? (labels.Count, "the number of labels the MMAR names") : (0, null);
            if (channels > 0)
            {
                Set("OUTPUT_CHANNELS", channels.ToString(CultureInfo.InvariantCulture), $"MD.ai's Clara 4.1 interface reads it to map output labels to classes; taken from {from}");
            }
            else
            {
                changes.Add(new MmarChange(envFile, MmarChangeKind.NotRepaired, "OUTPUT_CHANNELS not added",
                    "no config states the model's output channel count (no network out_channels in a train config, no one-hot AsDiscreted, no labels); a forward pass of the model measures it"));
            }
        }

        var dataListKey = info.DataListKey;
        if (!env.ContainsKey("INFER_DATALIST_KEY"))
        {
            if (dataListKey is not null)
            {
                Set("INFER_DATALIST_KEY", JsonConfigWriter.Quote(dataListKey), $"MD.ai's Clara 4.1 interface writes the series to infer under this key of the datalist; taken from {info.DataListKeySource}");
            }
            else
            {
                changes.Add(new MmarChange(envFile, MmarChangeKind.NotRepaired, "INFER_DATALIST_KEY not added", "the inference config's dataset names no data_list_key that resolves to a value"));
            }
        }

        PatchDatasetJson(analysis, dataListKey, Set, files, changes);
        if (set.Count > 0)
        {
            try
            {
                files[envFile] = EnvironmentPatcher.Patch(ReadText(analysis, envFile), set);
            }
            catch (JsonException ex)
            {
                changes.RemoveAll(c => c.File == envFile && c.Kind is MmarChangeKind.Added or MmarChangeKind.Modified);
                changes.Add(new MmarChange(envFile, MmarChangeKind.NotRepaired, "not changed", $"its text cannot be edited as a JSON object ({ex.Message.TrimEnd('.')})"));
            }
        }
    }

    private static void PatchDatasetJson(MmarAnalysis analysis, string? dataListKey, Action<string, string, string> set, SortedDictionary<string, string> files, List<MmarChange> changes)
    {
        var info = analysis.Info;
        var envFile = analysis.EnvironmentFile;
        var reference = info.DatasetJson;
        if (reference is { Kind: MmarPathKind.InsideMmar, Exists: true })
        {
            return;
        }

        if (reference is not null && reference.Key != "DATASET_JSON")
        {
            changes.Add(new MmarChange(reference.DefinedIn, MmarChangeKind.NotRepaired, $"the datalist path '{reference.RawValue}'",
                $"the inference config names it literally ({reference.Key}), not through DATASET_JSON, so MD.ai's interface and Clara would read different files; point it at \"{{DATASET_JSON}}\"",
                reference.Location?.Line, reference.Location?.Column));
            return;
        }

        if (dataListKey is null)
        {
            changes.Add(new MmarChange(envFile, MmarChangeKind.NotRepaired, "DATASET_JSON not pointed inside the MMAR", "the datalist key is unknown, so the datalist MD.ai's interface fills cannot be laid out"));
            return;
        }

        var target = reference is { Kind: MmarPathKind.InsideMmar, RelativePath: { } inside } ? inside : DatasetJsonInside;
        if (reference?.RelativePath != target || !info.Environment.ContainsKey("DATASET_JSON"))
        {
            var why = reference is null
                ? "MD.ai's Clara 4.1 interface reads it to find the datalist it fills with the series to infer"
                : $"it pointed outside the MMAR ('{reference.RawValue}'), where MD.ai's container has no datalist; MD.ai's interface fills the one inside the MMAR";
            set("DATASET_JSON", JsonConfigWriter.Quote(target), why);
        }

        if (!analysis.Source.FileExists(target))
        {
            files[target] = $"{{\n    {JsonConfigWriter.Quote(dataListKey)}: []\n}}\n";
            changes.Add(new MmarChange(target, MmarChangeKind.Added, $"an empty datalist with the key '{dataListKey}'",
                "DATASET_JSON names it; MD.ai's interface fills the list with the series it is asked to infer"));
        }
    }

    private static string ReadText(MmarAnalysis analysis, string relative)
    {
        try
        {
            return Encoding.UTF8.GetString(analysis.Source.ReadAllBytes(relative, MmarFileSource.MaxJsonBytes));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new MdaiClaraException($"Cannot read {analysis.Source.DisplayPath(relative)}: {ex.Message.TrimEnd('.')}. Check that the MMAR is complete and readable.",
                ErrorIds.MmarReadFailed, ErrorKind.InvalidData, analysis.Source.DisplayPath(relative), ex);
        }
    }
}
