using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Bundles;

namespace MdaiClara.Engine.Mdai.Packaging;

/// <summary>
/// model/.mdai/mdai_clara.json of a bundle package: what the bundle interface code runs (bundle root, config and
/// metadata files, the MONAI version asked for) and how it reads the saver's output back: for a segmentation the
/// NIfTI's content (labels, one-hot, probabilities), for a classifier the CSV, its content, the number of classes,
/// multi-label and the input file each instance becomes (schema: src/Engine/Mdai/Templates/README.md).
/// </summary>
public static class MdaiBundleSettings
{
    /// <summary>A multi-label classifier's threshold, as the MMAR packages use it.</summary>
    public const double Threshold = 0.5;

    public static string Build(BundlePackagingFacts facts, MdaiPackageOptions options, string bundleFolder)
    {
        var classification = facts.Task == BundleTask.Classification;
        var channels = facts.OutputChannels is > 1 ? facts.OutputChannels : null;
        var settings = new JsonObject
        {
            ["generator"] = "MdaiClara " + typeof(MdaiBundleSettings).Assembly.GetName().Version?.ToString(3),
            ["task"] = classification ? "classification" : "segmentation",
            ["package"] = "monai_bundle",
            ["bundle_root"] = bundleFolder,
            ["config_file"] = facts.ConfigFile,
            ["meta_file"] = BundleLayout.MetadataFile,
            ["monai_version"] = facts.MonaiVersion,
            ["datalist_id"] = facts.Datalist.Id,
            ["datalist_key"] = facts.Datalist.ItemKey,
        };
        if (classification)
        {
            settings["classification"] = new JsonObject
            {
                ["csv"] = facts.Saver.Csv,
                ["content"] = Content(facts.Saved),
                ["classes"] = facts.OutputChannels,
                ["multi_label"] = facts.Saver.MultiLabel,
                ["threshold"] = Threshold,
                ["input"] = facts.Saver.Input == BundleClassifierInput.Png ? "png" : "dicom",
            };
            settings["label_to_class_index"] = null;
            settings["class_names"] = Names(facts.ClassNames.ToArray());
        }
        else
        {
            settings["saved_output"] = new JsonObject
            {
                ["content"] = Content(facts.Saved),
                ["channels"] = facts.Saved == BundleSavedContent.Labels ? 1 : channels,
                ["channel_axis"] = "last",
            };
            settings["label_to_class_index"] = Map(options);
            settings["class_names"] = Names(facts.ClassNames.Skip(1).ToArray());
        }

        return settings.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static string Content(BundleSavedContent content) => content switch
    {
        BundleSavedContent.Labels => "labels",
        BundleSavedContent.OneHot => "one_hot",
        _ => "probabilities",
    };

    private static JsonNode? Names(string[] names) => names.Length > 0 ? new JsonArray(names.Select(n => (JsonNode)JsonValue.Create(n)!).ToArray()) : null;

    private static JsonNode? Map(MdaiPackageOptions options)
    {
        if (options.LabelToClassIndex is not { } given)
        {
            return null;
        }

        var o = new JsonObject();
        foreach (var (label, index) in given.OrderBy(p => p.Key))
        {
            o[label.ToString(CultureInfo.InvariantCulture)] = index;
        }

        return o;
    }
}
