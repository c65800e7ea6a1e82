using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Mmar;
using static MdaiClara.Engine.Validation.FindingFactory;

namespace MdaiClara.Engine.Validation.Rules;

/// <summary>
/// The MMAR must ship a well-formed TorchScript model: MdaiClara runs TorchScript only and never loads pickle
/// checkpoints (unpickling runs arbitrary code).
/// </summary>
public sealed class ModelFilesRule : IMmarRule
{
    public IEnumerable<MmarFinding> Check(MmarAnalysis a)
    {
        if (!IsPyTorch(a))
        {
            yield break;
        }

        var ts = a.Info.TorchScript;
        var ckpt = a.Info.Checkpoint;
        var (whereFile, where) = DecidingPlace(a);

        if (ts is null || !ts.Exists)
        {
            if (ckpt is { Exists: true })
            {
                yield return At(MmarRuleIds.PickleCheckpointOnly, FindingSeverity.Error,
                    $"The MMAR ships only the pickle checkpoint {ckpt.RelativePath}. MdaiClara never loads pickles (unpickling can run arbitrary code), so it cannot run or deploy this model. "
                    + "Export TorchScript with commands/export.sh (Clara's medl.apps.export) and set MMAR_TORCHSCRIPT to the .ts file.",
                    whereFile ?? ckpt.RelativePath, whereFile is null ? null : where);
            }
            else if (ts is null)
            {
                yield return At(MmarRuleIds.TorchScriptMissing, FindingSeverity.Error,
                    "No TorchScript model: MMAR_TORCHSCRIPT is not set, the inference config names no ts_path, and models/model.ts does not exist.",
                    a.EnvironmentFile, null);
            }
            else
            {
                yield return At(MmarRuleIds.TorchScriptMissing, FindingSeverity.Error,
                    $"The TorchScript model {ts.RelativePath} ({ts.Source}{(whereFile is not null && !ts.Source.Contains(whereFile, System.StringComparison.Ordinal) ? $", its path set in {whereFile}" : string.Empty)}) {(ts.FormatDetail == "the file does not exist" ? "does not exist" : "is " + ts.FormatDetail)}.",
                    whereFile ?? a.EnvironmentFile, where);
            }

            yield break;
        }

        if (ts.Format != ModelFileFormat.TorchScript)
        {
            yield return At(MmarRuleIds.TorchScriptMalformed, FindingSeverity.Error,
                $"{ts.RelativePath} is {ts.FormatDetail}, not a well-formed TorchScript archive. Re-export it with torch.jit.script and torch.jit.save.",
                ts.RelativePath, null);
        }

        var active = a.Info.InferenceConfig?.ActiveModel;
        if (active?.Kind == ModelReferenceKind.Checkpoint)
        {
            yield return At(MmarRuleIds.CheckpointSelected, FindingSeverity.Warning,
                $"{active.File} loads the checkpoint ({active.ResolvedPath}) rather than the TorchScript; MdaiClara runs {ts.RelativePath} instead, which gives the same results only if it was exported from that checkpoint.",
                active.File, active.Location);
        }
    }

    /// <summary>
    /// Where the TorchScript path is decided: a literal ts_path in the inference config, else the MMAR_TORCHSCRIPT value
    /// that won (an infer.sh --set pair over environment.json over the config's own), else nowhere.
    /// </summary>
    private static (string? File, SourceLocation? Location) DecidingPlace(MmarAnalysis a)
    {
        var configured = a.Info.InferenceConfig?.Models.FirstOrDefault(m => m.Kind == ModelReferenceKind.TorchScript && !m.Disabled);
        if (configured is { RawPath: { } raw } && !(raw.StartsWith('{') && raw.EndsWith('}')))
        {
            return (configured.File, configured.Location);
        }

        return a.PathReferences.FirstOrDefault(p => p.Key == "MMAR_TORCHSCRIPT") is { } variable
            ? (variable.DefinedIn, variable.Location)
            : (null, null);
    }
}
