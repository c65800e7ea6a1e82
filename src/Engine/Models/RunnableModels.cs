using System;
using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Mmar;

namespace MdaiClara.Engine.Models;

/// <summary>Makes the runnable-model description from a model format's analysis.</summary>
public static class RunnableModels
{
    /// <summary>
    /// The description of an analysed MMAR: its task, channels and classes, TorchScript, the MONAI version its Clara
    /// version implies (4.0: 0.5; 4.1 and later 4.x: 0.8.1), its inference config, and what validate.sh evaluates.
    /// The model file stays readable only while <paramref name="analysis"/>'s source is open.
    /// </summary>
    public static RunnableModel FromMmar(MmarAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var info = analysis.Info;
        var ts = info.TorchScript;
        ModelFile? file = ts is { Exists: true, Sha256: { } sha, Bytes: { } bytes }
            ? new ModelFile(analysis.Source.DisplayPath(ts.RelativePath), analysis.Source.FileSystemPath(ts.RelativePath), bytes, sha, () => analysis.Source.ReadAllBytes(ts.RelativePath, int.MaxValue - 64))
            : null;
        return new RunnableModel
        {
            Name = info.Name,
            Origin = info.Path,
            Format = "MMAR",
            FormatVersion = info.ClaraVersion,
            Task = info.Task switch
            {
                "segmentation" => ModelTask.Segmentation,
                "classification" => ModelTask.Classification,
                _ => ModelTask.Other,
            },
            InputChannels = info.InputChannels,
            OutputChannels = info.OutputChannels,
            ClassNames = info.Labels ?? Array.Empty<string>(),
            ModelFile = file,
            MonaiVersion = info.ClaraVersion is { } v && v.StartsWith("4.0", StringComparison.Ordinal) ? "0.5" : "0.8.1",
            Inference = info.InferenceConfig,
            RootDirectory = analysis.Source.FileSystemPath(string.Empty) is { } root && System.IO.Directory.Exists(root) ? root : null,
            ReadPackageFile = relative => MmarFileSource.NormalizeInside(relative) is { } inside && analysis.Source.FileExists(inside) ? analysis.Source.ReadAllBytes(inside, MmarFileSource.MaxJsonBytes) : null,
            Evaluation = Evaluation(MmarAnalyzer.ReadValidationConfig(analysis)),
        };
    }

    private static EvaluationSettings? Evaluation(ValidationConfig? config)
    {
        if (config is null)
        {
            return null;
        }

        static MetricSetting Setting(MetricComponent m) => new(m.Component.CanonicalName, m.LogLabel, m.Component.Args, m.Component);
        var saver = config.Pipeline.Handlers.FirstOrDefault(h => !h.Disabled && h.CanonicalName == "MetricsSaver");
        return new EvaluationSettings(
            config.Pipeline,
            config.DataListFile,
            config.DataRoot,
            config.DataListKey,
            config.DataListKeySource,
            config.KeyMetric is null ? null : Setting(config.KeyMetric),
            config.AdditionalMetrics.Select(Setting).ToList(),
            saver is null ? null : new MetricsSaverSetting(
                Names(saver.Args, "metrics", "*"),
                Names(saver.Args, "metric_details", null),
                Names(saver.Args, "summary_ops", null),
                saver.Args.GetString("delimiter") ?? ",",
                saver));
    }

    /// <summary>A handler argument that is one name, a list of names, or absent (<paramref name="absent"/>, or nothing).</summary>
    private static IReadOnlyList<string> Names(ConfigObject args, string key, string? absent) =>
        (args.TryGetValue(key, out var value) ? value : absent) switch
        {
            string s => new[] { s },
            object?[] list => list.OfType<string>().ToList(),
            _ => Array.Empty<string>(),
        };
}
