using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Imaging.Nifti;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Mdai;

/// <summary>
/// Packages the sample MMAR with <see cref="MdaiPackageBuilder"/> (both Clara layouts), then lets
/// tests/mdai/run_mdai_deploy.py --package unpack each zip as MD.ai would and run the packaged mdai_deploy.py for real,
/// with only commands/infer.sh swapped for the stand-in, on DICOM series in several orientations. Each case's outputs
/// and the stand-in's label volume are dumped, so the tests can also compare them with what MdaiClara's own
/// <see cref="MdaiOutputBuilder"/> makes of the same label volume.
/// </summary>
public sealed class MdaiPackageHarness : IDisposable
{
    private const string RunHarness = MdaiDeployHarness.RunHarness;

    private readonly TempDirectory temp = new();

    public MdaiPackageHarness()
    {
        var harness = Path.Combine(TestPaths.RepoRoot, "tests", "mdai", "run_mdai_deploy.py");
        foreach (var (layout, claraVersion) in new[] { ("4.1.0", MdaiPackageOptions.Clara41), ("4.0", MdaiPackageOptions.Clara40) })
        {
            var zip = temp.Combine($"sample-{layout}.zip");
            MdaiPackageBuilder.Build(MmarAnalyzer.Open(TestPaths.SampleMmar), zip, new MdaiPackageOptions { ClaraVersion = claraVersion });
            var dump = temp.Combine($"dump-{layout}");
            var output = PythonPeer.Run(RunHarness, TimeSpan.FromMinutes(3), harness, "--package", zip, "--dump", dump);
            Reports[layout] = JsonDocument.Parse(output).RootElement;
            Dumps[layout] = dump;
        }

        // A class map that merges labels and reverses their order: Python and C# must group and sort alike.
        var mappedZip = temp.Combine("sample-mapped.zip");
        MdaiPackageBuilder.Build(MmarAnalyzer.Open(TestPaths.SampleMmar), mappedZip, new MdaiPackageOptions { LabelToClassIndex = new Dictionary<int, int> { [1] = 1, [2] = 0, [3] = 0 } });
        Dumps["mapped"] = temp.Combine("dump-mapped");
        Reports["mapped"] = JsonDocument.Parse(PythonPeer.Run(RunHarness, TimeSpan.FromMinutes(3), harness, "--package", mappedZip, "--dump", Dumps["mapped"],
            "--case", "pkg_phantom_input_grid", "--case", "pkg_oblique_input_grid")).RootElement;

        // The shape of NVIDIA's clara4.1_spleen_ct_seg_GettingStarted: a one-hot 2-class saver and no dataset JSON inside.
        var oneHotZip = temp.Combine("onehot.zip");
        OneHotPackage = MdaiPackageBuilder.Build(MmarAnalyzer.Open(OneHotMmar.Write(temp)), oneHotZip, new MdaiPackageOptions());
        Dumps["onehot"] = temp.Combine("dump-onehot");
        Reports["onehot"] = JsonDocument.Parse(PythonPeer.Run(RunHarness, TimeSpan.FromMinutes(3), harness, "--package", oneHotZip, "--dump", Dumps["onehot"],
            "--case", "pkg_phantom_input_grid", "--case", "pkg_coronal_rotated_grid")).RootElement;

        // A multi-label classifier made from the sample: its package runs the classification template.
        var classifier = Classifier(temp);
        var clsZip = temp.Combine("classifier.zip");
        ClassifierPackage = MdaiPackageBuilder.Build(MmarAnalyzer.Open(classifier), clsZip, new MdaiPackageOptions());
        Dumps["classification"] = temp.Combine("dump-classification");
        Reports["classification"] = JsonDocument.Parse(PythonPeer.Run(RunHarness, TimeSpan.FromMinutes(3), harness, "--package", clsZip, "--dump", Dumps["classification"])).RootElement;
    }

    public MdaiPackage ClassifierPackage { get; }

    public MdaiPackage OneHotPackage { get; }

    /// <summary>The sample turned into a 4-class multi-label classifier whose ClassificationSaver writes scores.csv.</summary>
    internal static string Classifier(TempDirectory temp)
    {
        var mmar = temp.CopySample("classifier");
        var envPath = Path.Combine(mmar, "config", "environment.json");
        var env = JsonNode.Parse(File.ReadAllText(envPath))!.AsObject();
        env["PROCESSING_TASK"] = "classification";
        env["OUTPUT_CHANNELS"] = 4;
        File.WriteAllText(envPath, env.ToJsonString());
        var configPath = Path.Combine(mmar, "config", "config_inference.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        config["post_transforms"] = JsonNode.Parse("""[{"name": "Activationsd", "args": {"keys": "pred", "sigmoid": true}}]""");
        config["handlers"] = JsonNode.Parse("""[{"name": "ClassificationSaver", "args": {"output_dir": "{MMAR_EVAL_OUTPUT_PATH}", "filename": "scores.csv", "batch_transform": "lambda x: [i['image_meta_dict'] for i in x]", "output_transform": "lambda x: [i['pred'] for i in x]"}}]""");
        File.WriteAllText(configPath, config.ToJsonString());
        return mmar;
    }

    public Dictionary<string, JsonElement> Reports { get; } = [];

    public Dictionary<string, string> Dumps { get; } = [];

    public JsonElement Case(string layout, string name) =>
        Reports[layout].GetProperty("cases").EnumerateArray().FirstOrDefault(c => c.GetProperty("name").GetString() == name) is { ValueKind: JsonValueKind.Object } found
            ? found
            : throw new InvalidOperationException($"The package harness report ({layout}) has no case '{name}'.");

    /// <summary>What the packaged code returned for the case, the series it was given and the label volume it saw.</summary>
    public JsonNode Dump(string layout, string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(Dumps[layout], name + ".json")))!;

    public void Dispose() => temp.Dispose();
}

public sealed class MdaiPackageEndToEndTests : IClassFixture<MdaiPackageHarness>
{
    public static TheoryData<string, string> Cases => new()
    {
        { "4.1.0", "pkg_phantom_input_grid" },
        { "4.1.0", "pkg_phantom_rotated_grid" },
        { "4.1.0", "pkg_axial_ffs_ras_grid" },
        { "4.1.0", "pkg_axial_flipped_unsigned_input_grid" },
        { "4.1.0", "pkg_coronal_rotated_grid" },
        { "4.1.0", "pkg_oblique_input_grid" },
        { "4.1.0", "pkg_phantom_drifting_input_grid" },
        { "4.1.0", "pkg_phantom_drifting_rotated_grid" },
        { "4.0", "pkg_phantom_rotated_grid" },
        { "4.0", "pkg_coronal_rotated_grid" },
        { "4.0", "pkg_oblique_input_grid" },
        { "mapped", "pkg_phantom_input_grid" },
        { "mapped", "pkg_oblique_input_grid" },
        { "onehot", "pkg_phantom_input_grid" },
        { "onehot", "pkg_coronal_rotated_grid" },
    };

    private readonly MdaiPackageHarness harness;

    public MdaiPackageEndToEndTests(MdaiPackageHarness harness) => this.harness = harness;

    [Theory]
    [MemberData(nameof(Cases))]
    public void ThePackagedInterfaceCodePutsEveryMaskPixelWhereItsLabelIs(string layout, string name)
    {
        var report = harness.Case(layout, name);

        Assert.True(report.GetProperty("ok").GetBoolean(), MdaiDeployHarness.Problems(report));
        Assert.Equal(0, report.GetProperty("mismatching_pixels").GetInt32());
        Assert.True(report.GetProperty("annotations").GetInt32() > 0);
        // Not a trivial mask: hundreds of labelled pixels even on the 7-instance fixtures.
        Assert.True(report.GetProperty("foreground_pixels").GetInt32() > 300, MdaiDeployHarness.Problems(report));
        if (name.EndsWith("_input_grid", StringComparison.Ordinal) && !name.Contains("drifting", StringComparison.Ordinal))
        {
            Assert.Equal(0, report.GetProperty("chain_mismatching_pixels").GetInt32());
        }
    }

    [Fact]
    public void ThePackagedCodeRunsWithoutTorchOrScipyAndEveryCaseRan()
    {
        foreach (var (layout, report) in harness.Reports)
        {
            Assert.True(report.GetProperty("environment").GetProperty("ok").GetBoolean(), layout);
            Assert.Equal(0, report.GetProperty("failed").GetInt32());
            Assert.Equal(layout switch { "classification" or "mapped" or "onehot" => 2, _ => 8 }, report.GetProperty("passed").GetInt32());
        }
    }

    [Fact]
    public void TheSpleenGettingStartedShapeIsPackagedToReadItsOneHotFileAndGiveClaraTestPaths()
    {
        var settings = harness.OneHotPackage.Settings;
        Assert.Equal(new SavedSegmentationOutput { Content = SavedContent.OneHot, Channels = 2, ChannelAxis = SavedChannelAxis.Last }, settings.SavedOutput);
        Assert.Equal("test", settings.DatalistKey);
        Assert.Equal("path", settings.DatalistEntry);

        var report = harness.Case("onehot", "pkg_phantom_input_grid");

        Assert.True(report.GetProperty("ok").GetBoolean(), MdaiDeployHarness.Problems(report));
        // The stand-in saved (x, y, z, 2) as MONAI 0.8.1 does, and read the package's datalist as MONAI does.
        Assert.Equal(new[] { 96, 88, 40, 2 }, report.GetProperty("output_grid").GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Contains(MdaiDeployHarness.Log(report), l => l.Contains("one-hot volume of 2 classes", StringComparison.Ordinal));
        Assert.Equal(new[] { 1 }, MdaiDeployHarness.Ints(report, "labels_seen"));
    }

    [Theory]
    [InlineData("pkg_cls_some_instances", 4)]
    [InlineData("pkg_cls_whole_series", 7)]
    public void APackagedClassifierAnnotatesEachInstanceWithTheScoresItsCsvHolds(string name, int instances)
    {
        var settings = harness.ClassifierPackage.Settings;
        Assert.Equal("classification", settings.Task);
        Assert.Equal("scores.csv", settings.Classification!.Csv);
        Assert.True(settings.Classification.MultiLabel);

        var report = harness.Case("classification", name);

        Assert.True(report.GetProperty("ok").GetBoolean(), MdaiDeployHarness.Problems(report));
        Assert.Equal(0, report.GetProperty("mismatching_outputs").GetInt32());
        Assert.Equal(instances, report.GetProperty("instances").GetInt32());
        Assert.True(report.GetProperty("annotations").GetInt32() > 0);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MdaiClarasOwnOutputsEqualThePackagedCodesMaskForMask(string layout, string name)
    {
        var dump = harness.Dump(layout, name);
        var python = dump["outputs"]!.AsArray();
        var series = SeriesVolume(dump["series_folder"]?.GetValue<string>() ?? SeriesFolder(dump["series"]!.GetValue<string>()));
        var label = NiftiReader.Read(dump["label"]!.GetValue<string>());
        var map = dump["settings"]!["label_to_class_index"] is JsonObject mapping
            ? mapping.ToDictionary(p => int.Parse(p.Key, System.Globalization.CultureInfo.InvariantCulture), p => p.Value!.GetValue<int>())
            : null;

        var ours = MdaiOutputBuilder.Segmentation(label, series, map);

        Assert.Equal(Keys(python), Keys(ours));
        for (var n = 0; n < python.Count; n++)
        {
            // Whole objects: keys, Python types and every mask value, so MD.ai would see the same thing from either.
            Assert.True(Canonical(python[n]) == Canonical(ours[n]), $"{name} ({layout}), output {n} ({Keys(python)[n]}): {Difference(python[n]!, ours[n]!)}");
        }

        Assert.Contains(python, o => o!["type"]!.GetValue<string>() == "ANNOTATION");
    }

    [Theory]
    [InlineData("pkg_cls_some_instances")]
    [InlineData("pkg_cls_whole_series")]
    public void MdaiClarasOwnClassifierOutputsEqualThePackagedCodesForTheSameScores(string name)
    {
        var dump = harness.Dump("classification", name);
        var settings = harness.ClassifierPackage.Settings.Classification!;
        // The scores the packaged code read: the saver's CSV rows "<data>/<SOPInstanceUID>.dcm,<p0>,<p1>,...".
        var scores = File.ReadAllLines(dump["csv"]!.GetValue<string>()).Where(l => l.Length > 0).ToDictionary(
            l => Path.GetFileNameWithoutExtension(l.Split(',')[0]),
            l => l.Split(',').Skip(1).Select((v, k) => (k, double.Parse(v, System.Globalization.CultureInfo.InvariantCulture))).ToList());
        var python = dump["outputs"]!.AsArray();
        var compared = 0;
        foreach (var file in Directory.GetFiles(dump["series_folder"]!.GetValue<string>()))
        {
            var instance = SeriesVolume(file).Dicom!;
            var uid = instance.Slices[0].SopInstanceUid;

            var ours = MdaiOutputBuilder.Classification(scores[uid], instance, settings.MultiLabel, settings.Threshold);

            var theirs = python.Where(o => o!["instance_uid"]!.GetValue<string>() == uid).ToList();
            Assert.Equal(theirs.Count, ours.Count);
            for (var n = 0; n < ours.Count; n++)
            {
                Assert.True(Canonical(theirs[n]) == Canonical(ours[n]), $"{uid}: python {theirs[n]!.ToJsonString()} vs ours {ours[n]!.ToJsonString()}");
                compared++;
            }
        }

        Assert.Equal(python.Count, compared);
    }

    private static string SeriesFolder(string name) => name == "phantom"
        ? Path.Combine(TestPaths.RepoRoot, "samples", "phantom", "dicom")
        : Path.Combine(TestPaths.Fixtures, "dicom", "series", name);

    private static Volume SeriesVolume(string folderOrFile) =>
        DicomSeriesAssembler.Assemble(DicomSeriesAssembler.Scan(Directory.Exists(folderOrFile) ? Directory.GetFiles(folderOrFile) : [folderOrFile]).Series.Single());

    /// <summary>
    /// The value as Python would see it, keys in order: numbers typed by their JSON text as Python's json module
    /// types them (a '.' or exponent makes a float), so 1 and 1.0 differ, as they do to MD.ai's type check.
    /// </summary>
    private static string Canonical(JsonNode? node) => node switch
    {
        null => "None",
        JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + ":" + Canonical(p.Value))) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => NumberText(v) is var text && text.AsSpan().IndexOfAny('.', 'e', 'E') >= 0
            ? "float:" + double.Parse(text, System.Globalization.CultureInfo.InvariantCulture).ToString("R", System.Globalization.CultureInfo.InvariantCulture)
            : "int:" + text,
        _ => node.ToJsonString(),
    };

    private static string NumberText(JsonValue v)
    {
        // What the value looks like written out, as MD.ai would read it.
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            v.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static List<string> Keys(JsonArray outputs) =>
        outputs.Select(o => $"{o!["type"]} {o["instance_uid"]} class {o["class_index"]?.ToJsonString() ?? "-"}").ToList();

    private static string Difference(JsonNode python, JsonNode ours)
    {
        if (python["data"]?["mask"] is JsonArray a && ours["data"]?["mask"] is JsonArray b && a.Count == b.Count)
        {
            var differing = a.Zip(b).Sum(rows => rows.First!.AsArray().Zip(rows.Second!.AsArray()).Count(v => !JsonNode.DeepEquals(v.First, v.Second)));
            return $"{differing} mask value(s) differ";
        }

        return $"python {Shorten(python)} vs ours {Shorten(ours)}";
    }

    private static string Shorten(JsonNode node)
    {
        var text = node.ToJsonString();
        return text.Length > 300 ? text[..300] + "…" : text;
    }
}
