using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Mmar.Repair;

namespace MdaiClara.Cmdlets.Commands;

/// <summary>
/// <para type="synopsis">Writes a repaired copy of an MMAR that MD.ai's Clara 4.1 container can run.</para>
/// <para type="description">Adds what the MMAR lacks and can be derived from it: the standard commands/set_env.sh,
/// a commands/infer.sh that runs medl.apps.evaluate with the inference config the analysis chose (the one Get-Mmar
/// shows), and OUTPUT_CHANNELS, INFER_DATALIST_KEY and DATASET_JSON in config/environment.json (the other keys and the
/// file's layout are kept; a DATASET_JSON outside the MMAR is pointed at config/dataset_0.json inside it). A Clara 4.0
/// inference config is migrated to what Clara 4.1 (MONAI 0.8.1) runs, as NVIDIA's 4.1 upgrade notes describe: the
/// TransformInverter and SegmentationSaver handlers become Invertd and SaveImaged post-transforms, lambdas take their
/// decollated from_engine form, and CLARA_TRAIN_VERSION becomes 4.1.0; when any part has no known 4.1 form the config
/// is left as it was and each part is reported with its file:line:column. Values that cannot be derived are reported
/// as NotRepaired with the reason, never invented. The copy goes to -Destination, a folder that must not exist yet
/// (-Force replaces it); -InPlace rewrites the MMAR's own folder instead. Either way the result is built in a hidden
/// folder beside the target and renamed into place: nothing is ever half-written. A zipped MMAR is repaired into a
/// folder. Emits an MdaiClara.MmarRepair record (Source, Destination, Changes with File, Kind, What and Why).</para>
/// <example><code>Repair-Mmar ./mmar -Destination ./mmar-repaired</code>
/// <para>Writes a repaired copy and lists every change and every gap with its reason.</para></example>
/// <example><code>Get-Mmar ./mmar | Repair-Mmar -Destination ./mmar-repaired -WhatIf -Verbose</code>
/// <para>Shows the changes the repair would make (one verbose line each) without writing anything.</para></example>
/// <example><code>Repair-Mmar ./mmar -InPlace -Confirm:$false; Test-Mmar ./mmar</code>
/// <para>Repairs the MMAR's own folder, then tests it.</para></example>
/// <example><code>(Repair-Mmar ./mmar -Destination ./mmar-repaired -Force).Changes | Where-Object Kind -in NotRepaired, NotMigrated</code>
/// <para>Lists what the repair could not do, each with its file:line:column and the reason (replacing an earlier copy).</para></example>
/// </summary>
[Cmdlet(VerbsDiagnostic.Repair, "Mmar", DefaultParameterSetName = CopySet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(MmarRepair))]
public sealed class RepairMmarCommand : ClaraCmdlet
{
    private const string CopySet = "Copy";
    private const string InPlaceSet = "InPlace";

    /// <summary><para type="description">The MMAR: an object from Get-Mmar, or the path of its folder or .zip.</para></summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [Alias("Path", "FullName")]
    [ValidateNotNull]
    public object Mmar { get; set; } = null!;

    /// <summary><para type="description">The folder to write the repaired copy to. It must not exist yet, unless -Force.</para></summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = CopySet)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = null!;

    /// <summary><para type="description">Replace the -Destination folder when it exists (the old one is removed only once the new one is in place).</para></summary>
    [Parameter(ParameterSetName = CopySet)]
    public SwitchParameter Force { get; set; }

    /// <summary><para type="description">Repair the MMAR's own folder instead of writing a copy (not for a zipped MMAR).</para></summary>
    [Parameter(Mandatory = true, ParameterSetName = InPlaceSet)]
    public SwitchParameter InPlace { get; set; }

    protected override void ProcessRecord()
    {
        string mmarPath;
        MmarRepairOptions options;
        try
        {
            mmarPath = MmarPaths.Resolve(this, Mmar);
            options = new MmarRepairOptions
            {
                InPlace = InPlace,
                Force = Force,
                Destination = InPlace ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Destination),
            };
        }
        catch (MdaiClaraException ex)
        {
            WriteEngineError(ex);
            return;
        }

        try
        {
            using var source = RunOnWorker(_ => MmarLocator.Open(mmarPath));
            var (analysis, plan, target) = RunOnWorker(token =>
            {
                var analysis = MmarAnalyzer.Analyze(source, token);
                var plan = MmarRepairPlanner.Plan(analysis);
                return (analysis, plan, MmarRepairer.ResolveTarget(analysis, options));
            });
            foreach (var change in plan.Changes)
            {
                WriteVerbose($"{analysis.Info.Name}: {change}");
            }

            var action = InPlace
                ? $"Repair {analysis.Info.Name} in place ({plan.ChangeCount} changes)"
                : $"Write a repaired copy of {analysis.Info.Name} ({plan.ChangeCount} changes){(Directory.Exists(target) ? ", replacing the existing folder" : string.Empty)}";
            if (!ShouldProcess(target, action))
            {
                return;
            }

            var repair = RunOnWorker(token => MmarRepairer.Repair(analysis, plan, options, token));
            foreach (var gap in repair.Changes.Where(c => c.Kind is MmarChangeKind.NotRepaired or MmarChangeKind.NotMigrated))
            {
                WriteWarning($"{analysis.Info.Name}: {gap.Location}: {gap.What}: {gap.Why}.");
            }

            WriteObject(TypeNames.Tag(repair, TypeNames.MmarRepair));
        }
        catch (MdaiClaraException ex)
        {
            WriteError(WithRemedy(ex));
        }
        catch (Exception ex) when (IsUnexpected(ex))
        {
            WriteUnexpectedError(ex, mmarPath);
        }
    }

    /// <summary>The engine says what is wrong; the cmdlet says which of its parameters changes that.</summary>
    private ErrorRecord WithRemedy(MdaiClaraException ex)
    {
        if (ex.DiagnosticDetail is { Length: > 0 } detail)
        {
            WriteVerbose(detail);
        }

        var record = ToErrorRecord(ex);
        record.ErrorDetails.RecommendedAction = ex.ErrorId switch
        {
            ErrorIds.MmarRepairDestinationExists => "Use -Force to replace that folder, or name another -Destination.",
            ErrorIds.MmarRepairDestinationInvalid when !InPlace => "Name a -Destination folder beside the MMAR, or use -InPlace to repair the MMAR's own folder.",
            ErrorIds.MmarRepairRefused when InPlace => "Use -Destination <folder> to write a repaired copy instead.",
            _ => record.ErrorDetails.RecommendedAction,
        };
        if (record.ErrorDetails.RecommendedAction is { Length: > 0 } remedy)
        {
            record.ErrorDetails = new ErrorDetails($"{ex.Message} {remedy}") { RecommendedAction = remedy };
        }

        return record;
    }
}
