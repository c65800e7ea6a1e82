using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Mdai;

/// <summary>
/// Packages three classifier bundles with <see cref="MdaiBundlePackageBuilder"/> and runs each package's interface code
/// for real (tests/mdai/run_mdai_deploy.py --package, MONAI's bundle runner replaced by the stand-in that writes the
/// CSV the bundle's own saver would): the golden RGB classifier as it is (softmax and argmax, a ClassificationSaver
/// handler, a PILReader: PNG inputs, the CSV holds class indices), one shaped like the Model Zoo's endoscopic in-body
/// classifier (argmax with to_onehot, SaveClassificationd, DICOM inputs) and one like its breast-density classifier
/// (sigmoid, a ClassificationSaver handler: multi-label probabilities).
/// </summary>
public sealed class MdaiBundleClassifierHarness : IDisposable
{
    private readonly TempDirectory temp = new();

    public MdaiBundleClassifierHarness()
    {
        var golden = Path.Combine(TestPaths.Fixtures, "bundles", "golden-rgb-cls");
        Bundles["golden"] = golden;
        Bundles["onehot"] = Variant("onehot", inference =>
        {
            inference["preprocessing"]!["transforms"]![0]!.AsObject().Remove("reader");
            inference["postprocessing"]!["transforms"] = JsonNode.Parse("""
                [{"_target_": "AsDiscreted", "keys": ["pred"], "argmax": true, "to_onehot": 3},
                 {"_target_": "SaveClassificationd", "keys": "pred", "meta_keys": "image_meta_dict", "output_dir": "@output_dir", "filename": "inbody.csv"}]
                """);
            inference["handlers"] = JsonNode.Parse("""[{"_target_": "StatsHandler", "iteration_log": true}]""");
        });
        Bundles["sigmoid"] = Variant("sigmoid", inference =>
        {
            inference["postprocessing"]!["transforms"] = JsonNode.Parse("""[{"_target_": "Activationsd", "keys": "pred", "sigmoid": true}]""");
            inference["handlers"]![1]!["filename"] = "density.csv";
        });
        // No top-level "datalist" (as the Model Zoo's classification_template): the dataset's data is replaced.
        Bundles["dataset-data"] = Variant("dataset-data", inference =>
        {
            inference.Remove("datalist");
            inference["test_images"] = "$list(sorted(glob.glob(@dataset_dir + '/*.png')))";
            inference["dataset"]!["data"] = "$[{'image': i} for i in @test_images]";
        });
        var harness = Path.Combine(TestPaths.RepoRoot, "tests", "mdai", "run_mdai_deploy.py");
        foreach (var (name, bundle) in Bundles)
        {
            var zip = temp.Combine(name + ".zip");
            Packages[name] = MdaiBundlePackageBuilder.Build(bundle, zip, new MdaiPackageOptions());
            Reports[name] = JsonDocument.Parse(PythonPeer.Run(MdaiDeployHarness.RunHarness, TimeSpan.FromMinutes(3), harness, "--package", zip)).RootElement;
        }
    }

    public Dictionary<string, string> Bundles { get; } = new();

    public Dictionary<string, MdaiBundlePackage> Packages { get; } = new();

    public Dictionary<string, JsonElement> Reports { get; } = new();

    public void Dispose() => temp.Dispose();

    private string Variant(string name, Action<JsonObject> edit)
    {
        var bundle = MdaiBundlePackageTests.CopyBundle(temp, Path.Combine(TestPaths.Fixtures, "bundles", "golden-rgb-cls"), name);
        var path = Path.Combine(bundle, "configs", "inference.json");
        var inference = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(inference);
        File.WriteAllText(path, inference.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return bundle;
    }
}

public sealed class MdaiBundleClassifierPackageTests(MdaiBundleClassifierHarness harness) : IClassFixture<MdaiBundleClassifierHarness>
{
    public static TheoryData<string, string> Cases => new()
    {
        { "golden", "bundle_cls_some_instances" }, { "golden", "bundle_cls_whole_series" }, { "golden", "bundle_cls_fail_no_csv" },
        { "onehot", "bundle_cls_some_instances" }, { "onehot", "bundle_cls_whole_series" }, { "onehot", "bundle_cls_fail_no_csv" },
        { "sigmoid", "bundle_cls_some_instances" }, { "sigmoid", "bundle_cls_whole_series" }, { "sigmoid", "bundle_cls_fail_no_csv" },
        { "dataset-data", "bundle_cls_some_instances" }, { "dataset-data", "bundle_cls_whole_series" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ThePackagedInterfaceCodePassesTheHarnessCase(string bundle, string name)
    {
        var report = harness.Reports[bundle];
        Assert.True(report.GetProperty("environment").GetProperty("ok").GetBoolean(), report.GetProperty("environment").ToString());
        var found = report.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        Assert.True(found.GetProperty("ok").GetBoolean(), found.ToString());
        if (!name.Contains("_fail_", StringComparison.Ordinal))
        {
            Assert.Equal(0, found.GetProperty("mismatching_outputs").GetInt32());
            Assert.True(found.GetProperty("outputs").GetInt32() >= found.GetProperty("instances").GetInt32(), found.ToString());
        }
    }

    [Theory]
    [InlineData("golden", "predictions.csv", "labels", false, "png")]
    [InlineData("onehot", "inbody.csv", "one_hot", false, "dicom")]
    [InlineData("sigmoid", "density.csv", "probabilities", true, "png")]
    [InlineData("dataset-data", "predictions.csv", "labels", false, "png")]
    public void TheSettingsSayWhatTheBundlesSaverWritesAndWhatEachInstanceBecomes(string bundle, string csv, string content, bool multiLabel, string input)
    {
        var package = harness.Packages[bundle];
        Assert.Equal("classification", package.Task);
        var settings = JsonNode.Parse(package.Settings)!;
        Assert.Equal("classification", settings["task"]!.GetValue<string>());
        Assert.Null(settings["saved_output"]);
        var c = settings["classification"]!;
        Assert.Equal(csv, c["csv"]!.GetValue<string>());
        Assert.Equal(content, c["content"]!.GetValue<string>());
        Assert.Equal(multiLabel, c["multi_label"]!.GetValue<bool>());
        Assert.Equal(input, c["input"]!.GetValue<string>());
        Assert.Equal(3, c["classes"]!.GetValue<int>());
        Assert.Equal(bundle == "dataset-data" ? "dataset::data" : "datalist", settings["datalist_id"]!.GetValue<string>());
        Assert.Equal(new[] { "red", "green", "blue" }, settings["class_names"]!.AsArray().Select(n => n!.GetValue<string>()));
        // The run saw the content the stand-in read from the bundle itself: the settings agree with what was written.
        var run = harness.Reports[bundle].GetProperty("cases").EnumerateArray().First(r => r.GetProperty("name").GetString() == "bundle_cls_whole_series");
        Assert.Equal(content, run.GetProperty("content").GetString());
    }

    [Fact]
    public void TheClassifierPackageCarriesTheClassificationInterfaceCodeAndTheBundlesPins()
    {
        using var zip = ZipFile.OpenRead(harness.Packages["golden"].Path);
        var names = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("model/bundle/models/model.ts", names);
        Assert.DoesNotContain(names, n => n.Contains("sample_data", StringComparison.Ordinal) || n.Contains("expected/", StringComparison.Ordinal));
        var deploy = System.Text.Encoding.UTF8.GetString(MdaiBundlePackageTests.Read(zip, "model/.mdai/mdai_deploy.py"));
        Assert.Contains("load_settings(folder, \"classification\", kind=\"bundle\")", deploy, StringComparison.Ordinal);
        Assert.Equal(
            new[] { "monai==1.3.2", "torch==1.13.0", "pillow==9.4.0", "pytorch-ignite==0.4.12", "nibabel" },
            harness.Packages["golden"].Requirements.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')));
    }
}
