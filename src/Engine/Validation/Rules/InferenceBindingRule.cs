using System;
using System.Collections.Generic;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Mmar;
using static MdaiClara.Engine.Validation.FindingFactory;

namespace MdaiClara.Engine.Validation.Rules;

/// <summary>
/// Can local inference run the config? Binds it exactly as inference does (<see cref="PipelineBinder"/>, the same code)
/// and reports every part that would not bind, so Test-Mmar fails exactly when inference would refuse to start.
/// </summary>
public sealed class InferenceBindingRule : IMmarRule
{
    public IEnumerable<MmarFinding> Check(MmarAnalysis a)
    {
        var config = a.Info.InferenceConfig;
        if (!IsPyTorch(a) || config is null)
        {
            yield break;
        }

        using var bound = PipelineBinder.Bind(config, MonaiSemanticsVersions.ForClaraVersion(a.Info.ClaraVersion), null, null);
        foreach (var problem in bound.Problems)
        {
            var spec = problem.Component;
            var (ruleId, prefix) = problem.Kind switch
            {
                BindingProblemKind.CustomCode => (MmarRuleIds.CustomCode, $"'{spec?.Name}' is custom code; MdaiClara does not run Python from MMARs, so local inference refuses this config (MD.ai's Clara container can run it if custom/ ships the code)"),
                BindingProblemKind.UnknownTransform => (MmarRuleIds.UnknownTransform, $"'{spec?.Name}' is a transform MdaiClara does not implement, so local inference refuses this config (MD.ai's Clara container may still run it)"),
                BindingProblemKind.UnknownInferer => (MmarRuleIds.UnknownInferer, $"The inferer '{spec?.Name}' is not one MdaiClara implements (SimpleInferer, SlidingWindowInferer), so local inference refuses this config"),
                BindingProblemKind.NoInferer or BindingProblemKind.InputNeverLoaded => (MmarRuleIds.InferencePipelineIncomplete, "Inference cannot start"),
                _ => (MmarRuleIds.InferenceArgumentInvalid, $"'{spec?.Name}' cannot be set up as written, so local inference refuses this config"),
            };
            yield return At(ruleId, FindingSeverity.Error, $"{prefix}: {WithoutLocation(problem.Error.Message, spec)}", spec?.File ?? config.File, spec?.Location);
        }
    }

    /// <summary>The finding carries file, line and column; the engine error's own "file:line:column: " prefix would repeat them.</summary>
    private static string WithoutLocation(string message, ComponentSpec? spec)
    {
        if (spec is not null && message.StartsWith(spec.File, StringComparison.Ordinal))
        {
            var colon = message.IndexOf(": ", spec.File.Length, StringComparison.Ordinal);
            if (colon > 0 && colon - spec.File.Length < 16)
            {
                return message[(colon + 2)..];
            }
        }

        return message;
    }
}
