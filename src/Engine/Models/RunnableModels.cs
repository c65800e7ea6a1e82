using System;
using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Mmar;

namespace MdaiClara.Engine.Models;

/// <summary>
/// Makes the runnable-model description from a model format's analysis: one factory per format, each filling in the
/// same <see cref="RunnableModel"/>.
/// </summary>
/// <remarks>
/// A second format (MONAI bundles: <c>FromBundle</c>, beside this one) must fill in: <see cref="RunnableModel.Name"/>,
/// <see cref="RunnableModel.Origin"/>, <see cref="RunnableModel.Format"/> ("MONAI bundle") and its version and
/// <see cref="RunnableModel.VersionLabel"/>; <see cref="RunnableModel.Task"/>, the channels and
/// <see cref="RunnableModel.ClassNames"/> (from metadata.json's network_data_format) each with its <c>…Source</c> and
/// <see cref="RunnableModel.InputChannelsSetting"/>; <see cref="RunnableModel.ModelFile"/> (models/model.ts: size,
/// SHA-256, bytes, <see cref="ModelFile.RelativePath"/>) or, when missing, <see cref="RunnableModel.ModelFileExpected"/>
/// and <see cref="RunnableModel.ModelFileRemedy"/> (the ckpt_export command); <see cref="RunnableModel.MonaiVersion"/>
/// (metadata.json's monai_version) with its source; <see cref="RunnableModel.Inference"/> as an
/// <see cref="InferenceConfig"/> whose <see cref="ComponentSpec"/>s keep file, JSON pointer and line:column (the
/// transform catalogue and the inferer factory read only names and arguments), or <see cref="RunnableModel.NotRunnable"/>
/// saying why there is none; <see cref="RunnableModel.RootDirectory"/> and <see cref="RunnableModel.ReadPackageFile"/>;
/// and <see cref="RunnableModel.ReadEvaluation"/> from the bundle's evaluation config when it has one. Nothing in it
/// may be read by a consumer from the format's own types.
/// </remarks>
public static partial class RunnableModels
{
    /// <summary>
    /// The description of an analysed MMAR: its task, channels and classes, TorchScript, the MONAI version its Clara
    /// version implies (4.0: 0.5; 4.1 and later 4.x: 0.8.1), its inference config, and what validate.sh evaluates
    /// (read on first use). The model file stays readable only while <paramref name="analysis"/>'s source is open.
    /// </summary>
    public static RunnableModel FromMmar(MmarAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var info = analysis.Info;
        var ts = info.TorchScript;
        ModelFile? file = ts is { Exists: true, Sha256: { } sha, Bytes: { } bytes }
            ? new ModelFile(analysis.Source.DisplayPath(ts.RelativePath), analysis.Source.FileSystemPath(ts.RelativePath), bytes, sha, () => analysis.Source.ReadAllBytes(ts.RelativePath, int.MaxValue - 64))
            {
                RelativePath = ts.RelativePath,
            }
            : null;
        return new RunnableModel
        {
            Name = info.Name,
            Origin = info.Path,
            Format = "MMAR",
            FormatVersion = info.ClaraVersion,
            VersionLabel = info.ClaraVersion is { Length: > 0 } clara ? $"Clara {clara}" : null,
            Task = info.Task switch
            {
                "segmentation" => ModelTask.Segmentation,
                "classification" => ModelTask.Classification,
                _ => ModelTask.Other,
            },
            TaskSource = info.TaskSource,
            InputChannels = info.InputChannels,
            InputChannelsSource = info.InputChannelsSource,
            InputChannelsSetting = "INPUT_CHANNELS in config/environment.json",
            OutputChannels = info.OutputChannels,
            OutputChannelsSource = info.OutputChannelsSource,
            ClassNames = info.Labels ?? Array.Empty<string>(),
            ModelFile = file,
            ModelFileExpected = ts?.RelativePath,
            ModelFileRemedy = "export one with commands/export.sh",
            MonaiVersion = info.ClaraVersion is { } v && v.StartsWith("4.0", StringComparison.Ordinal) ? "0.5" : "0.8.1",
            MonaiVersionSource = $"Clara {info.ClaraVersion ?? "4.1"}",
            Inference = info.InferenceConfig,
            NotRunnable = NotRunnable(info),
            RootDirectory = analysis.Source.FileSystemPath(string.Empty) is { } root && System.IO.Directory.Exists(root) ? root : null,
            ReadPackageFile = relative => MmarFileSource.NormalizeInside(relative) is { } inside && analysis.Source.FileExists(inside) ? analysis.Source.ReadAllBytes(inside, MmarFileSource.MaxJsonBytes) : null,
            ReadEvaluation = () => Evaluation(MmarAnalyzer.ReadValidationConfig(analysis)),
        };
    }

    /// <summary>Why an MMAR cannot run: no inference config that reads, or Clara 3.x (TensorFlow).</summary>
    private static string? NotRunnable(MmarInfo info) =>
        info.InferenceConfig is null
            ? $"{info.Name} has no inference config (config_inference.json or config_validation.json) that can be read{(info.Notes.Count > 0 ? ": " + string.Join(" ", info.Notes) : ".")}"
            : info.Generation == ClaraGeneration.Clara3TensorFlow
                ? $"{info.Name} is a Clara {info.ClaraVersion ?? "3.x"} (TensorFlow) MMAR; only Clara 4.x (PyTorch/MONAI) models can run."
                : null;

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
