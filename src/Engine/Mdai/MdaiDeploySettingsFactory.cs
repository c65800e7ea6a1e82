using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Validation;

namespace MdaiClara.Engine.Mdai;

/// <summary>
/// Reads, from an MMAR's analysis, what MD.ai's interface code needs (<see cref="MdaiDeploySettings"/>), and refuses
/// MMARs that MD.ai's Clara container cannot serve, each with the reason.
/// </summary>
public static class MdaiDeploySettingsFactory
{
    /// <summary>The dataset JSON written into the package when the MMAR has none inside it.</summary>
    public const string DefaultDatasetJson = "config/dataset_0.json";

    /// <summary>The datalist key whose items MONAI's load_decathlon_datalist wraps as {"image": item}.</summary>
    public const string MonaiTestKey = "test";

    public static MdaiDeploySettings Create(MmarAnalysis analysis, MdaiPackageOptions options)
    {
        var info = analysis.Info;
        // Whether MD.ai can serve the MMAR at all is Test-Mmar's verdict (MdaiPackageBuilder refuses on its errors); this
        // only reads the settings, from the same checks.
        var config = info.InferenceConfig ?? throw Refused(info, "it has no inference config that can be read (config/config_inference.json)");
        if (!MdaiDeploymentChecks.IsPackagedTask(info.Task))
        {
            throw Refused(info, $"its task is '{info.Task}'; MdaiClara packages segmentation and classification MMARs (set PROCESSING_TASK in config/environment.json)");
        }

        var datasetJson = info.DatasetJson is { Kind: MmarPathKind.InsideMmar, RelativePath: { } inside } ? inside : DefaultDatasetJson;
        var datalistKey = info.DataListKey ?? "test";
        var common = new MdaiDeploySettings
        {
            Generator = $"MdaiClara {typeof(MdaiDeploySettingsFactory).Assembly.GetName().Version?.ToString(3)}",
            Task = info.Task,
            ClaraVersion = options.ClaraVersion,
            MmarRoot = options.ClaraVersion == MdaiPackageOptions.Clara40 ? MdaiPackageBuilder.Clara40FolderName(info) : ".",
            EnvironmentJson = "config/environment.json",
            InferenceConfig = config.File,
            DatasetJson = datasetJson,
            DatalistKey = datalistKey,
            DatalistEntry = EntryShape(analysis, datasetJson, datalistKey),
        };

        return info.Task == "segmentation" ? Segmentation(info, analysis, config, common, options) : Classification(info, analysis, config, common);
    }

    private static MdaiDeploySettings Segmentation(MmarInfo info, MmarAnalysis analysis, InferenceConfig config, MdaiDeploySettings common, MdaiPackageOptions options)
    {
        // Where the MMAR writes its label map: SaveImage(d) (Clara 4.1) or the SegmentationSaver handler (Clara 4.0).
        var saver = MdaiDeploymentChecks.Saver(config, info.Task) ?? throw Refused(info, $"{config.File} saves no label map");
        var defaultPostfix = saver.CanonicalName == "SegmentationSaver" ? "seg" : "trans";
        var channels = info.OutputChannels ?? info.Labels?.Count;
        var saved = SavedSegmentationDescriber.Describe(config, saver, channels);
        if (saved.Output is null)
        {
            throw Refused(info, saved.Refusal!);
        }

        var map = options.LabelToClassIndex is { Count: > 0 } given
            ? given.OrderBy(p => p.Key).ToDictionary(p => p.Key.ToString(CultureInfo.InvariantCulture), p => p.Value) // by label: the same map gives the same bytes
            : channels is > 1 ? Enumerable.Range(1, channels.Value - 1).ToDictionary(l => l.ToString(CultureInfo.InvariantCulture), l => l - 1) : null;
        return common with
        {
            OutputPostfix = saver.Args.GetString("output_postfix") ?? defaultPostfix,
            OutputExt = saver.Args.GetString("output_ext") ?? ".nii.gz",
            SeparateFolder = saver.Args.TryGetValue("separate_folder", out var separate) && separate is bool b ? b : true,
            SavedOutput = saved.Output,
            LabelToClassIndex = map,
            ClassNames = info.Labels?.Skip(1).ToList(),
        };
    }

    private static MdaiDeploySettings Classification(MmarInfo info, MmarAnalysis analysis, InferenceConfig config, MdaiDeploySettings common)
    {
        var saver = MdaiDeploymentChecks.Saver(config, info.Task) ?? throw Refused(info, $"{config.File} saves no classification result");
        var sigmoid = config.PostTransforms.Any(t => !t.Disabled && t.CanonicalName is "Activationsd" or "Activations" && t.Args.TryGetValue("sigmoid", out var s) && s is true);
        return common with
        {
            ClassNames = info.Labels?.ToList(),
            Classification = new MdaiClassificationSettings
            {
                Csv = saver.Args.GetString("filename") ?? "predictions.csv",
                MultiLabel = sigmoid,
                Threshold = 0.5,
            },
        };
    }

    /// <summary>
    /// How Clara (MONAI 0.8.1's load_decathlon_datalist) reads an entry of the key: every "test" item is wrapped as
    /// {"image": item}, so "test" takes bare paths; other keys take objects, shaped like the datalist's own (MD.ai's
    /// skeletons copy it), {"image": p} when it has none.
    /// </summary>
    private static string EntryShape(MmarAnalysis analysis, string datasetJson, string key)
    {
        if (key == MonaiTestKey)
        {
            return "path";
        }

        if (!analysis.JsonFiles.TryGetValue(datasetJson, out var parsed) || parsed.RootObject is not { } root)
        {
            return "image";
        }

        var lists = root.TryGetValue(key, out var own) && own is object?[] { Length: > 0 } ownList
            ? new[] { ownList }
            : root.Values.OfType<object?[]>().Where(l => l.Length > 0).ToArray();
        // A bare string under another key is not read by MONAI ("Every item in items must be a dict"): objects it is.
        return lists.FirstOrDefault()?[0] switch
        {
            ConfigObject o when o.ContainsKey("label") => "image_label",
            _ => "image",
        };
    }

    private static MdaiClaraException Refused(MmarInfo info, string why) =>
        new($"{info.Name} cannot be packaged for MD.ai: {why}.", ErrorIds.MdaiPackageRefused, ErrorKind.InvalidData, info.Path);
}
