using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Tests.TestSupport;
using MdaiClara.Engine.Validation;
using Xunit;

namespace MdaiClara.Engine.Tests.Validation;

/// <summary>Issue 8's verdicts: Clara 4.0 configs on Clara 4.1, one source of truth with packaging and inference, models that need more than an image, findings at the deciding place.</summary>
public class VerdictRulesTests
{
    private static string Inference(string mmar) => Path.Combine(mmar, "config", "config_inference.json");

    private static (IReadOnlyList<MmarFinding> Findings, MmarAnalysis Analysis) Check(string mmar)
    {
        var analysis = MmarAnalyzer.Open(mmar);
        return (MmarValidator.Validate(analysis, new MmarValidationOptions()), analysis);
    }

    private static int LineOf(string file, string text) => Array.FindIndex(File.ReadAllLines(file), l => l.Contains(text, StringComparison.Ordinal)) + 1;

    [Fact]
    public void AClara40SaverHandlerIsAnErrorForMdaisClara41ImageWithItsPlaceAndRemedy()
    {
        using var temp = new TempDirectory();
        var mmar = SyntheticMmars.WriteClara40(temp);

        var (findings, analysis) = Check(mmar);
        using var _ = analysis.Source;

        var saver = Assert.Single(findings, f => f.RuleId == MmarRuleIds.ClaraGenerationMismatch);
        Assert.Equal(FindingSeverity.Error, saver.Severity);
        Assert.Contains("SegmentationSaver handler will not run on MD.ai's Clara 4.1 image", saver.Message, StringComparison.Ordinal);
        Assert.Contains("TypeError: list indices must be integers or slices, not str", saver.Message, StringComparison.Ordinal);
        Assert.Contains("SaveImaged", saver.Message, StringComparison.Ordinal);
        Assert.Equal(("config/config_inference.json", LineOf(Inference(mmar), "\"SegmentationSaver\"")), (saver.File, saver.Line!.Value));
        Assert.DoesNotContain("It is valid", string.Join("\n", findings.Select(f => f.Message)), StringComparison.Ordinal);
        // Local inference still binds it (Clara 4.0 semantics): the verdict is about MD.ai, not about running here.
        using var bound = PipelineBinder.Bind(analysis.Info.InferenceConfig!, MonaiSemantics.Monai05, null, null);
        Assert.Empty(bound.Problems);
    }

    [Fact]
    public void HandlerAndMetricLambdasThatIndexTheDecollatedBatchByNameAreFoundWhereTheyAre()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        JsonEdit.Set(Inference(mmar), "handlers", new JsonArray(
            new JsonObject { ["name"] = "StatsHandler", ["args"] = new JsonObject { ["output_transform"] = "lambda x: x[0]['loss']" } },
            new JsonObject { ["name"] = "MetricsSaver", ["args"] = new JsonObject { ["save_dir"] = "{MMAR_EVAL_OUTPUT_PATH}", ["batch_transform"] = "lambda x: x['image_meta_dict']" } }));

        var (findings, analysis) = Check(mmar);
        using var _ = analysis.Source;

        var lambda = Assert.Single(findings, f => f.RuleId == MmarRuleIds.ClaraGenerationMismatch);
        Assert.Contains("batch_transform of MetricsSaver", lambda.Message, StringComparison.Ordinal);
        var at = File.ReadAllLines(Inference(mmar))[lambda.Line!.Value - 1][(lambda.Column!.Value - 1)..];
        Assert.StartsWith("\"lambda x: x[", at, StringComparison.Ordinal); // the value of batch_transform itself
        Assert.False(MmarValidator.Passes(findings));
    }

    public static IEnumerable<object[]> BindingCases() => new (string Name, Action<string> Break, string RuleId)[]
    {
        ("unknown transform", m => JsonEdit.Edit(Inference(m), r => r["pre_transforms"]!.AsArray().Insert(2, new JsonObject { ["name"] = "RandFancyd", ["args"] = new JsonObject { ["keys"] = "image" } })), MmarRuleIds.UnknownTransform),
        ("input never loaded", m => JsonEdit.Edit(Inference(m), r => r["pre_transforms"]!.AsArray().RemoveAt(0)), MmarRuleIds.InferencePipelineIncomplete),
        ("roi_size missing", m => JsonEdit.Edit(Inference(m), r => r["inferer"]!["args"]!.AsObject().Remove("roi_size")), MmarRuleIds.InferenceArgumentInvalid),
        ("roi_size of the wrong type", m => JsonEdit.Edit(Inference(m), r => r["inferer"]!["args"]!["roi_size"] = "big"), MmarRuleIds.InferenceArgumentInvalid),
        ("custom code", m => JsonEdit.Edit(Inference(m), r => r["post_transforms"]!.AsArray().Add(new JsonObject { ["path"] = "custom.mine.Fix", ["args"] = new JsonObject() })), MmarRuleIds.CustomCode),
    }.Select(c => new object[] { c.Name, c.Break, c.RuleId });

    [Theory]
    [MemberData(nameof(BindingCases))]
    public void TestMmarFailsExactlyWhereInferenceRefusesToStart(string name, Action<string> breakIt, string ruleId)
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        breakIt(mmar);

        var (findings, analysis) = Check(mmar);
        using var _ = analysis.Source;
        using var cache = new ModelSessionCache();

        var refusal = Assert.Throws<MdaiClaraException>(() => ClaraInferenceSession.Create(analysis, new InferenceSessionOptions(DeviceSpec.Cpu), cache));
        var finding = Assert.Single(findings, f => f.RuleId == ruleId && f.Severity == FindingSeverity.Error);
        Assert.False(MmarValidator.Passes(findings), name);
        // The same cause, in the same words, from the same binding code.
        var cause = refusal.Message[(refusal.Message.LastIndexOf(": ", StringComparison.Ordinal) + 2)..];
        Assert.Contains(cause, finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSampleBindsAndPasses()
    {
        var (findings, analysis) = Check(TestPaths.SampleMmar);
        using var _ = analysis.Source;
        using var bound = PipelineBinder.Bind(analysis.Info.InferenceConfig!, MonaiSemantics.Monai08, null, null);

        Assert.Empty(bound.Problems);
        Assert.True(MmarValidator.Passes(findings));
    }

    [Fact]
    public void ThePathologyMmarFailsWithTheReasonsPackagingAndInferenceRefuseIt()
    {
        using var temp = new TempDirectory();
        var mmar = VerdictFixtures.WritePathology(temp);

        var (findings, analysis) = Check(mmar);
        using var _ = analysis.Source;

        Assert.False(MmarValidator.Passes(findings));
        Assert.Contains(findings, f => f.RuleId == MmarRuleIds.ResultNotSaved && f.Severity == FindingSeverity.Error && f.Message.Contains("no classification result", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.RuleId == MmarRuleIds.InferencePipelineIncomplete && f.Message.Contains("input is never read", StringComparison.Ordinal));
        var refused = Assert.Throws<MmarFindingsException>(() => MdaiPackageBuilder.Build(analysis, temp.Combine("p.zip"), new MdaiPackageOptions()));
        Assert.Equal(ErrorIds.MdaiPackageRefused, refused.ErrorId);
        Assert.Contains(refused.Findings, f => f.RuleId == MmarRuleIds.ResultNotSaved);
        Assert.Contains("[ResultNotSaved config/config_inference.json]", refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.Combine("p.zip")));
    }

    [Fact]
    public void TheAortaMmarIsNotAnAutomaticModelAndIsNotPackaged()
    {
        using var temp = new TempDirectory();
        var mmar = VerdictFixtures.WriteAorta(temp);
        var config = Path.Combine(mmar, "config", "config_validation.json");

        var (findings, analysis) = Check(mmar);
        using var _ = analysis.Source;

        var automatic = findings.Where(f => f.RuleId == MmarRuleIds.NotAutomaticModel).ToList();
        Assert.All(automatic, f => Assert.Equal(FindingSeverity.Error, f.Severity));
        Assert.Contains(automatic, f => f.Message.Contains("loads 'label' besides the image", StringComparison.Ordinal) && f.Line == LineOf(config, "\"LoadImaged\""));
        Assert.Contains(automatic, f => f.Message.Contains("AddExtremePointsChanneld adds 1 guidance channel", StringComparison.Ordinal) && f.Line == LineOf(config, "\"AddExtremePointsChanneld\""));
        Assert.Contains(automatic, f => f.Message.Contains("CropForegroundd takes its source_key from 'label'", StringComparison.Ordinal));
        Assert.All(automatic, f => Assert.StartsWith("Not deployable as an automatic model", f.Message, StringComparison.Ordinal));
        Assert.Contains(findings, f => f.RuleId == MmarRuleIds.RequiredFile && f.Message.Contains("config/config_inference.json is named by commands/infer.sh", StringComparison.Ordinal));
        Assert.Equal(3, findings.Count(f => f.RuleId == MmarRuleIds.ClaraGenerationMismatch)); // TransformInverter, SegmentationSaver, MetricsSaver's lambda

        // in_channels says 1, the extreme points add 1: the count cannot be told.
        Assert.Null(analysis.Info.InputChannels);
        Assert.StartsWith("cannot tell: in_channels of the network in config/config_train.json says 1, but AddExtremePointsChanneld", analysis.Info.InputChannelsSource, StringComparison.Ordinal);

        var refused = Assert.Throws<MmarFindingsException>(() => MdaiPackageBuilder.Build(analysis, temp.Combine("a.zip"), new MdaiPackageOptions()));
        Assert.Contains(refused.Findings, f => f.RuleId == MmarRuleIds.NotAutomaticModel);
        Assert.Contains(refused.Findings, f => f.RuleId == MmarRuleIds.RequiredFile);
        Assert.Contains(refused.Findings, f => f.RuleId == MmarRuleIds.ClaraGenerationMismatch);
        Assert.False(File.Exists(temp.Combine("a.zip")));
    }

    [Fact]
    public void AddedGuidanceChannelsCountWhenNothingStatesTheInput()
    {
        using var temp = new TempDirectory();
        var mmar = VerdictFixtures.WriteAorta(temp, statedChannels: false);

        var analysis = MmarAnalyzer.Open(mmar);
        using var _ = analysis.Source;

        Assert.Equal(2, analysis.Info.InputChannels);
        Assert.Contains("1 image channel (assumed) and 1 channel added by AddExtremePointsChanneld", analysis.Info.InputChannelsSource, StringComparison.Ordinal);
    }

    [Fact]
    public void PackagingRefusesAnMmarThatValidationFailsAndListsEveryError()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        JsonEdit.Set(Path.Combine(mmar, "config/environment.json"), "INFER_DATALIST_KEY", "testing");
        File.WriteAllText(Path.Combine(mmar, "commands/infer.sh"), File.ReadAllText(Path.Combine(mmar, "commands/infer.sh")).Replace("config/config_inference.json", "config/config_nope.json", StringComparison.Ordinal));

        var analysis = MmarAnalyzer.Open(mmar);
        using var _ = analysis.Source;
        var refused = Assert.Throws<MmarFindingsException>(() => MdaiPackageBuilder.Build(analysis, temp.Combine("p.zip"), new MdaiPackageOptions()));

        Assert.Equal(ErrorIds.MdaiPackageRefused, refused.ErrorId);
        Assert.Contains("cannot be packaged for MD.ai: its validation finds 2 errors", refused.Message, StringComparison.Ordinal);
        Assert.Contains(refused.Findings, f => f.RuleId == MmarRuleIds.DataListKeyMissing);
        Assert.Contains(refused.Findings, f => f.RuleId == MmarRuleIds.RequiredFile && f.Message.Contains("config/config_nope.json", StringComparison.Ordinal));
    }

    [Fact]
    public void ATorchScriptPathSetInInferShIsCitedAtItsLineThere()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        var script = Path.Combine(mmar, "commands/infer.sh");
        File.WriteAllText(script, File.ReadAllText(script).Replace("    multi_gpu=False \\", "    multi_gpu=False \\\n    MMAR_TORCHSCRIPT=models/other.ts \\", StringComparison.Ordinal));
        var line = LineOf(script, "MMAR_TORCHSCRIPT=models/other.ts");

        var (findings, analysis) = Check(mmar);
        using var _ = analysis.Source;

        var missing = Assert.Single(findings, f => f.RuleId == MmarRuleIds.TorchScriptMissing);
        Assert.Equal(("commands/infer.sh", line, 5), (missing.File, missing.Line!.Value, missing.Column!.Value));
        Assert.Contains("models/other.ts", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InferShRecordsWhereEachSetPairIsWritten()
    {
        var script = InferScript.Parse("commands/infer.sh", "#!/bin/bash\r\npython3 -m medl.apps.evaluate -m $MMAR_ROOT \\\r\n  -c config/c.json --set \\\r\n   A=1 \\\r\n\tB=two  C=3\n");

        Assert.Equal(new SourceLocation(4, 4), script.SetLocations["A"]);
        Assert.Equal(new SourceLocation(5, 2), script.SetLocations["B"]);
        Assert.Equal(new SourceLocation(5, 9), script.SetLocations["C"]);
    }

    [Fact]
    public void TheInterpretersCauseIsKeptFromATorchScriptTraceback()
    {
        const string message = "The following operation failed in the TorchScript interpreter.\nTraceback of TorchScript, serialized code (most recent call last):\n  File \"code/__torch__.py\", line 8, in forward\n    _0 = torch._convolution(x, weight)\nRuntimeError: Given groups=1, weight of size [8, 2, 3, 3, 3], expected input[1, 1, 32, 32, 32] to have 2 channels, but got 1 channels instead\n";

        Assert.Equal("RuntimeError: Given groups=1, weight of size [8, 2, 3, 3, 3], expected input[1, 1, 32, 32, 32] to have 2 channels, but got 1 channels instead.", TorchScriptModel.InterpreterCause(message));
        Assert.Equal("libtorch says no.", TorchScriptModel.InterpreterCause("libtorch says no"));
    }
}
