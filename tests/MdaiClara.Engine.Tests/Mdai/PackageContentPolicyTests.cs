using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Mdai.Packaging;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Mdai;

/// <summary>Which MMAR files a package carries: what inference needs, nothing else, and the reason for each left out.</summary>
public class PackageContentPolicyTests
{
    private static MdaiPackage Build(string mmar, string zip, MdaiPackageOptions? options = null) =>
        MdaiPackageBuilder.Build(MmarAnalyzer.Open(mmar), zip, options ?? new MdaiPackageOptions());

    /// <summary>The MMAR files in a Clara 4.1 package, relative to the MMAR root.</summary>
    private static List<string> MmarFilesIn(string zip)
    {
        using var archive = ZipFile.OpenRead(zip);
        return archive.Entries.Select(e => e.FullName).Where(n => n.StartsWith("model/workspace/", StringComparison.Ordinal)).Select(n => n["model/workspace/".Length..]).ToList();
    }

    private static IEnumerable<string> SampleFiles() =>
        Directory.EnumerateFiles(TestPaths.SampleMmar, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(TestPaths.SampleMmar, f).Replace('\\', '/'));

    [Fact]
    public void AClutteredMmarIsPackagedWithWhatInferenceNeedsAndEveryOtherFileIsAccountedFor()
    {
        using var temp = new TempDirectory();
        var mmar = ClutteredMmar.Write(temp);

        var package = Build(mmar, temp.Combine("p.zip"));

        var expected = SampleFiles().Concat(ClutteredMmar.KeptAdditions).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, MmarFilesIn(temp.Combine("p.zip")).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(
            new (string, PackageLeftOutReason, int)[]
            {
                (".git/", PackageLeftOutReason.VersionControl, 2),
                (".gitignore", PackageLeftOutReason.VersionControl, 1),
                ("custom/.ipynb_checkpoints/", PackageLeftOutReason.Cache, 1),
                ("custom/__pycache__/", PackageLeftOutReason.Cache, 1),
                ("data/", PackageLeftOutReason.Dataset, 3),
                ("eval/", PackageLeftOutReason.EvaluationOutput, 2),
                ("models/events.out.tfevents.1700000000.host", PackageLeftOutReason.NotNeeded, 1),
                ("models/model.pt", PackageLeftOutReason.ModelNotLoaded, 1),
                ("models/model_key_metric=0.9100.pt", PackageLeftOutReason.ModelNotLoaded, 1),
                ("notes.txt", PackageLeftOutReason.NotNeeded, 1),
                ("resources/atlas.nii.gz", PackageLeftOutReason.ImageData, 1),
                ("resources/lut.bin", PackageLeftOutReason.ImageData, 1),
                ("scan0001", PackageLeftOutReason.ImageData, 1),
                ("scratch/", PackageLeftOutReason.NotNeeded, 1),
            },
            package.LeftOut.Select(l => (l.Path, l.Reason, l.Files)).ToArray());

        // Each reason says what decided it.
        string Detail(string path) => package.LeftOut.Single(l => l.Path == path).Detail;
        Assert.Contains("MMAR_EVAL_OUTPUT_PATH", Detail("eval/"), StringComparison.Ordinal);
        Assert.Contains("loads models/model.ts", Detail("models/model.pt"), StringComparison.Ordinal);
        Assert.Contains("the DICM marker", Detail("resources/lut.bin"), StringComparison.Ordinal);
        Assert.Contains("NIfTI-1 header", Detail("resources/atlas.nii.gz"), StringComparison.Ordinal);
        Assert.Equal(new FileInfo(Path.Combine(mmar, "models", "model.pt")).Length, package.LeftOut.Single(l => l.Path == "models/model.pt").Bytes);
        Assert.Equal(Directory.EnumerateFiles(Path.Combine(mmar, "eval"), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length), package.LeftOut.Single(l => l.Path == "eval/").Bytes);
    }

    [Fact]
    public void TheSampleLosesNothingAndTheZippedMmarGivesTheSameBytesAsTheFolder()
    {
        using var temp = new TempDirectory();
        var sample = Build(TestPaths.SampleMmar, temp.Combine("sample.zip"));
        Assert.Empty(sample.LeftOut);
        Assert.Equal(SampleFiles().Order(StringComparer.Ordinal), MmarFilesIn(temp.Combine("sample.zip")).Order(StringComparer.Ordinal));

        var mmar = ClutteredMmar.Write(temp);
        var fromFolder = Build(mmar, temp.Combine("folder.zip"));
        var fromZip = Build(temp.Zip(mmar, "cluttered.zip", "cluttered/"), temp.Combine("zip.zip"));

        Assert.Equal(fromFolder.Sha256, fromZip.Sha256);
        Assert.Equal(fromFolder.LeftOut, fromZip.LeftOut);
    }

    [Fact]
    public void IncludeBringsBackWhatTheRulesLeaveOutAndExcludeWinsOverIt()
    {
        using var temp = new TempDirectory();
        var mmar = ClutteredMmar.Write(temp);

        var package = Build(mmar, temp.Combine("p.zip"), new MdaiPackageOptions
        {
            Include = ["RESOURCES/Atlas.NII.GZ", "models/*.pt", @"eval\metrics.csv"],
            Exclude = ["models/model_key*", "docs/**/*.json"],
        });

        var files = MmarFilesIn(temp.Combine("p.zip"));
        Assert.Contains("resources/atlas.nii.gz", files);
        Assert.Contains("models/model.pt", files);
        Assert.Contains("eval/metrics.csv", files);
        Assert.DoesNotContain("models/model_key_metric=0.9100.pt", files);
        Assert.DoesNotContain("docs/training_report.json", files);
        Assert.Contains("docs/Readme.md", files);

        var leftOut = package.LeftOut.ToDictionary(l => l.Path);
        Assert.Equal(PackageLeftOutReason.Excluded, leftOut["models/model_key_metric=0.9100.pt"].Reason);
        Assert.Contains("'models/model_key*'", leftOut["models/model_key_metric=0.9100.pt"].Detail, StringComparison.Ordinal);
        Assert.Equal(PackageLeftOutReason.Excluded, leftOut["docs/training_report.json"].Reason);

        // eval/ is no longer left out whole: the file still left out is listed by itself.
        Assert.DoesNotContain("eval/", leftOut.Keys);
        Assert.Equal(PackageLeftOutReason.EvaluationOutput, leftOut["eval/case_001/case_001_trans.nii.gz"].Reason);
        Assert.DoesNotContain(package.Warnings, w => w.Contains("pattern", StringComparison.Ordinal));
    }

    [Fact]
    public void AnExcludeThatNamesAFileInferenceNeedsIsRefusedAndNothingIsWritten()
    {
        using var temp = new TempDirectory();

        var ex = Assert.Throws<MdaiClaraException>(() => Build(TestPaths.SampleMmar, temp.Combine("p.zip"), new MdaiPackageOptions { Exclude = ["models"] }));

        Assert.Equal(ErrorIds.MdaiPackageOptionInvalid, ex.ErrorId);
        Assert.Contains("'models' names models/model.ts", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ts_path", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.Combine("p.zip")));
    }

    [Theory]
    [InlineData("../secrets", "climbs out")]
    [InlineData("resources/[ab", "not closed")]
    [InlineData("  ", "names no path")]
    public void ABadPatternIsRefusedWithWhy(string pattern, string why)
    {
        using var temp = new TempDirectory();

        var ex = Assert.Throws<MdaiClaraException>(() => Build(TestPaths.SampleMmar, temp.Combine("p.zip"), new MdaiPackageOptions { Include = [pattern] }));

        Assert.Equal(ErrorIds.MdaiPackageOptionInvalid, ex.ErrorId);
        Assert.Contains("include pattern", ex.Message, StringComparison.Ordinal);
        Assert.Contains(why, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APatternThatNamesNothingIsAWarning()
    {
        using var temp = new TempDirectory();

        var package = Build(TestPaths.SampleMmar, temp.Combine("p.zip"), new MdaiPackageOptions { Include = ["resources/atlas.nii.gz"], Exclude = ["*.pdf"] });

        Assert.Contains("The include pattern 'resources/atlas.nii.gz' names no file of the MMAR.", package.Warnings);
        Assert.Contains("The exclude pattern '*.pdf' names no file of the MMAR.", package.Warnings);
    }

    [Fact]
    public void AConfigThatLoadsTheCheckpointKeepsTheCheckpointAndLeavesTheTorchScriptOut()
    {
        using var temp = new TempDirectory();
        var mmar = ClutteredMmar.Write(temp);
        var configPath = Path.Combine(mmar, "config", "config_inference.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        config["dont_load_ts_model"] = true;
        config["dont_load_ckpt_model"] = false;
        config["model"] = JsonNode.Parse("""
            [{"ts_path": "{MMAR_TORCHSCRIPT}", "disabled": "{dont_load_ts_model}"},
             {"ckpt_path": "models/model.pt", "disabled": "{dont_load_ckpt_model}"}]
            """);
        File.WriteAllText(configPath, config.ToJsonString());

        var package = Build(mmar, temp.Combine("p.zip"));

        var files = MmarFilesIn(temp.Combine("p.zip"));
        Assert.Contains("models/model.pt", files);
        Assert.DoesNotContain("models/model.ts", files);
        var ts = package.LeftOut.Single(l => l.Path == "models/model.ts");
        Assert.Equal(PackageLeftOutReason.ModelNotLoaded, ts.Reason);
        Assert.Contains("loads models/model.pt", ts.Detail, StringComparison.Ordinal);
        Assert.Contains("TorchScript", ts.Detail, StringComparison.Ordinal);
        Assert.Equal(PackageLeftOutReason.ModelNotLoaded, package.LeftOut.Single(l => l.Path == "models/model_key_metric=0.9100.pt").Reason);

        // And it cannot be excluded: it is the model.
        var ex = Assert.Throws<MdaiClaraException>(() => Build(mmar, temp.Combine("q.zip"), new MdaiPackageOptions { Exclude = ["**/*.pt"] }));
        Assert.Contains("models/model.pt", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileTheInferenceConfigNamesIsKeptEvenWhenItIsImageDataAndThePackageSaysSo()
    {
        using var temp = new TempDirectory();
        var mmar = ClutteredMmar.Write(temp);
        var configPath = Path.Combine(mmar, "config", "config_inference.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        config["handlers"]!.AsArray().Add(JsonNode.Parse("""{"path": "atlas_tools.AtlasOverlay", "args": {"atlas": "resources/atlas.nii.gz"}}"""));
        File.WriteAllText(configPath, config.ToJsonString());

        var package = Build(mmar, temp.Combine("p.zip"));

        Assert.Contains("resources/atlas.nii.gz", MmarFilesIn(temp.Combine("p.zip")));
        Assert.DoesNotContain(package.LeftOut, l => l.Path == "resources/atlas.nii.gz");
        Assert.Contains(package.Warnings, w => w.StartsWith("resources/atlas.nii.gz is image data (a NIfTI-1 header, gzip-compressed)", StringComparison.Ordinal)
            && w.Contains("config/config_inference.json", StringComparison.Ordinal) && w.Contains("AtlasOverlay", StringComparison.Ordinal));
    }

    [Fact]
    public void DataRootInsideTheMmarIsADatasetAndScriptNamedFoldersAreKept()
    {
        using var temp = new TempDirectory();
        var mmar = ClutteredMmar.Write(temp);
        temp.Write("cluttered/cases/ct1/info.txt", "case notes");
        temp.Write("cluttered/extras/postprocess.py", "pass");
        temp.Write("cluttered/commands/set_env.sh", "export PYTHONPATH=\"$PYTHONPATH:/opt/nvidia:${MMAR_ROOT}/extras\"\nexport MMAR_ROOT=${DIR}/..\n");
        var envPath = Path.Combine(mmar, "config", "environment.json");
        var env = JsonNode.Parse(File.ReadAllText(envPath))!.AsObject();
        env["DATA_ROOT"] = "cases";
        File.WriteAllText(envPath, env.ToJsonString());

        var package = Build(mmar, temp.Combine("p.zip"));

        var cases = package.LeftOut.Single(l => l.Path == "cases/");
        Assert.Equal(PackageLeftOutReason.Dataset, cases.Reason);
        Assert.Contains("DATA_ROOT", cases.Detail, StringComparison.Ordinal);
        Assert.Contains("extras/postprocess.py", MmarFilesIn(temp.Combine("p.zip")));
    }
}
