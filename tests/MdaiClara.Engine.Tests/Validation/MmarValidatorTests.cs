using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Tests.TestSupport;
using MdaiClara.Engine.Validation;
using Xunit;

namespace MdaiClara.Engine.Tests.Validation;

public class MmarValidatorTests
{
    /// <summary>One way to break the sample, and the finding it must produce.</summary>
    public sealed record BrokenCase(string Name, Action<string> Break, string RuleId, FindingSeverity Severity, string MessagePart)
    {
        public override string ToString() => Name;
    }

    private static string Env(string mmar) => Path.Combine(mmar, "config", "environment.json");

    private static string Inference(string mmar) => Path.Combine(mmar, "config", "config_inference.json");

    public static IEnumerable<object[]> BrokenCases() => new BrokenCase[]
    {
        new("no environment.json", m => File.Delete(Env(m)), MmarRuleIds.RequiredFile, FindingSeverity.Error, "environment.json is missing"),
        new("no infer.sh", m => File.Delete(Path.Combine(m, "commands/infer.sh")), MmarRuleIds.RequiredFile, FindingSeverity.Error, "commands/infer.sh is missing"),
        new("no set_env.sh", m => File.Delete(Path.Combine(m, "commands/set_env.sh")), MmarRuleIds.RequiredFile, FindingSeverity.Error, "set_env.sh"),
        new("no inference config", m =>
        {
            File.Delete(Inference(m));
            File.Delete(Path.Combine(m, "config/config_validation.json"));
            File.WriteAllText(Path.Combine(m, "commands/infer.sh"), ". $(dirname $0)/set_env.sh\npython3 -m medl.apps.evaluate -m $MMAR_ROOT\n");
        }, MmarRuleIds.RequiredFile, FindingSeverity.Error, "No inference config"),
        new("infer.sh names a missing config", m => File.WriteAllText(Path.Combine(m, "commands/infer.sh"), "python3 -m medl.apps.evaluate -m $MMAR_ROOT -c config/nope.json\n"),
            MmarRuleIds.RequiredFile, FindingSeverity.Error, "config/nope.json is named by commands/infer.sh"),
        new("missing comma", m => File.WriteAllText(Env(m), "{\n  \"DATA_ROOT\": \"/data\"\n  \"DATASET_JSON\": \"config/dataset_0.json\"\n}\n"),
            MmarRuleIds.JsonSyntax, FindingSeverity.Error, "line 3, column 3"),
        new("pre_transforms not a list", m => JsonEdit.Set(Inference(m), "pre_transforms", JsonValue.Create("LoadImaged")), MmarRuleIds.JsonStructure, FindingSeverity.Error, "must be a list"),
        new("component without name", m => JsonEdit.Edit(Inference(m), r => r["post_transforms"]!.AsArray().Add(new JsonObject { ["args"] = new JsonObject() })),
            MmarRuleIds.JsonStructure, FindingSeverity.Error, "post_transforms[4]"),
        new("duplicate key", m => File.WriteAllText(Path.Combine(m, "config/extra.json"), "{\"a\": 1, \"a\": 2}"), MmarRuleIds.JsonDuplicateKey, FindingSeverity.Warning, "'/a'"),
        new("torchscript path climbs out", m => JsonEdit.Set(Env(m), "MMAR_TORCHSCRIPT", "../model.ts"), MmarRuleIds.PathEscapesMmar, FindingSeverity.Error, "MMAR_TORCHSCRIPT = '../model.ts'"),
        new("checkpoint path absolute", m => JsonEdit.Set(Env(m), "MMAR_CKPT", "/opt/models/model.pt"), MmarRuleIds.PathEscapesMmar, FindingSeverity.Error, "is absolute"),
        new("relative dataset json climbs out", m => JsonEdit.Set(Env(m), "DATASET_JSON", "../config/dataset_0.json"), MmarRuleIds.PathEscapesMmar, FindingSeverity.Error, "DATASET_JSON"),
        new("absolute dataset json", m => JsonEdit.Set(Env(m), "DATASET_JSON", "/data/dataset.json"), MmarRuleIds.DataListUnchecked, FindingSeverity.Information, "cannot be checked here"),
        new("undefined placeholder in the model", m => JsonEdit.Edit(Inference(m), r => r["model"]!["ts_path"] = "{NO_SUCH_VAR}"), MmarRuleIds.UnresolvedVariable, FindingSeverity.Error, "{NO_SUCH_VAR}"),
        new("undefined placeholder in a handler", m => JsonEdit.Set(Inference(m), "handlers", new JsonArray(new JsonObject { ["name"] = "StatsHandler", ["args"] = new JsonObject { ["tag_name"] = "{NO_TAG}" } })),
            MmarRuleIds.UnresolvedVariable, FindingSeverity.Warning, "{NO_TAG}"),
        new("oversized config", m =>
        {
            using var f = new FileStream(Inference(m), FileMode.Create);
            f.SetLength(MmarFileSource.MaxJsonBytes + 1);
        }, MmarRuleIds.FileUnreadable, FindingSeverity.Error, "more than the"),
        new("broken json that inference does not read", m => File.WriteAllText(Path.Combine(m, "config/config_train.json"), "{\"a\": 1,}"), MmarRuleIds.JsonSyntax, FindingSeverity.Warning, "Inference does not read it"),
        new("shell-only argument", m => File.AppendAllText(Path.Combine(m, "commands/infer.sh"), "\npython3 -m medl.apps.evaluate -m $MMAR_ROOT -c config/config_inference.json --set DATA_ROOT=$(pwd)/data\n"),
            MmarRuleIds.ShellArgumentIgnored, FindingSeverity.Information, "$(pwd)"),
        new("no torchscript at all", m =>
        {
            File.Delete(Path.Combine(m, "models/model.ts"));
            JsonEdit.Remove(Env(m), "MMAR_TORCHSCRIPT");
            JsonEdit.Set(Inference(m), "model", new JsonObject());
        }, MmarRuleIds.TorchScriptMissing, FindingSeverity.Error, "No TorchScript model"),
        new("torchscript file missing", m => File.Delete(Path.Combine(m, "models/model.ts")), MmarRuleIds.TorchScriptMissing, FindingSeverity.Error, "does not exist"),
        new("torchscript is a checkpoint", m => File.Copy(TestPaths.TorchScriptFixture("checkpoint_state_dict.pt"), Path.Combine(m, "models/model.ts"), true),
            MmarRuleIds.TorchScriptMalformed, FindingSeverity.Error, "torch.save checkpoint"),
        new("torchscript truncated", m =>
        {
            var ts = Path.Combine(m, "models/model.ts");
            var bytes = File.ReadAllBytes(ts);
            File.WriteAllBytes(ts, bytes[..(bytes.Length / 2)]);
        }, MmarRuleIds.TorchScriptMalformed, FindingSeverity.Error, "truncated"),
        new("pickle checkpoint only", m =>
        {
            File.Delete(Path.Combine(m, "models/model.ts"));
            File.Copy(TestPaths.TorchScriptFixture("checkpoint_state_dict.pt"), Path.Combine(m, "models/model.pt"));
            JsonEdit.Set(Env(m), "MMAR_CKPT", "models/model.pt");
        }, MmarRuleIds.PickleCheckpointOnly, FindingSeverity.Error, "never loads pickles"),
        new("config selects the checkpoint", m =>
        {
            File.Copy(TestPaths.TorchScriptFixture("checkpoint_state_dict.pt"), Path.Combine(m, "models/model.pt"));
            JsonEdit.Set(Env(m), "MMAR_CKPT", "models/model.pt");
            JsonEdit.Set(Inference(m), "model", new JsonArray(
                new JsonObject { ["ts_path"] = "{MMAR_TORCHSCRIPT}", ["disabled"] = "{dont_load_ts_model}" },
                new JsonObject { ["ckpt_path"] = "{MMAR_CKPT}", ["disabled"] = "{dont_load_ckpt_model}" }));
            JsonEdit.Set(Inference(m), "dont_load_ts_model", true);
            JsonEdit.Set(Inference(m), "dont_load_ckpt_model", false);
        }, MmarRuleIds.CheckpointSelected, FindingSeverity.Warning, "loads the checkpoint"),
        new("clara 4.0", m => SetClaraVersion(m, "4.0.0"), MmarRuleIds.MdaiClaraVersion, FindingSeverity.Warning, "Clara 4.1 container"),
        new("no version key", m => SetClaraVersion(m, null), MmarRuleIds.MdaiClaraVersion, FindingSeverity.Information, "judged Clara 4.1"),
        new("unknown generation", m =>
        {
            foreach (var f in Directory.GetFiles(Path.Combine(m, "config"), "*.json"))
            {
                File.WriteAllText(f, "{}");
            }

            File.WriteAllText(Path.Combine(m, "commands/infer.sh"), "echo nothing\n");
            File.Delete(Path.Combine(m, "models/model.ts"));
        }, MmarRuleIds.ClaraVersionUnknown, FindingSeverity.Error, "Cannot tell"),
        new("dataset json missing", m => File.Delete(Path.Combine(m, "config/dataset_0.json")), MmarRuleIds.DatasetJsonMissing, FindingSeverity.Error, "does not exist"),
        new("datalist key not in dataset", m => JsonEdit.Set(Env(m), "INFER_DATALIST_KEY", "testing"), MmarRuleIds.DataListKeyMissing, FindingSeverity.Error, "'testing'"),
        new("datalist key is not a list", m => JsonEdit.Set(Path.Combine(m, "config/dataset_0.json"), "test", "phantom_ct.nii.gz"), MmarRuleIds.DataListKeyMissing, FindingSeverity.Error, "must be a list"),
        new("no datalist key anywhere", m =>
        {
            JsonEdit.Remove(Env(m), "INFER_DATALIST_KEY");
            JsonEdit.Edit(Inference(m), r => r["dataset"]!.AsObject().Remove("data_list_key"));
        }, MmarRuleIds.DataListKeyUnknown, FindingSeverity.Warning, "INFER_DATALIST_KEY"),
        new("unknown transform", m => JsonEdit.Edit(Inference(m), r => r["pre_transforms"]!.AsArray().Insert(3, new JsonObject { ["name"] = "RandFancyd", ["args"] = new JsonObject { ["keys"] = "image" } })),
            MmarRuleIds.UnknownTransform, FindingSeverity.Error, "'RandFancyd'"),
        new("unknown inferer", m => JsonEdit.Edit(Inference(m), r => r["inferer"]!["name"] = "PatchInferer"), MmarRuleIds.UnknownInferer, FindingSeverity.Error, "'PatchInferer'"),
        new("unknown handler", m => JsonEdit.Set(Inference(m), "handlers", new JsonArray(new JsonObject { ["name"] = "ProbMapProducer", ["args"] = new JsonObject() })),
            MmarRuleIds.UnknownHandler, FindingSeverity.Warning, "'ProbMapProducer'"),
        new("custom code", m => JsonEdit.Edit(Inference(m), r => r["post_transforms"]!.AsArray().Add(new JsonObject { ["path"] = "custom.mine.Fix", ["args"] = new JsonObject() })),
            MmarRuleIds.CustomCode, FindingSeverity.Error, "custom.mine.Fix"),
        new("no inferer", m => JsonEdit.Remove(Inference(m), "inferer"), MmarRuleIds.InferencePipelineIncomplete, FindingSeverity.Error, "no inferer"),
        new("no output channels", m => JsonEdit.Remove(Env(m), "OUTPUT_CHANNELS"), MmarRuleIds.OutputChannelsUnknown, FindingSeverity.Warning, "OUTPUT_CHANNELS"),
        new("md.ai keys missing", m => JsonEdit.Remove(Env(m), "OUTPUT_CHANNELS"), MmarRuleIds.MdaiEnvironmentKeys, FindingSeverity.Information, "missing here: OUTPUT_CHANNELS"),
        new("no input channels", m => JsonEdit.Remove(Env(m), "INPUT_CHANNELS"), MmarRuleIds.InputChannelsAssumed, FindingSeverity.Information, "1 is assumed"),
        new("unsupported task", m => JsonEdit.Set(Env(m), "PROCESSING_TASK", "detection"), MmarRuleIds.TaskUnknown, FindingSeverity.Error, "'detection'"),
    }.Select(c => new object[] { c });

    [Fact]
    public void TheSampleMmarPassesWithoutErrorsOrWarnings()
    {
        var findings = Validate(TestPaths.SampleMmar);

        Assert.True(MmarValidator.Passes(findings));
        Assert.DoesNotContain(findings, f => f.Severity != FindingSeverity.Information);
        // DATA_ROOT points outside by design: information, not a problem.
        Assert.Contains(findings, f => f.RuleId == MmarRuleIds.DataPathOutside && f.Message.Contains("DATA_ROOT", StringComparison.Ordinal));
        Assert.All(findings, f => Assert.Equal(TestPaths.SampleMmar, f.Mmar));
    }

    [Theory]
    [MemberData(nameof(BrokenCases))]
    public void EachRuleFindsWhatItIsFor(BrokenCase broken)
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        broken.Break(mmar);

        var findings = Validate(mmar);

        var match = findings.Where(f => f.RuleId == broken.RuleId && f.Severity == broken.Severity).ToList();
        Assert.True(match.Count > 0, $"expected {broken.Severity} {broken.RuleId}; got:{Environment.NewLine}{string.Join(Environment.NewLine, findings)}");
        Assert.Contains(match, f => f.Message.Contains(broken.MessagePart, StringComparison.Ordinal));
        if (broken.Severity == FindingSeverity.Error)
        {
            Assert.False(MmarValidator.Passes(findings));
        }

        var good = Validate(TestPaths.SampleMmar);
        Assert.DoesNotContain(good, f => f.RuleId == broken.RuleId && f.Severity == broken.Severity && f.Message.Contains(broken.MessagePart, StringComparison.Ordinal));
    }

    [Fact]
    public void SyntaxErrorsNameFileLineAndColumn()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        File.WriteAllText(Env(mmar), "{\n  \"DATA_ROOT\": \"/data\"\n  \"DATASET_JSON\": \"config/dataset_0.json\"\n}\n");

        var findings = Validate(mmar);
        var finding = findings.Single(f => f.RuleId == MmarRuleIds.JsonSyntax && f.Severity == FindingSeverity.Error);

        Assert.Equal(("config/environment.json", 3, 3), (finding.File, finding.Line!.Value, finding.Column!.Value));
        // What depends on the unreadable file is not reported as a cascade of other problems.
        Assert.DoesNotContain(findings, f => f.RuleId is MmarRuleIds.UnresolvedVariable or MmarRuleIds.OutputChannelsUnknown or MmarRuleIds.DataListKeyUnknown);
        Assert.Contains(findings, f => f.Severity == FindingSeverity.Information && f.Message.Contains("skipped because config/environment.json cannot be read as JSON", StringComparison.Ordinal));
    }

    [Fact]
    public void PathFindingsPointAtTheKey()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        JsonEdit.Set(Env(mmar), "MMAR_TORCHSCRIPT", "../model.ts");
        var lines = File.ReadAllLines(Env(mmar));
        var line = Array.FindIndex(lines, l => l.Contains("MMAR_TORCHSCRIPT", StringComparison.Ordinal)) + 1;

        var finding = Validate(mmar).Single(f => f.RuleId == MmarRuleIds.PathEscapesMmar);

        Assert.Equal("config/environment.json", finding.File);
        Assert.Equal(line, finding.Line);
        Assert.Equal(lines[line - 1].IndexOf("\"../model.ts\"", StringComparison.Ordinal) + 1, finding.Column);
    }

    [Fact]
    public void AClara40MmarIsValidWithAWarning()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        SetClaraVersion(mmar, "4.0.0");

        var findings = Validate(mmar);

        Assert.True(MmarValidator.Passes(findings));
        Assert.Contains(findings, f => f.RuleId == MmarRuleIds.MdaiClaraVersion && f.Severity == FindingSeverity.Warning);
    }

    [Fact]
    public void AClara3TensorFlowMmarFailsWithBothReasons()
    {
        using var temp = new TempDirectory();

        var findings = Validate(SyntheticMmars.WriteClara3(temp));

        Assert.False(MmarValidator.Passes(findings));
        Assert.Contains(findings, f => f.RuleId == MmarRuleIds.TensorFlowMmar && f.Severity == FindingSeverity.Error && f.Message.Contains("cannot run locally", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.RuleId == MmarRuleIds.MdaiClaraVersion && f.Severity == FindingSeverity.Error && f.Message.Contains("Clara 4.1.0 MMARs only", StringComparison.Ordinal));
        // Its TensorFlow components are not reported one by one as unknown transforms.
        Assert.DoesNotContain(findings, f => f.RuleId == MmarRuleIds.UnknownTransform);
    }

    [Fact]
    public void AZippedSamplePassesToo()
    {
        using var temp = new TempDirectory();
        var zip = temp.Zip(TestPaths.SampleMmar, "sample.zip");

        Assert.True(MmarValidator.Passes(Validate(zip)));
    }

    internal static IReadOnlyList<MmarFinding> Validate(string path, bool deep = false)
    {
        var analysis = MmarAnalyzer.Open(path);
        using (analysis.Source)
        {
            return MmarValidator.Validate(analysis, new MmarValidationOptions { Deep = deep });
        }
    }

    private static void SetClaraVersion(string mmar, string? version)
    {
        foreach (var file in new[] { Env(mmar) }.Concat(Directory.GetFiles(Path.Combine(mmar, "config"), "config_*.json")))
        {
            if (version is null)
            {
                JsonEdit.Remove(file, "CLARA_TRAIN_VERSION");
            }
            else
            {
                JsonEdit.Set(file, "CLARA_TRAIN_VERSION", version);
            }
        }
    }
}
