using System.Collections.Generic;
using MdaiClara.Engine.Inference.Transforms;
using MdaiClara.Engine.Mmar;
using static MdaiClara.Engine.Validation.FindingFactory;

namespace MdaiClara.Engine.Validation.Rules;

/// <summary>Transforms, inferers and handlers the engine does not know, and custom (BYOC) code it cannot run.</summary>
public sealed class ComponentsRule : IMmarRule
{
    public IEnumerable<MmarFinding> Check(MmarAnalysis a)
    {
        var config = a.Info.InferenceConfig;
        if (!IsPyTorch(a) || config is null)
        {
            yield break;
        }

        if (config.PreTransforms.Count == 0)
        {
            yield return new MmarFinding(MmarRuleIds.InferencePipelineIncomplete, FindingSeverity.Error,
                $"{config.File} has no pre_transforms: nothing loads the image.", config.File);
        }

        foreach (var (list, section) in new[] { (config.PreTransforms, "pre_transforms"), (config.PostTransforms, "post_transforms") })
        {
            for (var i = 0; i < list.Count; i++)
            {
                var c = list[i];
                if (c.Disabled)
                {
                    continue;
                }

                if (c.IsCustomCode)
                {
                    yield return At(MmarRuleIds.CustomCode, FindingSeverity.Warning,
                        $"{section}[{i}] is custom code ({c.Name}); MdaiClara does not run Python from MMARs, so local inference cannot run this pipeline (MD.ai's Clara container can, if custom/ ships the code).",
                        c.File, c.Location);
                }
                else if (TransformCatalog.Transform(c.CanonicalName) == ComponentSupport.Unknown)
                {
                    yield return At(MmarRuleIds.UnknownTransform, FindingSeverity.Warning,
                        $"{section}[{i}] '{c.Name}' is a transform MdaiClara does not implement, so local inference cannot run this pipeline (MD.ai's Clara container still can).",
                        c.File, c.Location);
                }
            }
        }

        if (config.Inferer is null)
        {
            yield return new MmarFinding(MmarRuleIds.InferencePipelineIncomplete, FindingSeverity.Error,
                $"{config.File} has no inferer (SimpleInferer or SlidingWindowInferer).", config.File);
        }
        else if (config.Inferer.IsCustomCode || TransformCatalog.Inferer(config.Inferer.CanonicalName) == ComponentSupport.Unknown)
        {
            yield return At(MmarRuleIds.UnknownInferer, FindingSeverity.Warning,
                $"The inferer '{config.Inferer.Name}' is not one MdaiClara implements (SimpleInferer, SlidingWindowInferer).", config.Inferer.File, config.Inferer.Location);
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
