using System.Collections.Generic;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Mmar;
using static MdaiClara.Engine.Validation.FindingFactory;

namespace MdaiClara.Engine.Validation.Rules;

/// <summary>
/// Which Clara generation the MMAR is, and what that means here and on MD.ai: MD.ai's builder accepts Clara 4.1.0
/// only and runs MMARs in its Clara 4.1 container; Clara 3.x TensorFlow models cannot run on TorchScript at all.
/// </summary>
public sealed class ClaraVersionRule : IMmarRule
{
    public IEnumerable<MmarFinding> Check(MmarAnalysis a)
    {
        var info = a.Info;
        var evidence = string.Join(", ", a.GenerationEvidence);
        switch (info.Generation)
        {
            case ClaraGeneration.Clara3TensorFlow:
                yield return new MmarFinding(MmarRuleIds.TensorFlowMmar, FindingSeverity.Error,
                    $"This is a Clara {info.ClaraVersion} TensorFlow MMAR ({info.ClaraVersionSource}). Its model is a TensorFlow graph, which MdaiClara cannot run locally: it runs TorchScript (Clara 4.x) models only.");
                yield return new MmarFinding(MmarRuleIds.MdaiClaraVersion, FindingSeverity.Error,
                    "MD.ai's current model builder accepts Clara 4.1.0 MMARs only (\"Only NVIDIA Clara v4.1.0 models are supported currently\"), so this Clara 3.x MMAR cannot be deployed as it is. Retrain it with Clara 4.1 (MONAI) and export TorchScript.");
                break;
            case ClaraGeneration.Clara40:
                yield return new MmarFinding(MmarRuleIds.MdaiClaraVersion, FindingSeverity.Warning,
                    $"Clara 4.0 MMAR ({info.ClaraVersionSource}). MD.ai runs Clara MMARs in its Clara 4.1 container (clara-train-sdk v4.1, MONAI 0.8.1), where some transforms behave differently; check its results on MD.ai.");
                break;
            case ClaraGeneration.Clara41 when info.ClaraVersion != "4.1.0" && info.ClaraVersionSource.StartsWith("CLARA_TRAIN_VERSION", System.StringComparison.Ordinal):
                yield return new MmarFinding(MmarRuleIds.MdaiClaraVersion, FindingSeverity.Information,
                    $"CLARA_TRAIN_VERSION is \"{info.ClaraVersion}\" ({info.ClaraVersionSource}); MD.ai's builder accepts clara_version \"4.1.0\" exactly, which a deployment package must state in config.yaml.");
                break;
            case ClaraGeneration.Clara41 when info.ClaraVersion != "4.1.0":
                yield return new MmarFinding(MmarRuleIds.MdaiClaraVersion, FindingSeverity.Information,
                    $"No CLARA_TRAIN_VERSION; judged Clara 4.1 from {evidence}. MD.ai's builder needs clara_version \"4.1.0\" in config.yaml.");
                break;
            case ClaraGeneration.Clara4Other when info.ClaraVersion == "4.x":
                yield return new MmarFinding(MmarRuleIds.MdaiClaraVersion, FindingSeverity.Warning,
                    $"A Clara 4.x PyTorch MMAR, but nothing tells 4.0 from 4.1 ({evidence}). MD.ai runs it in its Clara 4.1 container; set \"CLARA_TRAIN_VERSION\": \"4.1.0\" in config/environment.json once it is verified there.");
                break;
            case ClaraGeneration.Clara4Other:
                yield return new MmarFinding(MmarRuleIds.MdaiClaraVersion, FindingSeverity.Warning,
                    $"CLARA_TRAIN_VERSION is {info.ClaraVersion}; MD.ai accepts Clara 4.1.0 only and will run it in its Clara 4.1 container.");
                break;
            case ClaraGeneration.Unknown:
                yield return new MmarFinding(MmarRuleIds.ClaraVersionUnknown, FindingSeverity.Error,
                    "Cannot tell which Clara Train generation made this MMAR: there is no CLARA_TRAIN_VERSION and the configs show neither Clara 4.x (MONAI) nor 3.x components.");
                break;
        }
    }
}
