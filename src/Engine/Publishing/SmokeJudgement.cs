using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Mdai;

namespace MdaiClara.Engine.Publishing;

/// <summary>What a packaged model's smoke run says of a package, and of its packaged interface code's view of the results.</summary>
internal sealed record SmokePackage(
    string Packaged,
    string Task,
    string TaskSetting,
    SavedSegmentationOutput? SavedOutput,
    IReadOnlyDictionary<int, int>? LabelToClassIndex,
    double Threshold);

/// <summary>
/// How a smoke run's results are judged, whatever was packaged (an MMAR, a MONAI bundle): the task the results have,
/// what the saver writes as the packaged code reads it (<see cref="PackagedSaverOutput"/>), the "Smoke run" record,
/// and the "MD.ai output" check: the list the packaged code would return, checked strictly by MD.ai's rules.
/// </summary>
internal static class SmokeJudgement
{
    public const string SmokeRun = "Smoke run";

    public const string MdaiOutput = "MD.ai output";

    public static PublishCheck Failed(string detail) => new(SmokeRun, PublishCheckStatus.Failed, detail);

    public static List<PublishCheck> Judge(SmokePackage package, InputSource input, List<InferenceResult> results, PackagedSaverOutput? saved, TimeSpan elapsed, CancellationToken cancellationToken)
    {
        if (results.FirstOrDefault(r => r.Task != package.Task) is { } wrong)
        {
            return [Failed($"{package.Packaged} gave a {wrong.Task} result on {wrong.Input}, but it is packaged as a {package.Task} model ({package.TaskSetting}): MD.ai would find no result where the interface code looks")];
        }

        if (saved is { Refusal: { } refused })
        {
            return [Failed($"MD.ai's interface code would refuse what {saved.Saver} writes{(saved.SavedShape is null ? string.Empty : $" ({saved.SavedShape})")}: {refused}")];
        }

        if (saved is { Labels: null })
        {
            return [Failed($"{saved.Saver} never ran in the pipeline, so MD.ai's interface code would find no result")];
        }

        var first = results[0];
        var what = first.Task == "segmentation"
            ? $"{input.Name} ({input.Series!.Instances.Count} instances): {string.Join(", ", first.Classes.Where(c => c.Label > 0).Select(c => $"{c.Name} {c.VolumeMl:0.##} mL"))}"
            : $"{results.Count} of the {input.Series!.Instances.Count} instances of {input.Name}, each as its own image: first {string.Join(", ", first.Probabilities.Take(5))}";
        var read = saved is null ? string.Empty : $"; {saved.Saver} writes {saved.SavedShape}, which the packaged code reads as {package.SavedOutput!.Describe()}{(saved.ResampleNote is null ? string.Empty : $" ({saved.ResampleNote})")}";
        return
        [
            new(SmokeRun, PublishCheckStatus.Passed, $"{what}; on {first.Device} in {elapsed.TotalSeconds:0.0} s{read} (form, not accuracy)"),
            OutputCheck(package, results, saved, cancellationToken),
        ];
    }

    /// <summary>The MD.ai list the packaged code would return, checked strictly by MD.ai's rules.</summary>
    private static PublishCheck OutputCheck(SmokePackage package, List<InferenceResult> results, PackagedSaverOutput? saved, CancellationToken cancellationToken)
    {
        try
        {
            // A segmentation's masks come from the label map the packaged code reads from the saver's file, placed by
            // position on the series (as the code does), not from MdaiClara's own label map.
            IEnumerable<JsonObject> Outputs(InferenceResult r) => saved?.Labels is { } labels && r.InputDicom is { } dicom && r.InputAffine is { } affine
                ? MdaiOutputBuilder.SegmentationOutputs(labels, dicom, r.Shape, affine, package.LabelToClassIndex).Select(o => o.ToJson())
                : MdaiResults.Outputs(r, package.LabelToClassIndex, package.Threshold);

            // Strict: every mask element, not only the first one MD.ai's server looks at. Output by output, so a large
            // study's masks are never all in memory.
            var (count, annotations) = (0, 0);
            var findings = MdaiOutputValidator.ValidateEach(results.SelectMany(Outputs), strict: true, seen: o =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                count++;
                annotations += o?["type"]?.GetValue<string>() == "ANNOTATION" ? 1 : 0;
            });
            var problems = findings.Where(f => f.Severity != FindingSeverity.Information).Select(f => f.ToString()).ToList();
            return new PublishCheck(MdaiOutput, problems.Count == 0 ? PublishCheckStatus.Passed : PublishCheckStatus.Failed,
                problems.Count == 0 ? $"{count} outputs ({annotations} annotations) pass MD.ai's output rules" : string.Join("; ", problems.Take(5)));
        }
        catch (MdaiClaraException ex)
        {
            return new PublishCheck(MdaiOutput, PublishCheckStatus.Failed, ex.Message);
        }
    }
}
