using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Mmar;
using static MdaiClara.Engine.Validation.FindingFactory;

namespace MdaiClara.Engine.Validation.Rules;

/// <summary>The files Clara (and MD.ai's Clara container) need to run inference.</summary>
public sealed class RequiredFilesRule : IMmarRule
{
    public IEnumerable<MmarFinding> Check(MmarAnalysis a)
    {
        // A file that exists but could not be read is reported by UnreadableFilesRule, not as missing.
        if (!a.Source.FileExists(a.EnvironmentFile) && !a.UnreadableFiles.Any(u => u.Path == a.EnvironmentFile))
        {
            yield return At(MmarRuleIds.RequiredFile, FindingSeverity.Error,
                $"{a.EnvironmentFile} is missing: Clara reads the MMAR's variables (MMAR_TORCHSCRIPT, DATASET_JSON, …) from it.", a.EnvironmentFile, null);
        }

        foreach (var (path, namedBy) in a.MissingNamedFiles)
        {
            yield return At(MmarRuleIds.RequiredFile, FindingSeverity.Error,
                $"{path} is named by {namedBy} but does not exist in the MMAR.", "commands/infer.sh", null);
        }

        if (a.InferenceConfigFile is null)
        {
            yield return At(MmarRuleIds.RequiredFile, FindingSeverity.Error,
                "No inference config: neither config/config_inference.json nor config/config_validation.json exists.", "config", null);
        }

        const string infer = "commands/infer.sh";
        if (!a.Source.FileExists(infer) && !a.UnreadableFiles.Any(u => u.Path == infer))
        {
            yield return At(MmarRuleIds.RequiredFile, FindingSeverity.Error,
                $"{infer} is missing: MD.ai's Clara container runs it to infer. Add the standard script that calls medl.apps.evaluate with config/config_inference.json.", infer, null);
        }
        else if (a.Info.InferScript?.SourcesSetEnv == true && !a.Source.FileExists("commands/set_env.sh"))
        {
            yield return At(MmarRuleIds.RequiredFile, FindingSeverity.Error,
                "commands/infer.sh sources set_env.sh, which is missing (it sets MMAR_ROOT and PYTHONPATH).", infer, null);
        }
    }
}
