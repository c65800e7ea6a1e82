using System.Collections.Generic;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Inference.Transforms;
using MdaiClara.Engine.Mmar;
using static MdaiClara.Engine.Validation.FindingFactory;

namespace MdaiClara.Engine.Validation.Rules;

/// <summary>
/// Handlers the engine does not know. Transforms and inferers are judged by <see cref="InferenceBindingRule"/>, which binds
/// them as inference does.
/// </summary>
public sealed class ComponentsRule : IMmarRule
{
    public IEnumerable<MmarFinding> Check(MmarAnalysis a)
    {
        var config = a.Info.InferenceConfig;
        if (!IsPyTorch(a) || config is null)
        {
            yield break;
        }

        foreach (var h in config.Handlers)
        {
            if (!h.Disabled && (h.IsCustomCode || TransformCatalog.Handler(h.CanonicalName) == ComponentSupport.Unknown))
            {
                yield return At(MmarRuleIds.UnknownHandler, FindingSeverity.Warning,
                    $"The handler '{h.Name}' is not one MdaiClara knows; if it writes or changes outputs, local results will differ from Clara's.", h.File, h.Location);
            }
        }
    }
}
