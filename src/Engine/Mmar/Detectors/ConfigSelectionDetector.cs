using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MdaiClara.Engine.Configs;

namespace MdaiClara.Engine.Mmar.Detectors;

/// <summary>Which configs an MMAR runs: the inference config (what commands/infer.sh names, else the standard files), the train config, config_mdai.json — each with why.</summary>
internal static class ConfigSelectionDetector
{
    private const string EnvironmentDefault = "config/environment.json";

    /// <summary>The environment file: what commands/infer.sh passes (-e) when it exists, else config/environment.json; always says why.</summary>
    internal static Detection<string> EnvironmentFile(MmarFileSource source, InferScript? script, List<(string, string)> missingNamed)
    {
        if (script?.EnvironmentFile is { } e)
        {
            var inside = MmarFileSource.NormalizeInside(e);
            if (inside is not null && source.FileExists(inside))
            {
                return new(inside, $"named by {script.File} (-e {e})");
            }

            missingNamed.Add((e, $"{script.File} (-e)"));
        }

        return new(EnvironmentDefault, "the standard environment file");
    }

    /// <summary>The inference config (null when there is none) and why it was chosen; a file infer.sh names that is missing goes to <paramref name="missingNamed"/>.</summary>
    internal static Detection<string?> InferenceConfig(MmarFileSource source, InferScript? script, List<(string, string)> missingNamed)
    {
        var (file, because) = SelectInferenceConfig(source, script, missingNamed);
        return new(file, because);
    }

    private static (string? File, string? Because) SelectInferenceConfig(MmarFileSource source, InferScript? script, List<(string, string)> missingNamed)
    {
        if (script?.ConfigFile is { } named)
        {
            var inside = MmarFileSource.NormalizeInside(named);
            if (inside is not null && source.FileExists(inside))
            {
                return (inside, $"named by {script.File} (-c {named})");
            }

            missingNamed.Add((named, $"{script.File} (-c)"));
        }

        foreach (var candidate in new[] { "config/config_inference.json", "config/config_validation.json" })
        {
            if (source.FileExists(candidate))
            {
                var because = candidate.EndsWith("config_inference.json", StringComparison.Ordinal)
                    ? "the standard inference config"
                    : "no config/config_inference.json; config/config_validation.json runs the same pipeline with the TorchScript model";
                return (candidate, because);
            }
        }

        var other = source.FilesUnder("config").FirstOrDefault(f => Path.GetFileName(f).StartsWith("config_validation", StringComparison.Ordinal) && f.EndsWith(".json", StringComparison.Ordinal));
        return other is null ? (null, null) : (other, $"the only validation config ({other})");
    }

    /// <summary>The train config (config_train.json, else config_train*.json, else Clara 3's trn_*.json), which states the network's channels.</summary>
    internal static string? TrainConfig(MmarFileSource source)
    {
        var configFiles = source.FilesUnder("config").Where(f => f.EndsWith(".json", StringComparison.Ordinal)).ToList();
        return configFiles.FirstOrDefault(f => f == "config/config_train.json")
            ?? configFiles.FirstOrDefault(f => Path.GetFileName(f).StartsWith("config_train", StringComparison.Ordinal))
            ?? configFiles.FirstOrDefault(f => Path.GetFileName(f).StartsWith("trn_", StringComparison.Ordinal));
    }

    /// <summary>config_mdai.json inside the MMAR, else beside it (MD.ai's Clara 4.0 layout); null when there is none.</summary>
    internal static ConfigObject? MdaiConfig(MmarFileSource source, Dictionary<string, ParsedJsonFile> json)
    {
        if (json.TryGetValue("config_mdai.json", out var inside))
        {
            return inside.RootObject;
        }

        // MD.ai's Clara 4.0 layout keeps config_mdai.json beside the MMAR folder (in a folder or a zip).
        var beside = source.TryReadBesideRoot("config_mdai.json", MmarFileSource.MaxJsonBytes);
        return beside is null ? null : JsonConfigParser.Parse("config_mdai.json", beside).RootObject;
    }
}
