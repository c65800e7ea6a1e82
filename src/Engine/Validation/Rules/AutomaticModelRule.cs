using System.Collections.Generic;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Mmar;
using static MdaiClara.Engine.Validation.FindingFactory;

namespace MdaiClara.Engine.Validation.Rules;

/// <summary>
/// MD.ai runs a model on the image alone. A config whose pre-transforms need a label, a second image, clicks, points or
/// guidance (<see cref="ExtraModelInputs"/>) is an interactive or supervised pipeline, not deployable as an automatic model.
/// </summary>
public sealed class AutomaticModelRule : IMmarRule
{
    public IEnumerable<MmarFinding> Check(MmarAnalysis a)
    {
        if (!IsPyTorch(a))
        {
            yield break;
        }

        foreach (var extra in ExtraModelInputs.Find(a.Info.InferenceConfig))
        {
            yield return At(MmarRuleIds.NotAutomaticModel, FindingSeverity.Error,
                $"Not deployable as an automatic model: {extra.Reason}, but MD.ai (and local inference) give the model the image alone. Use a config whose pre-transforms need only the image.",
                extra.Component.File, extra.Component.Location);
        }
    }
}
