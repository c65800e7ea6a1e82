using System;
using System.Collections.Generic;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Mmar;
using static MdaiClara.Engine.Validation.FindingFactory;

namespace MdaiClara.Engine.Validation.Rules;

/// <summary>
/// Paths the MMAR ships (MMAR_TORCHSCRIPT, MMAR_CKPT, MMAR_CKPT_DIR, model paths, a relative DATASET_JSON) must resolve
/// inside it; data paths (DATA_ROOT, an absolute DATASET_JSON) point outside by design and are only information.
/// </summary>
public sealed class PathReferencesRule : IMmarRule
{
    public IEnumerable<MmarFinding> Check(MmarAnalysis a)
    {
        foreach (var p in a.PathReferences)
        {
            var isDataset = p.Key is "DATASET_JSON" or "dataset.data_list_file_path";
            var isData = isDataset || p.Key is "DATA_ROOT" or "MMAR_EVAL_OUTPUT_PATH";
            switch (p.Kind)
            {
                case MmarPathKind.EscapesMmar:
                    yield return At(MmarRuleIds.PathEscapesMmar, p.Key == "MMAR_EVAL_OUTPUT_PATH" || p.Key == "DATA_ROOT" ? FindingSeverity.Warning : FindingSeverity.Error,
                        $"{p.Key} = '{p.RawValue}' climbs out of the MMAR with '..'. Paths the MMAR ships are relative to its root (for example 'models/model.ts', 'config/dataset_0.json').",
                        p.DefinedIn, p.Location);
                    break;
                case MmarPathKind.External when !isData:
                    yield return At(MmarRuleIds.PathEscapesMmar, FindingSeverity.Error,
                        $"{p.Key} = '{p.RawValue}' is absolute, so it points outside the MMAR and will not exist where the MMAR is deployed. Make it relative to the MMAR root (for example 'models/model.ts').",
                        p.DefinedIn, p.Location);
                    break;
                case MmarPathKind.External:
                    yield return At(MmarRuleIds.DataPathOutside, FindingSeverity.Information,
                        $"{p.Key} = '{p.RawValue}' points outside the MMAR, as data paths do; it is not checked here.", p.DefinedIn, p.Location);
                    break;
                case MmarPathKind.InsideMmar when p.Key == "DATA_ROOT":
                    yield return At(MmarRuleIds.DataPathOutside, FindingSeverity.Information,
                        $"DATA_ROOT = '{p.RawValue}' is relative; Clara resolves it against the working folder, usually the MMAR root.", p.DefinedIn, p.Location);
                    break;
            }

            if (isDataset && p.Kind == MmarPathKind.External && p.RawValue.StartsWith('~'))
            {
                yield return At(MmarRuleIds.DataPathOutside, FindingSeverity.Warning,
                    $"{p.Key} = '{p.RawValue}' starts with '~', which Clara does not expand.", p.DefinedIn, p.Location);
            }
        }
    }
}
