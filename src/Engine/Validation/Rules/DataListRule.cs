using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Mmar;
using static MdaiClara.Engine.Validation.FindingFactory;

namespace MdaiClara.Engine.Validation.Rules;

/// <summary>
/// Inference reads the datalist key of the dataset JSON; MD.ai's integration replaces that list with the study to
/// infer, so the key must exist in a dataset JSON the MMAR ships.
/// </summary>
public sealed class DataListRule : IMmarRule
{
    public IEnumerable<MmarFinding> Check(MmarAnalysis a)
    {
        if (!IsPyTorch(a))
        {
            yield break;
        }

        var info = a.Info;
        var dataset = info.DatasetJson;
        var key = info.DataListKey;
        if (key is null)
        {
            yield return new MmarFinding(MmarRuleIds.DataListKeyUnknown, FindingSeverity.Warning,
                "No datalist key for inference: set INFER_DATALIST_KEY in config/environment.json (MD.ai's Clara 4.1 integration reads it) or dataset.data_list_key in the inference config.",
                a.EnvironmentFile);
        }

        if (dataset is null)
        {
            yield return new MmarFinding(MmarRuleIds.DatasetJsonMissing, FindingSeverity.Warning,
                "No dataset JSON: set DATASET_JSON in config/environment.json (for example 'config/dataset_0.json').", a.EnvironmentFile);
            yield break;
        }

        switch (dataset.Kind)
        {
            case MmarPathKind.External:
                yield return At(MmarRuleIds.DataListUnchecked, FindingSeverity.Information,
                    $"DATASET_JSON = '{dataset.RawValue}' is outside the MMAR, so the datalist key{(key is null ? string.Empty : $" '{key}'")} cannot be checked here.",
                    dataset.DefinedIn, dataset.Location);
                yield break;
            case MmarPathKind.InsideMmar when !dataset.Exists:
                yield return At(MmarRuleIds.DatasetJsonMissing, FindingSeverity.Error,
                    $"The dataset JSON {dataset.RelativePath} (DATASET_JSON) does not exist in the MMAR.", dataset.DefinedIn, dataset.Location);
                yield break;
            case MmarPathKind.InsideMmar:
                break;
            default:
                yield break;
        }

        var file = a.DatasetJsonFile;
        if (file is null || !file.IsValid || key is null)
        {
            yield break; // a syntax error is reported by JsonSyntax
        }

        var root = file.RootObject;
        if (root is null || !root.TryGetValue(key, out var list))
        {
            var keys = root is null ? "it is not a JSON object" : $"its keys are {string.Join(", ", root.Keys.Select(k => $"'{k}'"))}";
            yield return At(MmarRuleIds.DataListKeyMissing, FindingSeverity.Error,
                $"The datalist key '{key}' ({info.DataListKeySource}) is not in {file.RelativePath}: {keys}. Inference reads that list, and MD.ai replaces it with the study to infer.",
                file.RelativePath, file.Locate(string.Empty));
        }
        else if (list is not object?[])
        {
            yield return At(MmarRuleIds.DataListKeyMissing, FindingSeverity.Error,
                $"'{key}' in {file.RelativePath} must be a list of images (paths, or {{\"image\": path}} objects).", file.RelativePath, file.Locate("/" + ParsedJsonFile.EscapePointerToken(key)));
        }
    }
}
