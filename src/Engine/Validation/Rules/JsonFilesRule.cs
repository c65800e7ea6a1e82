using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Mmar;
using static MdaiClara.Engine.Validation.FindingFactory;

namespace MdaiClara.Engine.Validation.Rules;

/// <summary>Every JSON file parses (as Python's json module would), and the configs have the shape Clara expects.</summary>
public sealed class JsonFilesRule : IMmarRule
{
    public IEnumerable<MmarFinding> Check(MmarAnalysis a)
    {
        var core = a.CoreFiles;
        foreach (var file in a.JsonFiles.Values.OrderBy(f => f.RelativePath, System.StringComparer.Ordinal))
        {
            if (file.SyntaxError is { } e)
            {
                // Inference reads the environment, its config and the datalist; other files only matter elsewhere (training, docs).
                var needed = core.Contains(file.RelativePath);
                yield return new MmarFinding(MmarRuleIds.JsonSyntax, needed ? FindingSeverity.Error : FindingSeverity.Warning,
                    $"{file.RelativePath} is not valid JSON at line {e.Line}, column {e.Column}: {e.Message}. "
                    + (needed ? "Clara stops on it." : "Inference does not read it, but Clara's other commands would stop on it."),
                    file.RelativePath, e.Line, e.Column);
                continue;
            }

            foreach (var pointer in file.DuplicateKeys)
            {
                yield return At(MmarRuleIds.JsonDuplicateKey, FindingSeverity.Warning,
                    $"{file.RelativePath} defines '{pointer}' more than once; Clara keeps the last value.", file.RelativePath, file.Locate(pointer));
            }
        }

        if (a.JsonFiles.TryGetValue(a.EnvironmentFile, out var env) && env.IsValid && env.RootObject is null)
        {
            yield return At(MmarRuleIds.JsonStructure, FindingSeverity.Error,
                $"{a.EnvironmentFile} must hold a JSON object of variables (\"NAME\": value).", a.EnvironmentFile, env.Locate(string.Empty));
        }

        if (a.InferenceConfigFile is { } configFile && a.JsonFiles.TryGetValue(configFile, out var config) && config.IsValid)
        {
            if (config.RootObject is not { } root)
            {
                yield return At(MmarRuleIds.JsonStructure, FindingSeverity.Error, $"{configFile} must hold a JSON object.", configFile, config.Locate(string.Empty));
                yield break;
            }

            foreach (var key in new[] { "pre_transforms", "post_transforms", "handlers" })
            {
                if (root.TryGetValue(key, out var v) && v is not object?[])
                {
                    yield return At(MmarRuleIds.JsonStructure, FindingSeverity.Error, $"'{key}' in {configFile} must be a list of components.", configFile, config.Locate("/" + key));
                }
                else if (v is object?[] items)
                {
                    for (var i = 0; i < items.Length; i++)
                    {
                        if (items[i] is not ConfigObject o || (o.GetString("name") is null && o.GetString("path") is null))
                        {
                            yield return At(MmarRuleIds.JsonStructure, FindingSeverity.Error,
                                $"{key}[{i}] in {configFile} is not a component: it needs a \"name\" (or \"path\") and optional \"args\".", configFile, config.Locate($"/{key}/{i}"));
                        }
                    }
                }
            }
        }
    }
}
