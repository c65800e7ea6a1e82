using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Mmar;
using static MdaiClara.Engine.Validation.FindingFactory;

namespace MdaiClara.Engine.Validation.Rules;

/// <summary>Task and channel counts: what MD.ai's integration needs to turn outputs into annotations.</summary>
public sealed class ModelContractRule : IMmarRule
{
    private static readonly string[] MdaiKeys = { "OUTPUT_CHANNELS", "INFER_DATALIST_KEY", "DATASET_JSON" };

    public IEnumerable<MmarFinding> Check(MmarAnalysis a)
    {
        if (!IsPyTorch(a))
        {
            yield break;
        }

        var info = a.Info;
        if (info.Task == "unknown")
        {
            yield return new MmarFinding(MmarRuleIds.TaskUnknown, FindingSeverity.Warning,
                "The task is unknown: set PROCESSING_TASK to \"segmentation\" or \"classification\" in config/environment.json.", a.EnvironmentFile);
        }
        else if (info.Task is not ("segmentation" or "classification"))
        {
            yield return new MmarFinding(MmarRuleIds.TaskUnknown, FindingSeverity.Warning,
                $"PROCESSING_TASK is '{info.Task}'; MD.ai deployment is generated for segmentation and classification only.", a.EnvironmentFile);
        }

        if (info.OutputChannels is null)
        {
            yield return new MmarFinding(MmarRuleIds.OutputChannelsUnknown, FindingSeverity.Warning,
                "The number of output channels is unknown: set OUTPUT_CHANNELS in config/environment.json (MD.ai's integration reads it to map labels to classes).", a.EnvironmentFile);
        }

        if (info.InputChannels is null)
        {
            yield return new MmarFinding(MmarRuleIds.InputChannelsAssumed, FindingSeverity.Information,
                "The number of input channels is not stated (INPUT_CHANNELS or the network's in_channels); 1 is assumed.", a.EnvironmentFile);
        }

        var missing = MdaiKeys.Where(k => !info.Environment.ContainsKey(k)).ToList();
        if (missing.Count > 0 && a.Source.FileExists(a.EnvironmentFile))
        {
            yield return new MmarFinding(MmarRuleIds.MdaiEnvironmentKeys, FindingSeverity.Information,
                $"MD.ai's Clara 4.1 integration reads {string.Join(", ", MdaiKeys)} from config/environment.json; missing here: {string.Join(", ", missing)}. A deployment package must add them.",
                a.EnvironmentFile);
        }
    }
}
