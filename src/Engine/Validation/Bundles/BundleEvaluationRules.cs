using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using MdaiClara.Engine.Bundles;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Metrics;
using MdaiClara.Engine.Models;

namespace MdaiClara.Engine.Validation.Bundles;

/// <summary>
/// The evaluation config (configs/evaluate.json over configs/train.json), when the bundle has one: its syntax, the
/// overrides and references the validation pipeline needs, the pipeline's components against the transform
/// catalogue (bound as measuring binds them), and the metric handlers. Warnings, not errors: inference does not read
/// the evaluation config, only measuring does.
/// </summary>
internal static class BundleEvaluationRules
{
    public static IEnumerable<BundleFinding> Check(BundleAnalysis analysis, IEngineLog? log)
    {
        var (evaluation, unreadable) = Read(analysis);
        if (unreadable is not null)
        {
            yield return new BundleFinding(BundleRuleIds.FileUnreadable, FindingSeverity.Warning, unreadable.Message, unreadable.Target as string);
            yield break;
        }

        if (evaluation is null)
        {
            yield break;
        }

        foreach (var p in evaluation.Problems)
        {
            var rule = p.Kind switch
            {
                null => BundleRuleIds.ConfigSyntax,
                ConfigProblemKind.ExpressionRefused => BundleRuleIds.ExpressionRefused,
                ConfigProblemKind.PathEscapesBundle => BundleRuleIds.PathEscapesBundle,
                ConfigProblemKind.InvalidComponent => BundleRuleIds.InvalidComponent,
                _ => BundleRuleIds.UnresolvedReference,
            };
            yield return new BundleFinding(rule, FindingSeverity.Warning, $"The evaluation config ({evaluation.Description}) cannot be run: {p.Message}.", p.Position.File, p.Position.Line, p.Position.Column);
        }

        foreach (var m in evaluation.MetricsLeftOut)
        {
            yield return new BundleFinding(BundleRuleIds.EvaluationMetricUnsupported, FindingSeverity.Warning, $"{m.Message}. It is left out when the bundle is measured.", m.Position.File, m.Position.Line, m.Position.Column);
        }

        if (evaluation.Problems.Count > 0)
        {
            yield break;
        }

        EvaluationSettings? settings;
        MonaiSemantics semantics;
        try
        {
            var model = RunnableModels.FromBundle(analysis);
            settings = model.Evaluation;
            semantics = MonaiSemanticsVersions.Parse(model.MonaiVersion);
        }
        catch (MdaiClaraException)
        {
            yield break; // the reader's problems and the metadata rule report these
        }

        if (settings is null)
        {
            yield break;
        }

        using (var bound = PipelineBinder.Bind(settings.Pipeline, semantics, null, log))
        {
            foreach (var problem in bound.Problems)
            {
                var spec = problem.Component;
                var rule = problem.Kind switch
                {
                    BindingProblemKind.UnknownTransform or BindingProblemKind.UnknownInferer => BundleRuleIds.UnknownTarget,
                    BindingProblemKind.CustomCode => BundleRuleIds.CustomCode,
                    BindingProblemKind.InvalidArgument => BundleRuleIds.InferenceArgumentInvalid,
                    _ => BundleRuleIds.PipelineIncomplete,
                };
                var what = problem.Kind is BindingProblemKind.UnknownTransform or BindingProblemKind.UnknownInferer && spec is not null
                    ? $"_target_ '{spec.Name}' is not a{(problem.Kind == BindingProblemKind.UnknownInferer ? "n inferer" : " transform")} MdaiClara runs."
                    : problem.Error.Message;
                yield return new BundleFinding(rule, FindingSeverity.Warning, $"The evaluation config's validation pipeline cannot be run: {what}", spec?.File ?? settings.Pipeline.File, spec?.Location?.Line, spec?.Location?.Column);
            }
        }

        foreach (var metric in settings.Metrics)
        {
            var problem = Unsupported(metric);
            if (problem is not null)
            {
                var c = metric.Component;
                yield return new BundleFinding(BundleRuleIds.EvaluationMetricUnsupported, FindingSeverity.Warning, $"{metric.LogLabel}: {problem} It is left out when the bundle is measured.", c.File, c.Location?.Line, c.Location?.Column);
            }
        }
    }

    private static (BundleEvaluation? Evaluation, MdaiClaraException? Unreadable) Read(BundleAnalysis analysis)
    {
        try
        {
            return (BundleEvaluationReader.Read(analysis.Source, analysis.MetadataFile), null);
        }
        catch (MdaiClaraException ex)
        {
            return (null, ex);
        }
    }

    /// <summary>Why MdaiClara does not compute the metric as configured (null when it does).</summary>
    private static string? Unsupported(MetricSetting metric)
    {
        try
        {
            var args = JsonSerializer.SerializeToElement(metric.Args.ToDictionary(a => a.Key, a => a.Value));
            MonaiHandlerMetric.FromConfig(metric.Component.Name, metric.LogLabel, args);
            return null;
        }
        catch (MdaiClaraException ex)
        {
            return ex.Message;
        }
    }
}
