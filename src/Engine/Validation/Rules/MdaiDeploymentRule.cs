using System.Collections.Generic;
using MdaiClara.Engine.Mmar;
using static MdaiClara.Engine.Validation.FindingFactory;

namespace MdaiClara.Engine.Validation.Rules;

/// <summary>What packaging for MD.ai would refuse (<see cref="MdaiDeploymentChecks"/>): task, saved result, channel count.</summary>
public sealed class MdaiDeploymentRule : IMmarRule
{
    public IEnumerable<MmarFinding> Check(MmarAnalysis a) => IsPyTorch(a) ? MdaiDeploymentChecks.Refusals(a) : System.Array.Empty<MmarFinding>();
}
