using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Mmar.Detectors;

namespace MdaiClara.Engine.Mmar;

/// <summary>Reading what commands/validate.sh runs (Clara's evaluate app), beside the inference config.</summary>
public static partial class MmarAnalyzer
{
    private const string ValidateScript = "commands/validate.sh";

    /// <summary>
    /// The validation config validate.sh runs: the one its <c>-c</c> names, else config/config_validation.json, else
    /// the only config_validation*.json; null when the MMAR has none. Its placeholders are resolved with the config's
    /// own globals, the environment file (validate.sh's <c>-e</c>, else the analysis's) and validate.sh's <c>--set</c>.
    /// </summary>
    public static ValidationConfig? ReadValidationConfig(MmarAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var source = analysis.Source;
        InferScript? script = null;
        if (source.FileExists(ValidateScript))
        {
            try
            {
                script = InferScript.Parse(ValidateScript, Encoding.UTF8.GetString(source.ReadAllBytes(ValidateScript, MaxScriptBytes)));
            }
            catch (Errors.MdaiClaraException)
            {
                // An unreadable validate.sh is reported by Test-Mmar; the conventional files still name the config.
            }
        }

        string? file = null;
        string because;
        if (script?.ConfigFile is { } named && MmarFileSource.NormalizeInside(named) is { } inside && source.FileExists(inside))
        {
            file = inside;
            because = $"named by {ValidateScript} (-c {named})";
        }
        else if (source.FileExists("config/config_validation.json"))
        {
            file = "config/config_validation.json";
            because = "the standard validation config";
        }
        else
        {
            file = source.FilesUnder("config").FirstOrDefault(f => System.IO.Path.GetFileName(f).StartsWith("config_validation", StringComparison.Ordinal) && f.EndsWith(".json", StringComparison.Ordinal));
            because = $"the only validation config ({file})";
        }

        if (file is null || !analysis.JsonFiles.TryGetValue(file, out var json) || json.RootObject is not { } root)
        {
            return null;
        }

        var environmentFile = script?.EnvironmentFile is { } e && MmarFileSource.NormalizeInside(e) is { } envInside && analysis.JsonFiles.ContainsKey(envInside) ? envInside : analysis.EnvironmentFile;
        var environment = analysis.JsonFiles.TryGetValue(environmentFile, out var envJson) ? envJson.RootObject ?? ConfigObject.Empty : ConfigObject.Empty;
        var variables = MmarVariables.Build(root, file, environment, script?.SetValues, environmentFile, script?.SetLocations);
        var unresolved = new List<UnresolvedReference>();
        var pipeline = InferenceConfigReader.Read(json, root, because, variables, unresolved);

        MetricComponent? Metric(ConfigObject? o, string pointer)
        {
            if (o is null || InferenceConfigReader.ReadComponent(json, o, pointer, variables, unresolved, partOfPipeline: false) is not { Disabled: false } component)
            {
                return null;
            }

            var label = variables.ResolveString(o.GetString("log_label")) ?? component.CanonicalName;
            return new MetricComponent(component, label);
        }

        var key = Metric(root.GetObject("key_metric"), "/key_metric");
        var additional = new List<MetricComponent>();
        if (root.TryGetValue("additional_metrics", out var extra) && extra is object?[] list)
        {
            for (var i = 0; i < list.Length; i++)
            {
                if (Metric(list[i] as ConfigObject, $"/additional_metrics/{i}") is { } m)
                {
                    additional.Add(m);
                }
            }
        }

        // Clara 4.0 lists them together under "metrics", the key one marked is_key_metric.
        if (key is null && additional.Count == 0 && root.TryGetValue("metrics", out var listed) && listed is object?[] metrics)
        {
            for (var i = 0; i < metrics.Length; i++)
            {
                if (metrics[i] is ConfigObject o && Metric(o, $"/metrics/{i}") is { } m)
                {
                    if (key is null && o.TryGetValue("is_key_metric", out var isKey) && isKey is true)
                    {
                        key = m;
                    }
                    else
                    {
                        additional.Add(m);
                    }
                }
            }
        }

        // validate.sh's key: VAL_DATALIST_KEY when the config names it, else the config's own data_list_key.
        var (dataListKey, keySource) = DataListKeyDetector.FirstString(
            (pipeline.Dataset?.DataListKey, $"dataset.data_list_key in {file}{(pipeline.Dataset?.DataListKeyRaw is { } raw && raw.Contains('{', StringComparison.Ordinal) ? $" ({raw})" : string.Empty)}"),
            (variables.ResolveString(variables["VAL_DATALIST_KEY"]), $"VAL_DATALIST_KEY in {environmentFile}"),
            (variables.ResolveString(variables["data_list_key"]), $"data_list_key in {file}"));
        return new ValidationConfig(
            pipeline,
            key,
            additional,
            pipeline.Dataset?.DataListFilePath ?? variables.ResolveString(variables["DATASET_JSON"]),
            pipeline.Dataset?.DataFileBaseDir ?? variables.ResolveString(variables["DATA_ROOT"]),
            dataListKey,
            keySource ?? "none given",
            variables.ResolveString(variables["MMAR_EVAL_OUTPUT_PATH"]),
            unresolved);
    }
}
