using System;
using MdaiClara.Engine.Configs;

namespace MdaiClara.Engine.Mmar.Detectors;

/// <summary>The datalist key inference reads from the dataset JSON, from the first source that states one.</summary>
internal static class DataListKeyDetector
{
    /// <summary>INFER_DATALIST_KEY, config_mdai.json's data_list_key, the config's dataset.data_list_key, else its data_list_key variable.</summary>
    internal static Detection<string?> Detect(MmarVariables variables, ConfigObject? mdaiConfig, InferenceConfig? inference, ConfigObject? inferenceRoot, string? inferenceFile)
    {
        var (key, source) = FirstString(
            (variables.ResolveString(variables["INFER_DATALIST_KEY"]), "INFER_DATALIST_KEY in config/environment.json"),
            (mdaiConfig?.GetString("data_list_key"), "data_list_key in config_mdai.json"),
            (inference?.Dataset?.DataListKey, $"dataset.data_list_key in {inferenceFile}"),
            (inferenceRoot is null ? null : variables.ResolveString(variables["data_list_key"]), $"data_list_key in {inferenceFile}"));
        return new(key, source);
    }

    internal static (string?, string?) FirstString(params (string? Value, string Source)[] candidates)
    {
        foreach (var (value, source) in candidates)
        {
            if (!string.IsNullOrWhiteSpace(value) && !value.Contains('{', StringComparison.Ordinal))
            {
                return (value, source);
            }
        }

        return (null, null);
    }
}
