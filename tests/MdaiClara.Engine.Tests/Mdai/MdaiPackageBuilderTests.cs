using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Mdai;

/// <summary>The deployment zip: layout, config.yaml, environment keys, both Clara layouts, determinism, refusals.</summary>
public class MdaiPackageBuilderTests
{
    private static MdaiPackage Build(string mmar, string zip, MdaiPackageOptions? options = null, IProgress<MdaiPackageProgress>? progress = null) =>
        MdaiPackageBuilder.Build(MmarAnalyzer.Open(mmar), zip, options ?? new MdaiPackageOptions(), progress);

    private static Dictionary<string, byte[]> Read(string zip)
    {
        using var archive = ZipFile.OpenRead(zip);
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        });
    }

    [Fact]
    public void TheSampleBecomesTheClara41LayoutMdaiBuilds()
    {
        using var temp = new TempDirectory();
        var zip = temp.Combine("sample.zip");

        var package = Build(TestPaths.SampleMmar, zip);

        var entries = Read(zip);
        Assert.Contains("model/.mdai/config.yaml", entries.Keys);
        Assert.Contains("model/.mdai/mdai_deploy.py", entries.Keys);
        Assert.Contains("model/.mdai/requirements.txt", entries.Keys);
        Assert.Contains("model/.mdai/mdai_clara.json", entries.Keys);
        Assert.Contains("model/workspace/commands/infer.sh", entries.Keys);
        Assert.Contains("model/workspace/models/model.ts", entries.Keys);
        Assert.Contains("model/workspace/config/config_inference.json", entries.Keys);
        Assert.DoesNotContain(entries.Keys, k => !k.StartsWith("model/", StringComparison.Ordinal));
        Assert.Equal(File.ReadAllBytes(Path.Combine(TestPaths.SampleMmar, "models", "model.ts")), entries["model/workspace/models/model.ts"]);
        Assert.Equal(package.Files.Select(f => f.Path).Order(StringComparer.Ordinal), entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(MdaiPackageBuilder.Sha256Of(zip), package.Sha256);
        Assert.Equal(new FileInfo(zip).Length, package.Bytes);

        // The segmentation template, with its settings from the MMAR's own config.
        var settings = JsonNode.Parse(entries["model/.mdai/mdai_clara.json"])!;
        Assert.Equal("segmentation", settings["task"]!.GetValue<string>());
        Assert.Equal(".", settings["mmar_root"]!.GetValue<string>());
        Assert.Equal("test", settings["datalist_key"]!.GetValue<string>());
        Assert.Equal("config/dataset_0.json", settings["dataset_json"]!.GetValue<string>());
        Assert.Equal("trans", settings["output_postfix"]!.GetValue<string>());
        Assert.True(settings["separate_folder"]!.GetValue<bool>());
        Assert.Equal(0, settings["label_to_class_index"]!["1"]!.GetValue<int>());
        Assert.Equal(1, settings["label_to_class_index"]!["2"]!.GetValue<int>());
    }

    [Fact]
    public void ConfigYamlQuotesTheClaraVersion()
    {
        Assert.Equal("base_image: nvidia\ndevice_type: gpu\nclara_version: \"4.1.0\"\n", MdaiConfigYaml.Build("gpu", "4.1.0"));
        Assert.Equal("base_image: nvidia\ndevice_type: cpu\nclara_version: \"4.0\"\n", MdaiConfigYaml.Build("cpu", "4.0"));
    }

    [Fact]
    public void EnvironmentJsonCarriesTheKeysMdaiReads()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        var envPath = Path.Combine(mmar, "config", "environment.json");
        var env = JsonNode.Parse(File.ReadAllText(envPath))!.AsObject();
        env.Remove("OUTPUT_CHANNELS");
        env.Remove("INFER_DATALIST_KEY");
        File.WriteAllText(envPath, env.ToJsonString());
        // The config names its datalist key itself (an MMAR whose config needs the removed key fails validation, and is refused).
        JsonEdit.Edit(Path.Combine(mmar, "config", "config_inference.json"), r => r["dataset"]!["data_list_key"] = "test");

        Build(mmar, temp.Combine("p.zip"));

        var packaged = JsonNode.Parse(Read(temp.Combine("p.zip"))["model/workspace/config/environment.json"])!;
        Assert.Equal(3, packaged["OUTPUT_CHANNELS"]!.GetValue<int>());
        Assert.Equal("test", packaged["INFER_DATALIST_KEY"]!.GetValue<string>());
        Assert.Equal("config/dataset_0.json", packaged["DATASET_JSON"]!.GetValue<string>());
        Assert.Equal("4.1.0", packaged["CLARA_TRAIN_VERSION"]!.GetValue<string>());
    }

    [Fact]
    public void ARepeatedKeyInEnvironmentJsonKeepsItsLastValueAsClaraDoes()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        var envPath = Path.Combine(mmar, "config", "environment.json");
        var text = File.ReadAllText(envPath).TrimEnd().TrimEnd('}') + ", \"DATA_ROOT\": \"/first\", \"DATA_ROOT\": \"/second\"}";
        File.WriteAllText(envPath, text);

        Build(mmar, temp.Combine("p.zip"));

        var packaged = JsonNode.Parse(Read(temp.Combine("p.zip"))["model/workspace/config/environment.json"])!;
        Assert.Equal("/second", packaged["DATA_ROOT"]!.GetValue<string>());
        Assert.Equal(3, packaged["OUTPUT_CHANNELS"]!.GetValue<int>());
    }

    [Fact]
    public void TheSameMmarGivesTheSameBytes()
    {
        using var temp = new TempDirectory();
        var first = Build(TestPaths.SampleMmar, temp.Combine("a.zip"));
        var previous = Environment.GetEnvironmentVariable("TZ");
        try
        {
            // Another time zone must not change the entries' times.
            Environment.SetEnvironmentVariable("TZ", "Asia/Tokyo");
            TimeZoneInfo.ClearCachedData();
            var second = Build(TestPaths.SampleMmar, temp.Combine("b.zip"));
            Assert.Equal(first.Sha256, second.Sha256);
        }
        finally
        {
            Environment.SetEnvironmentVariable("TZ", previous);
            TimeZoneInfo.ClearCachedData();
        }

        Assert.Equal(File.ReadAllBytes(temp.Combine("a.zip")), File.ReadAllBytes(temp.Combine("b.zip")));
        using var archive = ZipFile.OpenRead(temp.Combine("a.zip"));
        Assert.Equal(archive.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal), archive.Entries.Select(e => e.FullName));
        Assert.All(archive.Entries, e => Assert.Equal(new DateTime(2000, 1, 1), e.LastWriteTime.DateTime));
        Assert.Equal(0b111_101_101, (archive.GetEntry("model/workspace/commands/infer.sh")!.ExternalAttributes >> 16) & 0x1FF);
        Assert.Equal(0b110_100_100, (archive.GetEntry("model/.mdai/config.yaml")!.ExternalAttributes >> 16) & 0x1FF);
    }

    [Fact]
    public void TheClara40LayoutPutsTheMmarInASubfolderBesideConfigMdai()
    {
        using var temp = new TempDirectory();

        var package = Build(TestPaths.SampleMmar, temp.Combine("p40.zip"), new MdaiPackageOptions { ClaraVersion = MdaiPackageOptions.Clara40, DeviceType = "cpu" });

        var entries = Read(temp.Combine("p40.zip"));
        var folder = package.Settings.MmarRoot;
        Assert.NotEqual(".", folder);
        Assert.Contains($"model/workspace/{folder}/commands/infer.sh", entries.Keys);
        var mdai = JsonNode.Parse(entries["model/workspace/config_mdai.json"])!;
        Assert.Equal("segmentation", mdai["type"]!.GetValue<string>());
        Assert.Equal(folder, mdai["root_folder"]!.GetValue<string>());
        Assert.Equal(3, mdai["out_classes"]!.GetValue<int>());
        Assert.Equal("test", mdai["data_list_key"]!.GetValue<string>());
        Assert.Contains("clara_version: \"4.0\"", Encoding.UTF8.GetString(entries["model/.mdai/config.yaml"]), StringComparison.Ordinal);
        Assert.Contains(package.Warnings, w => w.Contains("accepts clara_version 4.1.0 only", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("eval", "eval_mmar")]
    [InlineData("Data", "Data_mmar")]
    [InlineData("my model:v2", "my_model_v2")]
    public void TheClara40FolderNeitherClashesWithTheInterfaceCodesFoldersNorDependsOnThePlatform(string mmarName, string folder)
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample(mmarName);

        var package = Build(mmar, temp.Combine("p.zip"), new MdaiPackageOptions { ClaraVersion = MdaiPackageOptions.Clara40 });

        Assert.Equal(folder, package.Settings.MmarRoot);
        Assert.Contains($"model/workspace/{folder}/commands/infer.sh", Read(temp.Combine("p.zip")).Keys);
    }

    [Fact]
    public void AUserClassMapReachesTheSettings()
    {
        using var temp = new TempDirectory();

        var package = Build(TestPaths.SampleMmar, temp.Combine("m.zip"), new MdaiPackageOptions { LabelToClassIndex = new Dictionary<int, int> { [2] = 7 } });

        Assert.Equal(new Dictionary<string, int> { ["2"] = 7 }, package.Settings.LabelToClassIndex);
    }

    [Fact]
    public void AClassMapGivesTheSameBytesWhateverOrderItWasGivenIn()
    {
        using var temp = new TempDirectory();

        var a = Build(TestPaths.SampleMmar, temp.Combine("a.zip"), new MdaiPackageOptions { LabelToClassIndex = new Dictionary<int, int> { [10] = 2, [2] = 1, [1] = 0 } });
        var b = Build(TestPaths.SampleMmar, temp.Combine("b.zip"), new MdaiPackageOptions { LabelToClassIndex = new Dictionary<int, int> { [1] = 0, [2] = 1, [10] = 2 } });

        Assert.Equal(a.Sha256, b.Sha256);
        Assert.Equal(new[] { "1", "2", "10" }, a.Settings.LabelToClassIndex!.Keys);
    }

    [Fact]
    public void ProgressCountsEveryByteAndNoTemporaryFileIsLeft()
    {
        using var temp = new TempDirectory();
        var reports = new List<MdaiPackageProgress>();

        var package = Build(TestPaths.SampleMmar, temp.Combine("p.zip"), progress: new SynchronousProgress<MdaiPackageProgress>(reports.Add));

        Assert.Equal(package.Files.Sum(f => f.Bytes), reports[^1].BytesDone);
        Assert.Equal(reports[^1].BytesTotal, reports[^1].BytesDone);
        Assert.Equal(new[] { "p.zip" }, Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void ATensorFlowMmarIsRefusedWithTheReason()
    {
        using var temp = new TempDirectory();
        var clara3 = SyntheticMmars.WriteClara3(temp);

        var ex = Assert.ThrowsAny<MdaiClaraException>(() => Build(clara3, temp.Combine("tf.zip")));

        Assert.Equal(ErrorIds.MdaiPackageRefused, ex.ErrorId);
        Assert.Contains("TensorFlow", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.Combine("tf.zip")));
    }

    [Fact]
    public void AnMmarWithoutInferShIsRefused()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        File.Delete(Path.Combine(mmar, "commands", "infer.sh"));

        var ex = Assert.ThrowsAny<MdaiClaraException>(() => Build(mmar, temp.Combine("x.zip")));

        Assert.Contains("commands/infer.sh", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"{MMAR_ROOT}/predictions\"", "'")]
    [InlineData(null, "default './'")]
    public void ASaverThatWritesOutsideTheEvalFolderIsRefusedWithWhereItIsSet(string? outputDir, string said)
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        var configPath = Path.Combine(mmar, "config", "config_inference.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        var saver = config["post_transforms"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == "SaveImaged")!["args"]!.AsObject();
        saver.Remove("output_dir");
        if (outputDir is not null)
        {
            saver["output_dir"] = JsonNode.Parse(outputDir);
        }

        File.WriteAllText(configPath, config.ToJsonString());

        var ex = Assert.ThrowsAny<MdaiClaraException>(() => Build(mmar, temp.Combine("p.zip")));

        Assert.Equal(ErrorIds.MdaiPackageRefused, ex.ErrorId);
        Assert.Contains("MMAR_EVAL_OUTPUT_PATH", ex.Message, StringComparison.Ordinal);
        Assert.Contains(said, ex.Message, StringComparison.Ordinal);
        Assert.Contains(outputDir is null ? "config/config_inference.json" : "config/config_inference.json:", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.Combine("p.zip")));
    }

    [Fact]
    public void ADamagedFileInAZippedMmarIsSaidToBeTheMmarsAndNothingIsWritten()
    {
        using var temp = new TempDirectory();
        var mmarZip = temp.Combine("mmar.zip");
        ZipFile.CreateFromDirectory(TestPaths.SampleMmar, mmarZip);
        // One entry claims a compression method nobody implements (in its central directory record, which readers
        // trust): listing the MMAR works, reading that file does not.
        var bytes = File.ReadAllBytes(mmarZip);
        var name = Encoding.ASCII.GetBytes("docs/training_report.json");
        var central = bytes.AsSpan().LastIndexOf(name) - 46;
        Assert.Equal(0x02014b50, BitConverter.ToInt32(bytes, central));
        bytes[central + 10] = 99;
        bytes[central + 11] = 0;
        File.WriteAllBytes(mmarZip, bytes);

        var ex = Assert.ThrowsAny<MdaiClaraException>(() => Build(mmarZip, temp.Combine("p.zip")));

        // The damaged entry is the zipped MMAR's problem, named with the zip and the entry (MmarZipCorrupt), not the target's.
        Assert.Equal(ErrorIds.MmarZipCorrupt, ex.ErrorId);
        Assert.Contains("docs/training_report.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains("mmar.zip", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.Combine("p.zip")));
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
    }

    [Fact]
    public void AConfigThatSavesNothingIsRefused()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        var path = Path.Combine(mmar, "config", "config_inference.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!;
        var post = config["post_transforms"]!.AsArray();
        post.Remove(post.First(t => t!["name"]!.GetValue<string>() == "SaveImaged"));
        File.WriteAllText(path, config.ToJsonString());

        var ex = Assert.ThrowsAny<MdaiClaraException>(() => Build(mmar, temp.Combine("x.zip")));

        Assert.Contains("saves no label map", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tpu", "4.1.0")]
    [InlineData("gpu", "3.1.01")]
    public void OptionsMdaiDoesNotTakeAreRefused(string device, string clara)
    {
        using var temp = new TempDirectory();

        var ex = Assert.ThrowsAny<MdaiClaraException>(() => Build(TestPaths.SampleMmar, temp.Combine("x.zip"), new MdaiPackageOptions { DeviceType = device, ClaraVersion = clara }));

        Assert.Equal(ErrorIds.MdaiPackageOptionInvalid, ex.ErrorId);
    }

    private sealed class SynchronousProgress<T> : IProgress<T>
    {
        private readonly Action<T> _report;

        public SynchronousProgress(Action<T> report) => _report = report;

        public void Report(T value) => _report(value);
    }
}
