using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Validation.Rules;

namespace MdaiClara.Engine.Validation;

public sealed record MmarValidationOptions
{
    /// <summary>Also load the TorchScript and run one forward pass.</summary>
    public bool Deep { get; init; }

    public DeviceSpec Device { get; init; } = DeviceSpec.Cpu;
}

/// <summary>
/// Test-Mmar's engine: can this MMAR run here and be deployed to MD.ai as it is? Runs every rule and returns the
/// findings; the MMAR passes when none is an error.
/// </summary>
public static class MmarValidator
{
    private static readonly IMmarRule[] Rules =
    {
        new RequiredFilesRule(),
        new UnreadableFilesRule(),
        new JsonFilesRule(),
        new ClaraVersionRule(),
        new PathReferencesRule(),
        new UnresolvedVariablesRule(),
        new ModelFilesRule(),
        new DataListRule(),
        new ModelContractRule(),
        new ComponentsRule(),
        new InferenceBindingRule(),
        new MdaiDeploymentRule(),
        new Clara41CompatibilityRule(),
        new AutomaticModelRule(),
    };

    /// <summary>Rules whose errors make a forward pass pointless.</summary>
    private static readonly HashSet<string> BlocksDeep = new()
    {
        MmarRuleIds.TensorFlowMmar, MmarRuleIds.TorchScriptMissing, MmarRuleIds.TorchScriptMalformed, MmarRuleIds.PickleCheckpointOnly, MmarRuleIds.ClaraVersionUnknown,
    };

    public static IReadOnlyList<MmarFinding> Validate(MmarAnalysis analysis, MmarValidationOptions options, ModelSessionCache? cache = null, IEngineLog? log = null, CancellationToken cancellationToken = default)
    {
        var findings = new List<MmarFinding>();
        var unreadable = UnparsedCoreFiles(analysis);
        foreach (var rule in unreadable.Count == 0 ? Rules : Rules.Where(r => r is RequiredFilesRule or UnreadableFilesRule or JsonFilesRule))
        {
            cancellationToken.ThrowIfCancellationRequested();
            findings.AddRange(rule.Check(analysis));
        }

        if (unreadable.Count > 0)
        {
            // Everything else reads these files; checking it now would only repeat the syntax error in other words.
            findings.Add(new MmarFinding(MmarRuleIds.JsonSyntax, FindingSeverity.Information,
                $"The other checks were skipped because {string.Join(" and ", unreadable)} cannot be read as JSON; fix that first."));
        }

        if (options.Deep && unreadable.Count == 0)
        {
            var blocker = findings.FirstOrDefault(f => f.Severity == FindingSeverity.Error && BlocksDeep.Contains(f.RuleId));
            if (blocker is not null)
            {
                findings.Add(new MmarFinding(MmarRuleIds.DeepForward, FindingSeverity.Information, $"The forward pass was skipped: {blocker.RuleId} — there is no TorchScript model to run."));
            }
            else
            {
                using var ownCache = cache is null ? new ModelSessionCache() : null;
                findings.AddRange(DeepProbe.Run(analysis, options.Device, cache ?? ownCache!, log, cancellationToken));
            }
        }

        var where = analysis.Source.Location;
        return findings.Select(f => f with { Mmar = where }).ToList();
    }

    public static bool Passes(IEnumerable<MmarFinding> findings) => findings.All(f => f.Severity != FindingSeverity.Error);

    /// <summary>The environment and inference config, when they exist but did not parse or could not be read.</summary>
    private static List<string> UnparsedCoreFiles(MmarAnalysis analysis) =>
        new[] { analysis.EnvironmentFile, analysis.InferenceConfigFile }
            .Where(f => f is not null
                && ((analysis.JsonFiles.TryGetValue(f, out var parsed) && !parsed.IsValid) || analysis.UnreadableFiles.Any(u => u.Path == f)))
            .Select(f => f!)
            .ToList();
}
