using System.IO;
using System.Text.Json.Nodes;

namespace MdaiClara.Engine.Tests.TestSupport;

/// <summary>
/// The sample MMAR reshaped like NVIDIA's clara4.1_spleen_ct_seg_GettingStarted: a 2-class network (the conv3d_1to2
/// fixture), post-transforms ending Activationsd(softmax), Invertd, AsDiscreted(argmax, to_onehot: true, n_classes: 2),
/// SaveImaged, so MONAI 0.8.1's saver writes a one-hot (x, y, z, 2) volume; and no dataset JSON inside it (its
/// DATASET_JSON is an absolute path on the author's machine), so the package brings its own "test" datalist.
/// </summary>
internal static class OneHotMmar
{
    public const string ForeignDatasetJson = "/claraDevDay/Data/sampleData/dataset.json";

    public static string Write(TempDirectory temp, string name = "onehot")
    {
        var mmar = temp.CopySample(name);
        File.Copy(TestPaths.TorchScriptFixture("conv3d_1to2.ts"), Path.Combine(mmar, "models", "model.ts"), overwrite: true);
        File.Delete(Path.Combine(mmar, "config", "dataset_0.json"));
        var environment = Path.Combine(mmar, "config", "environment.json");
        JsonEdit.Set(environment, "OUTPUT_CHANNELS", 2);
        JsonEdit.Set(environment, "DATASET_JSON", ForeignDatasetJson);
        JsonEdit.Edit(Path.Combine(mmar, "config", "config_inference.json"), config =>
        {
            foreach (var transform in config["post_transforms"]!.AsArray())
            {
                if (transform!["name"]!.GetValue<string>() == "AsDiscreted")
                {
                    transform["args"]!["to_onehot"] = true;
                    transform["args"]!["n_classes"] = 2;
                }
            }
        });
        return mmar;
    }

    /// <summary>Replaces the inference config's post-transforms (a JSON array).</summary>
    public static void SetPostTransforms(string mmar, string postTransforms) =>
        JsonEdit.Set(Path.Combine(mmar, "config", "config_inference.json"), "post_transforms", JsonNode.Parse(postTransforms));
}
