using System;
using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Mmar.Repair;
using MdaiClara.Engine.Validation;

namespace MdaiClara.Cmdlets;

/// <summary>
/// Test-Mmar's remedies that name a command: a finding gets "Repair-Mmar fixes this" only when the repair planned for
/// that very MMAR makes the change the finding asks for (so the remedy is never offered where Repair-Mmar would report
/// the thing as not repairable).
/// </summary>
internal static class MmarRemedies
{
    /// <summary>Findings about Clara 4.0 content on MD.ai's Clara 4.1 image; the migration fixes them.</summary>
    private static readonly HashSet<string> GenerationRules = new(StringComparer.Ordinal)
    {
        MmarRuleIds.MdaiClaraVersion,
        "ClaraGenerationMismatch", // the Clara 4.0-on-4.1 error another part of issue 8 adds; same remedy
    };

    private static readonly string[] EnvironmentKeys = { "OUTPUT_CHANNELS", "INFER_DATALIST_KEY", "DATASET_JSON" };

    public static IReadOnlyList<MmarFinding> Attach(IReadOnlyList<MmarFinding> findings, MmarRepairPlan? plan)
    {
        if (plan is null || plan.IsEmpty)
        {
            return findings;
        }

        return findings.Select(f => For(f, plan) is { } remedy ? f with { Remedy = remedy } : f).ToList();
    }

    /// <summary>What Repair-Mmar would change, so remedies name it only where it fixes the finding; none for an MMAR it refuses.</summary>
    public static MmarRepairPlan? PlanFor(MdaiClara.Engine.Mmar.MmarAnalysis analysis)
    {
        try
        {
            return MmarRepairPlanner.Plan(analysis);
        }
        catch (MdaiClara.Engine.Errors.MdaiClaraException)
        {
            return null;
        }
    }

    /// <summary>The plan migrates the inference config to Clara 4.1 completely (nothing left unmigrated).</summary>
    public static bool Migrates(MmarRepairPlan? plan) =>
        plan is not null && plan.Changes.Any(c => c.Kind == MmarChangeKind.Migrated) && plan.Changes.All(c => c.Kind != MmarChangeKind.NotMigrated);

    private static string? For(MmarFinding finding, MmarRepairPlan plan)
    {
        bool Made(string file, string? what = null) => plan.Changes.Any(c =>
            c.File == file && c.Kind is MmarChangeKind.Added or MmarChangeKind.Modified or MmarChangeKind.Migrated
            && (what is null || c.What.Contains(what, StringComparison.Ordinal)));

        var fixes = finding.RuleId switch
        {
            MmarRuleIds.RequiredFile when finding.Message.Contains("set_env.sh", StringComparison.Ordinal) => Made(CommandScripts.SetEnvPath) ? "adds the standard commands/set_env.sh" : null,
            MmarRuleIds.RequiredFile when finding.File == CommandScripts.InferPath && finding.Message.StartsWith(CommandScripts.InferPath + " is missing", StringComparison.Ordinal)
                => Made(CommandScripts.InferPath) ? "adds a commands/infer.sh that runs the inference config Get-Mmar shows" : null,
            MmarRuleIds.MdaiEnvironmentKeys => EnvironmentKeys.Any(k => finding.File is { } f && Made(f, $"\"{k}\"")) ? "adds the keys it can derive from the MMAR" : null,
            MmarRuleIds.OutputChannelsUnknown => finding.File is { } e && Made(e, "\"OUTPUT_CHANNELS\"") ? "adds OUTPUT_CHANNELS from the MMAR's configs" : null,
            var id when GenerationRules.Contains(id) => Migrates(plan) ? "migrates the inference config to Clara 4.1 (MONAI 0.8.1)" : null,
            _ => null,
        };
        return fixes is null ? null : $"Repair-Mmar fixes this: it {fixes} (Repair-Mmar <mmar> -Destination <folder> writes a repaired copy; -InPlace repairs the MMAR itself).";
    }
}
