using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Mmar;
using static MdaiClara.Engine.Validation.FindingFactory;

namespace MdaiClara.Engine.Validation.Rules;

/// <summary>Channel counts and environment keys: what MD.ai's integration reads to turn outputs into annotations (the task: <see cref="MdaiDeploymentRule"/>).</summary>
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
        if (info.OutputChannels is null && MdaiDeploymentChecks.OutputChannels(info) is not null)
        {
            // When packaging cannot tell the count at all, MdaiDeploymentRule reports it as an error.
            yield return new MmarFinding(MmarRuleIds.OutputChannelsUnknown, FindingSeverity.Warning,
                "The number of output channels is unknown: set OUTPUT_CHANNELS in config/environment.json (MD.ai's integration reads it to map labels to classes).", a.EnvironmentFile);
        }

        if (info.InputChannels is null)
        {
            yield return new MmarFinding(MmarRuleIds.InputChannelsAssumed, FindingSeverity.Information,
                info.InputChannelsSource is { } why
                    ? $"The number of input channels {why}; 1 is assumed for a deep test."
                    : "The number of input channels is not stated (INPUT_CHANNELS or the network's in_channels); 1 is assumed.",
                a.EnvironmentFile);
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
