using System;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Tests.TestSupport;
using MdaiClara.Engine.Tests.Validation;
using MdaiClara.Engine.Validation;
using Xunit;

namespace MdaiClara.Engine.Tests.Mmar;

/// <summary>Inputs found to break earlier versions: links, special files, overrides, odd JSON, odd layouts.</summary>
public class MmarEdgeCaseTests
{
    [Fact]
    public void AnOversizedEnvironmentIsAnErrorNotAMissingFile()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        using (var env = new FileStream(Path.Combine(mmar, "config/environment.json"), FileMode.Create))
        {
            env.SetLength(MmarFileSource.MaxJsonBytes + 1); // sparse: no disk used
        }

        var findings = MmarValidatorTests.Validate(mmar);

        Assert.False(MmarValidator.Passes(findings));
        var unreadable = Assert.Single(findings, f => f.RuleId == MmarRuleIds.FileUnreadable);
        Assert.Equal(FindingSeverity.Error, unreadable.Severity);
        Assert.Equal("config/environment.json", unreadable.File);
        Assert.DoesNotContain(findings, f => f.RuleId == MmarRuleIds.RequiredFile);
    }

    [Fact]
    public void LinksInsideTheMmarAreFollowedAndMeasuredByTheirTarget()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        Directory.Move(Path.Combine(mmar, "config"), Path.Combine(mmar, "config_real"));
        Directory.CreateSymbolicLink(Path.Combine(mmar, "config"), "config_real");
        File.Move(Path.Combine(mmar, "models/model.ts"), Path.Combine(mmar, "models/model-v1.ts"));
        File.CreateSymbolicLink(Path.Combine(mmar, "models/model.ts"), "model-v1.ts");

        var analysis = MmarAnalyzer.Open(mmar);
        using (analysis.Source)
        {
            Assert.Equal(new FileInfo(Path.Combine(mmar, "models/model-v1.ts")).Length, analysis.Info.TorchScript!.Bytes);
            Assert.Contains("config/environment.json", analysis.Info.ConfigFiles);
            Assert.True(MmarValidator.Passes(MmarValidator.Validate(analysis, new MmarValidationOptions())));
        }
    }

    [Fact]
    public void ALinkLeavingTheMmarIsNeverRead()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        var outside = temp.Write("elsewhere/environment.json", File.ReadAllText(Path.Combine(mmar, "config/environment.json")));
        File.Delete(Path.Combine(mmar, "config/environment.json"));
        File.CreateSymbolicLink(Path.Combine(mmar, "config/environment.json"), outside);

        var findings = MmarValidatorTests.Validate(mmar);

        var finding = Assert.Single(findings, f => f.RuleId == MmarRuleIds.FileUnreadable);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Contains("outside the MMAR", finding.Message);
        Assert.False(MmarValidator.Passes(findings));
    }

    [Fact]
    public async Task AFifoDoesNotHangTheAnalysis()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        Directory.CreateDirectory(Path.Combine(mmar, "docs"));
        using (var mkfifo = Process.Start("mkfifo", Path.Combine(mmar, "docs", "metrics.json")))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var validation = Task.Run(() => MmarValidatorTests.Validate(mmar));
        var finished = await Task.WhenAny(validation, Task.Delay(TimeSpan.FromSeconds(30)));

        Assert.Same(validation, finished);
        var findings = await validation;
        var fifo = Assert.Single(findings, f => f.File == "docs/metrics.json");
        Assert.Equal(FindingSeverity.Warning, fifo.Severity);
        Assert.True(MmarValidator.Passes(findings));
    }

    [Fact]
    public void SetOverridesInInferShDecidePathsAndTheDatalist()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        File.Copy(Path.Combine(mmar, "config/dataset_0.json"), Path.Combine(mmar, "config/other.json"));
        var infer = Path.Combine(mmar, "commands/infer.sh");
        File.WriteAllText(infer, File.ReadAllText(infer).Replace(
            "multi_gpu=False \\\n",
            "multi_gpu=False \\\n    DATASET_JSON=$MMAR_ROOT/config/other.json \\\n    MMAR_CKPT_DIR=../../elsewhere \\\n",
            StringComparison.Ordinal));
        Assert.Contains("MMAR_CKPT_DIR=../../elsewhere", File.ReadAllText(infer));

        var analysis = MmarAnalyzer.Open(mmar);
        using (analysis.Source)
        {
            Assert.Equal("config/other.json", analysis.Info.DatasetJson!.RelativePath);
            Assert.Equal("commands/infer.sh", analysis.Info.DatasetJson.DefinedIn);
            var findings = MmarValidator.Validate(analysis, new MmarValidationOptions());
            var escape = Assert.Single(findings, f => f.RuleId == MmarRuleIds.PathEscapesMmar);
            Assert.Equal("commands/infer.sh", escape.File);
            Assert.Contains("MMAR_CKPT_DIR = '../../elsewhere'", escape.Message);
        }
    }

    [Fact]
    public void TheConfigsOwnDatasetPathIsTheOneChecked()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        File.WriteAllText(Path.Combine(mmar, "config/other.json"), "{\"training\": []}");
        JsonEdit.Edit(Path.Combine(mmar, "config/config_inference.json"), r => r["dataset"]!["data_list_file_path"] = "config/other.json");

        var findings = MmarValidatorTests.Validate(mmar);

        var missing = Assert.Single(findings, f => f.RuleId == MmarRuleIds.DataListKeyMissing);
        Assert.Equal("config/other.json", missing.File);
    }

    [Fact]
    public void AnUndefinedModelPathStopsInsteadOfFallingBack()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        JsonEdit.Edit(Path.Combine(mmar, "config/config_inference.json"), r => r["model"]!["ts_path"] = "{NO_SUCH_VAR}");

        var analysis = MmarAnalyzer.Open(mmar);
        using (analysis.Source)
        {
            Assert.False(analysis.Info.TorchScript!.Exists);
            var findings = MmarValidator.Validate(analysis, new MmarValidationOptions { Deep = true });
            Assert.Contains(findings, f => f.RuleId == MmarRuleIds.UnresolvedVariable && f.Severity == FindingSeverity.Error);
            // No other model file was run in its place.
            Assert.DoesNotContain(findings, f => f.RuleId == MmarRuleIds.DeepForward && f.Message.Contains("gave [", StringComparison.Ordinal));
            Assert.Contains(findings, f => f.RuleId == MmarRuleIds.DeepForward && f.Message.Contains("skipped", StringComparison.Ordinal));
            Assert.False(MmarValidator.Passes(findings));
        }
    }

    [Fact]
    public void AShellSubstringTooLargeForAnIntIsIgnoredNotACrash()
    {
        var parsed = InferScript.Parse("commands/infer.sh", "X=abc\npython3 -m medl.apps.evaluate --set A=${X:99999999999} B=${X:1:99999999999} C=${X::-99999999999}\n");

        Assert.Equal(string.Empty, parsed.SetValues["A"]);
        Assert.Equal("bc", parsed.SetValues["B"]);
        Assert.False(parsed.SetValues.ContainsKey("C"));
    }

    [Fact]
    public void ReadsWhatPythonsJsonReads()
    {
        var text = "{\"dice\": NaN, \"hi\": Infinity, \"lo\": -Infinity, \"s\": \"NaN Infinity\", \"odd\": \"\\ud800x\", \"deep\": "
            + new string('[', 500) + new string(']', 500) + "}";

        var file = JsonConfigParser.Parse("docs/metrics.json", Encoding.UTF8.GetBytes(text));

        Assert.True(file.IsValid, file.SyntaxError?.Message);
        var root = file.RootObject!;
        Assert.True(double.IsNaN((double)root["dice"]!));
        Assert.Equal(double.PositiveInfinity, root["hi"]);
        Assert.Equal(double.NegativeInfinity, root["lo"]);
        Assert.Equal("NaN Infinity", root["s"]);
        Assert.Equal("\uFFFDx", root["odd"]);
    }

    [Fact]
    public void MacMetadataFilesAreNotPartOfTheMmar()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        File.WriteAllBytes(Path.Combine(mmar, "config/._environment.json"), new byte[] { 0, 5, 22, 7, 0, 2 });
        var zip = temp.Zip(mmar, "mac.zip", "mmar/");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Update))
        {
            using var w = new StreamWriter(archive.CreateEntry("__MACOSX/mmar/config/._config_inference.json").Open());
            w.Write("\u0000\u0005\u0016\u0007");
        }

        Assert.True(MmarValidator.Passes(MmarValidatorTests.Validate(mmar)));
        Assert.True(MmarValidator.Passes(MmarValidatorTests.Validate(zip)));
    }

    [Fact]
    public void AZippedMdaiClara40WorkspaceKeepsConfigMdai()
    {
        using var temp = new TempDirectory();
        temp.CopySample("workspace/the_mmar");
        temp.Write("workspace/config_mdai.json", """{"type": "segmentation", "root_folder": "the_mmar", "out_classes": 3, "data_list_key": "test"}""");
        JsonEdit.Remove(temp.Combine("workspace", "the_mmar", "config", "environment.json"), "OUTPUT_CHANNELS");
        var zip = temp.Zip(temp.Combine("workspace"), "workspace.zip");

        var folder = MmarAnalyzer.Open(temp.Combine("workspace"));
        var zipped = MmarAnalyzer.Open(zip);
        using (folder.Source)
        using (zipped.Source)
        {
            foreach (var analysis in new[] { folder, zipped })
            {
                Assert.Equal("the_mmar", analysis.Info.RootPrefix);
                Assert.Equal(3, analysis.Info.OutputChannels);
                Assert.Equal("out_classes in config_mdai.json", analysis.Info.OutputChannelsSource);
            }
        }
    }

    [Theory]
    [InlineData("4.1", ClaraGeneration.Clara41, "CLARA_TRAIN_VERSION is \"4.1\"")]
    [InlineData("4.10.0", ClaraGeneration.Clara4Other, "CLARA_TRAIN_VERSION is 4.10.0")]
    [InlineData("3.1.01", ClaraGeneration.Clara3TensorFlow, "Clara 4.1.0 MMARs only")]
    public void ExplicitVersionsAreParsedByNumber(string version, ClaraGeneration generation, string message)
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        foreach (var file in new[] { "environment.json", "config_inference.json", "config_validation.json", "config_train.json" })
        {
            JsonEdit.Set(Path.Combine(mmar, "config", file), "CLARA_TRAIN_VERSION", version);
        }

        var analysis = MmarAnalyzer.Open(mmar);
        using (analysis.Source)
        {
            Assert.Equal(generation, analysis.Info.Generation);
            Assert.Contains(MmarValidator.Validate(analysis, new MmarValidationOptions()), f => f.Message.Contains(message, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void AFileInsideAnMmarPointsAtTheMmar()
    {
        var ex = Assert.Throws<MdaiClaraException>(() => MmarLocator.Open(Path.Combine(TestPaths.SampleMmar, "config", "environment.json")));

        Assert.Equal(ErrorIds.MmarNotRecognized, ex.ErrorId);
        Assert.Contains($"It lies inside the MMAR '{TestPaths.SampleMmar}'", ex.Message);
    }

    [Fact]
    public void AnAbsurdRoiIsNotProbed()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        JsonEdit.Edit(Path.Combine(mmar, "config/config_inference.json"), r => r["inferer"]!["args"]!["roi_size"] = new System.Text.Json.Nodes.JsonArray(4294967296L, 4294967296L, 4294967296L));

        var findings = MmarValidatorTests.Validate(mmar, deep: true);

        var deep = Assert.Single(findings, f => f.RuleId == MmarRuleIds.DeepForward);
        Assert.Equal(FindingSeverity.Warning, deep.Severity);
        Assert.Contains("too large to probe", deep.Message);
    }
}
