using System;
using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Bundles;
using MdaiClara.Engine.Configs;

namespace MdaiClara.Engine.Models;

/// <summary>The evaluation settings of a MONAI bundle (configs/evaluate.json over configs/train.json).</summary>
public static partial class RunnableModels
{
    /// <summary>
    /// The bundle's evaluation config as the evaluation settings MMARs fill from their validation config: the
    /// validation pipeline (validate#preprocessing, inferer, postprocessing), the key and additional metrics and the
    /// MetricsSaver, with <see cref="EvaluationSettings.DataListNotRead"/> saying where the Python datalist is. Null
    /// without an evaluation config; an error naming file:line:column when a part the measurement needs does not read.
    /// </summary>
    private static EvaluationSettings? BundleEvaluationSettings(BundleAnalysis analysis)
    {
        var evaluation = BundleEvaluationReader.Read(analysis.Source, analysis.MetadataFile);
        if (evaluation is null)
        {
            return null;
        }

        if (evaluation.Problems.Count > 0 || !evaluation.Pipeline.Resolved)
        {
            throw BundleEvaluationReader.Refusal(analysis.Info.Name, evaluation.Problems.Count > 0
                ? evaluation
                : evaluation with { Problems = new[] { new BundleEvaluationProblem(new ConfigPosition(evaluation.File, 1, 1), "the validation pipeline does not resolve") } });
        }

        var pipeline = evaluation.Pipeline;
        var config = new InferenceConfig(
            evaluation.File,
            $"the bundle's evaluation config ({evaluation.Description}, merged as monai.bundle run merges a list of config files)",
            pipeline.PreTransforms.Select(c => Spec(c, evaluation.File)).ToList(),
            pipeline.Inferer is null ? null : Spec(pipeline.Inferer, evaluation.File),
            pipeline.PostTransforms.Select(c => Spec(c, evaluation.File)).ToList(),
            Array.Empty<ComponentSpec>(),
            Array.Empty<ModelReference>(),
            null,
            evaluation.Amp);

        MetricSetting Metric(BundleMetric m)
        {
            var spec = Spec(new PipelineComponent(m.Component.Id, m.Component.Position, m.Component.Target, m.Component, null), evaluation.File);
            return new MetricSetting(m.Component.ShortName, m.LogLabel, spec.Args, spec);
        }

        var key = evaluation.Metrics.FirstOrDefault(m => m.IsKey);
        MetricsSaverSetting? saver = null;
        if (evaluation.MetricsSaver is { } s)
        {
            var spec = Spec(new PipelineComponent(s.Id, s.Position, s.Target, s, null), evaluation.File);
            saver = new MetricsSaverSetting(
                Names(spec.Args, "metrics", "*"),
                Names(spec.Args, "metric_details", null),
                Names(spec.Args, "summary_ops", null),
                spec.Args.GetString("delimiter") ?? ",",
                spec);
        }

        return new EvaluationSettings(
            config,
            null,
            null,
            null,
            string.Empty,
            key is null ? null : Metric(key),
            evaluation.Metrics.Where(m => !m.IsKey).Select(Metric).ToList(),
            saver)
        {
            DataListNotRead = DataListWhere(evaluation.Datalist),
            MetricsLeftOut = evaluation.MetricsLeftOut.Select(m => m.ToString()).ToList(),
        };
    }

    /// <summary>"validate#dataset#data at configs/train.json:12:5, the Python expression $[…]".</summary>
    private static string DataListWhere(ConfigNode? datalist)
    {
        if (datalist is null)
        {
            return "no datalist it names (no validate#dataset#data)";
        }

        var text = datalist.Text ?? datalist.ToString();
        if (text.Length > 80)
        {
            text = text[..77] + "...";
        }

        return datalist.Text is { } t && t.StartsWith('$')
            ? $"validate#dataset#data at {datalist.Position}, the Python expression '{text}' that MdaiClara does not evaluate"
            : $"validate#dataset#data at {datalist.Position} ('{text}'), whose items are not read";
    }
}
