using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Bundles;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Models;

namespace MdaiClara.Engine.Validation.Bundles;

/// <summary>
/// The inference pipeline: every reference, macro and expression it needs resolves; every component is one MdaiClara
/// runs (bound by the same <see cref="PipelineBinder"/> inference uses, so Test-MonaiBundle and inference agree).
/// </summary>
internal static class BundlePipelineRules
{
    public static IEnumerable<BundleFinding> Check(BundleAnalysis analysis, IEngineLog? log)
    {
        if (analysis.Info.Pipeline is not { } pipeline)
        {
            yield break;
        }

        foreach (var problem in pipeline.Problems)
        {
            var (rule, prefix) = problem.Kind switch
            {
                ConfigProblemKind.ExpressionRefused when problem.Message.Contains("scripts/", System.StringComparison.Ordinal) => (BundleRuleIds.CustomCode, string.Empty),
                ConfigProblemKind.ExpressionRefused => (BundleRuleIds.ExpressionRefused, string.Empty),
                ConfigProblemKind.PathEscapesBundle => (BundleRuleIds.PathEscapesBundle, string.Empty),
                ConfigProblemKind.InvalidComponent => (BundleRuleIds.InvalidComponent, string.Empty),
                _ => (BundleRuleIds.UnresolvedReference, string.Empty),
            };
            yield return new BundleFinding(rule, FindingSeverity.Error, $"{prefix}@{problem.Id}: {problem.Message}.", problem.Position.File, problem.Position.Line, problem.Position.Column);
        }

        if (pipeline.PreprocessingId is null)
        {
            yield return new BundleFinding(BundleRuleIds.PipelineIncomplete, FindingSeverity.Error, $"{pipeline.File} has no \"preprocessing\" item (nor a dataset transform): the input would never be loaded.", pipeline.File);
        }

        if (pipeline.Inferer is null)
        {
            yield return new BundleFinding(BundleRuleIds.PipelineIncomplete, FindingSeverity.Error, $"{pipeline.File} has no \"inferer\" item.", pipeline.File);
        }

        foreach (var c in pipeline.All.Where(c => c.Component is { IsCustomCode: true }))
        {
            yield return new BundleFinding(BundleRuleIds.CustomCode, FindingSeverity.Error,
                $"@{c.Id}: _target_ '{c.Target}' is the bundle's own Python code (scripts/), which MdaiClara does not run.", c.Position.File, c.Position.Line, c.Position.Column);
        }

        foreach (var c in pipeline.All.Where(c => c.Component is { Mode: not ComponentMode.Default, Disabled: false }))
        {
            yield return new BundleFinding(BundleRuleIds.InvalidComponent, FindingSeverity.Error,
                $"@{c.Id}: '{c.Target}' has _mode_ {c.Component!.Mode.ToString().ToLowerInvariant()}, so MONAI makes a function of it, not a transform the pipeline runs.", c.Position.File, c.Position.Line, c.Position.Column);
        }

        if (!pipeline.Resolved || pipeline.All.Any(c => c.Component is { IsCustomCode: true }))
        {
            yield break;
        }

        var model = RunnableModels.FromBundle(analysis);
        if (model.Inference is null)
        {
            yield break;
        }

        MonaiSemantics semantics;
        try
        {
            semantics = MonaiSemanticsVersions.Parse(model.MonaiVersion);
        }
        catch (Errors.MdaiClaraException)
        {
            yield break; // the metadata rule reports it
        }

        using var bound = PipelineBinder.Bind(model.Inference, semantics, null, log);
        foreach (var problem in bound.Problems)
        {
            var rule = problem.Kind switch
            {
                BindingProblemKind.UnknownTransform or BindingProblemKind.UnknownInferer => BundleRuleIds.UnknownTarget,
                BindingProblemKind.CustomCode => BundleRuleIds.CustomCode,
                BindingProblemKind.InvalidArgument => BundleRuleIds.InferenceArgumentInvalid,
                _ => BundleRuleIds.PipelineIncomplete,
            };
            var spec = problem.Component;
            var message = problem.Kind is BindingProblemKind.UnknownTransform or BindingProblemKind.UnknownInferer && spec is not null
                ? $"_target_ '{spec.Name}' is not a {(problem.Kind == BindingProblemKind.UnknownInferer ? "inferer" : "transform")} MdaiClara runs ({string.Join(", ", problem.Kind == BindingProblemKind.UnknownInferer ? Inference.Transforms.TransformCatalog.SupportedInferers : Inference.Transforms.TransformCatalog.SupportedTransforms)})."
                : problem.Error.Message;
            yield return new BundleFinding(rule, FindingSeverity.Error, message, spec?.File ?? pipeline.File, spec?.Location?.Line, spec?.Location?.Column);
        }
    }
}
