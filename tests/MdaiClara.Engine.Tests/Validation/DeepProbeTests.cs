using System;
using System.IO;
using System.Linq;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Tests.Inference;
using MdaiClara.Engine.Tests.TestSupport;
using MdaiClara.Engine.Validation;
using Xunit;

namespace MdaiClara.Engine.Tests.Validation;

[Collection(TorchCollection.Name)]
public class DeepProbeTests
{
    [Fact]
    public void TheSampleModelRunsAndHasThreeChannels()
    {
        var findings = MmarValidatorTests.Validate(TestPaths.SampleMmar, deep: true);

        Assert.True(MmarValidator.Passes(findings));
        var deep = Assert.Single(findings, f => f.RuleId == MmarRuleIds.DeepForward);
        Assert.Equal(FindingSeverity.Information, deep.Severity);
        Assert.Contains("the SlidingWindowInferer roi_size", deep.Message);
        Assert.Matches(@"gave \[1, 3, \d+, \d+, \d+\]", deep.Message);
    }

    [Fact]
    public void InputShapeComesFromTheRoiAndChannels()
    {
        var analysis = MmarAnalyzer.Open(TestPaths.SampleMmar);
        using (analysis.Source)
        {
            var (shape, source) = DeepProbe.InputShape(analysis.Info);
            var roi = (object?[])analysis.Info.InferenceConfig!.Inferer!.Args["roi_size"]!;

            Assert.Equal(new long[] { 1, 1 }.Concat(roi.Cast<long>()), shape);
            Assert.Contains("roi_size", source);
        }
    }

    [Fact]
    public void AMismatchedChannelCountIsAnError()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        JsonEdit.Set(Path.Combine(mmar, "config/environment.json"), "OUTPUT_CHANNELS", 2);

        var findings = MmarValidatorTests.Validate(mmar, deep: true);

        var error = Assert.Single(findings, f => f.RuleId == MmarRuleIds.DeepOutputChannels);
        Assert.Equal(FindingSeverity.Error, error.Severity);
        Assert.Contains("outputs 3 channels but the MMAR declares 2", error.Message);
        Assert.False(MmarValidator.Passes(findings));
    }

    [Fact]
    public void AModelThatCannotTakeTheInputIsAForwardError()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        JsonEdit.Set(Path.Combine(mmar, "config/environment.json"), "INPUT_CHANNELS", 2);

        var findings = MmarValidatorTests.Validate(mmar, deep: true);

        var error = Assert.Single(findings, f => f.RuleId == MmarRuleIds.DeepForward);
        Assert.Equal(FindingSeverity.Error, error.Severity);
        Assert.Contains("failed on an input of shape [1, 2,", error.Message);
    }

    [Fact]
    public void TheFixtureModelRunsInsideAZippedMmar()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        File.Copy(TestPaths.TorchScriptFixture("conv3d_1to2.ts"), Path.Combine(mmar, "models/model.ts"), overwrite: true);
        JsonEdit.Set(Path.Combine(mmar, "config/environment.json"), "OUTPUT_CHANNELS", 2);
        var zip = temp.Zip(mmar, "fixture.zip", "mmar/");

        var findings = MmarValidatorTests.Validate(zip, deep: true);

        Assert.True(MmarValidator.Passes(findings), string.Join(Environment.NewLine, findings));
        Assert.Contains(findings, f => f.RuleId == MmarRuleIds.DeepForward && f.Message.Contains("gave [1, 2,", StringComparison.Ordinal));
    }

    [Fact]
    public void NoForwardPassWithoutATorchScript()
    {
        using var temp = new TempDirectory();

        var findings = MmarValidatorTests.Validate(SyntheticMmars.WriteClara3(temp), deep: true);

        Assert.Contains(findings, f => f.RuleId == MmarRuleIds.DeepForward && f.Message.Contains("skipped", StringComparison.Ordinal));
    }

    [Fact]
    public void TheCacheLoadsEachModelOncePerDevice()
    {
        using var cache = new ModelSessionCache();
        var loads = 0;
        TorchScriptModel Load(DeviceSpec d)
        {
            loads++;
            return TorchScriptModel.Load(TestPaths.TorchScriptFixture("conv3d_1to2.ts"), d);
        }

        var first = cache.GetOrLoad("sha", DeviceSpec.Cpu, Load);
        var second = cache.GetOrLoad("sha", DeviceSpec.Cpu, Load);

        Assert.Same(first, second);
        Assert.Equal(1, loads);
        cache.Dispose();
        Assert.Throws<ObjectDisposedException>(() => cache.GetOrLoad("sha", DeviceSpec.Cpu, Load));
    }

    [Fact]
    public void AReusedModelIsReportedUnderTheMmarAskingForIt()
    {
        using var cache = new ModelSessionCache();
        var log = new CollectingLog();
        TorchScriptModel Load(DeviceSpec d) => TorchScriptModel.Load(TestPaths.TorchScriptFixture("conv3d_1to2.ts"), d);

        cache.GetOrLoad("sha", DeviceSpec.Cpu, Load, log, "/models/first_mmar/models/model.ts");
        cache.GetOrLoad("sha", DeviceSpec.Cpu, Load, log, "/models/second_mmar/models/model.ts");

        var reuse = Assert.Single(log.Messages, m => m.Message.StartsWith("Reusing", StringComparison.Ordinal)).Message;
        Assert.Contains("for /models/second_mmar/models/model.ts", reuse, StringComparison.Ordinal);
        Assert.DoesNotContain("Reusing the loaded model /models/first_mmar", reuse, StringComparison.Ordinal);
    }
}
