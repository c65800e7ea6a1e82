using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Mmar;
using static MdaiClara.Engine.Validation.FindingFactory;

namespace MdaiClara.Engine.Validation;

/// <summary>
/// What MD.ai's Clara container needs of an MMAR beyond running it: a packaged task, a saved result where the interface
/// code looks for it, and a known channel count. The one source of these conditions: Test-Mmar reports them (through
/// <see cref="Rules.MdaiDeploymentRule"/>), and packaging reads the saver and channel count from here and refuses an
/// MMAR whose validation has errors, so the two cannot disagree.
/// </summary>
public static class MdaiDeploymentChecks
{
    /// <summary>The tasks MD.ai's interface code is generated for.</summary>
    public static bool IsPackagedTask(string task) => task is "segmentation" or "classification";

    /// <summary>
    /// The component that writes the result: SaveImage(d) (Clara 4.1) or the SegmentationSaver handler (Clara 4.0) for a
    /// segmentation; the ClassificationSaver handler or SaveClassification(d) for a classification; null when none does.
    /// </summary>
    public static ComponentSpec? Saver(InferenceConfig config, string task) => task == "segmentation"
        ? config.PostTransforms.LastOrDefault(t => !t.Disabled && t.CanonicalName is "SaveImaged" or "SaveImage")
            ?? config.Handlers.LastOrDefault(h => !h.Disabled && h.CanonicalName == "SegmentationSaver")
        : config.Handlers.LastOrDefault(h => !h.Disabled && h.CanonicalName == "ClassificationSaver")
            ?? config.PostTransforms.LastOrDefault(t => !t.Disabled && t.CanonicalName is "SaveClassificationd" or "SaveClassification");

    /// <summary>The output channel count a package states: OUTPUT_CHANNELS (or its equivalents), else the label count; a classifier's defaults to 1.</summary>
    public static int? OutputChannels(MmarInfo info) => info.OutputChannels ?? info.Labels?.Count ?? (info.Task == "segmentation" ? null : 1);

    /// <summary>The refusals, as error findings (empty when MD.ai's container can serve the MMAR's result).</summary>
    public static IEnumerable<MmarFinding> Refusals(MmarAnalysis a)
    {
        var info = a.Info;
        if (!IsPackagedTask(info.Task))
        {
            var said = info.Task == "unknown" ? "The task is unknown" : $"PROCESSING_TASK is '{info.Task}'";
            yield return new MmarFinding(MmarRuleIds.TaskUnknown, FindingSeverity.Error,
                $"{said}: MD.ai deployment is generated for segmentation and classification only; set PROCESSING_TASK to \"segmentation\" or \"classification\" in config/environment.json.", a.EnvironmentFile);
            yield break;
        }

        if (info.InferenceConfig is not { } config)
        {
            yield break; // RequiredFilesRule and JsonFilesRule say why
        }

        var saver = Saver(config, info.Task);
        if (saver is null)
        {
            var what = info.Task == "segmentation"
                ? "no label map (no SaveImaged post-transform and no SegmentationSaver handler)"
                : "no classification result (no ClassificationSaver handler and no SaveClassificationd)";
            yield return new MmarFinding(MmarRuleIds.ResultNotSaved, FindingSeverity.Error,
                $"{config.File} saves {what}, so nothing would come back from commands/infer.sh on MD.ai.", config.File);
        }
        else if (EvalOutputProblem(a, saver) is { } outside)
        {
            yield return outside;
        }
        else if (info.Task == "segmentation" && SavedSegmentationDescriber.Describe(config, saver, OutputChannels(info)).Refusal is { } unreadable)
        {
            // What the saver is handed must be one label map the interface code can read (label, one-hot or probabilities).
            yield return At(MmarRuleIds.SaverOutputUnreadable, FindingSeverity.Error, $"{unreadable}.", saver.File, saver.Location);
        }

        if (OutputChannels(info) is null)
        {
            yield return new MmarFinding(MmarRuleIds.OutputChannelsUnknown, FindingSeverity.Error,
                "The number of output channels is unknown (no OUTPUT_CHANNELS, network out_channels or dataset labels): MD.ai's integration needs it to map labels to classes. Set OUTPUT_CHANNELS in config/environment.json (a deep test measures it).",
                a.EnvironmentFile);
        }
    }

    /// <summary>
    /// The interface code points MMAR_EVAL_OUTPUT_PATH at its own folder and looks for the result there, so the saver
    /// must write under {MMAR_EVAL_OUTPUT_PATH} (as every published MMAR does); MONAI's default "./" would not be found.
    /// </summary>
    private static MmarFinding? EvalOutputProblem(MmarAnalysis a, ComponentSpec saver)
    {
        object? node = a.JsonFiles.TryGetValue(saver.File, out var file) ? file.Root : null;
        foreach (var segment in (saver.JsonPointer + "/args/output_dir").Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node switch
            {
                ConfigObject o => o.TryGetValue(segment, out var v) ? v : null,
                object?[] list when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k < list.Length => list[k],
                _ => null,
            };
        }

        if (node is string raw && raw.TrimStart().StartsWith("{MMAR_EVAL_OUTPUT_PATH}", StringComparison.Ordinal))
        {
            return null;
        }

        var at = file?.Locate(saver.JsonPointer + "/args/output_dir") ?? saver.Location;
        return At(MmarRuleIds.ResultOutsideEvalOutput, FindingSeverity.Error,
            $"Its {saver.Name} writes to {(node is string s ? $"'{s}'" : "MONAI's default './'")}, but on MD.ai the result is looked for under MMAR_EVAL_OUTPUT_PATH: set \"output_dir\": \"{{MMAR_EVAL_OUTPUT_PATH}}\".",
            saver.File, at);
    }
}
