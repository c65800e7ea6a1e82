using System.IO;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Tests.Inference;
using MdaiClara.Engine.Tests.TestSupport;
using MdaiClara.Engine.Validation;
using Xunit;

namespace MdaiClara.Engine.Tests.Validation;

[Collection(TorchCollection.Name)]
public class DeepProbeChannelTests
{
    [Fact]
    public void AForwardFailureComparesTheFirstLayerWithInputChannels()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        JsonEdit.Set(Path.Combine(mmar, "config/environment.json"), "INPUT_CHANNELS", 2);

        var findings = MmarValidatorTests.Validate(mmar, deep: true);

        var error = Assert.Single(findings, f => f.RuleId == MmarRuleIds.DeepForward);
        Assert.Equal(FindingSeverity.Error, error.Severity);
        // The interpreter's own cause, then what to change.
        Assert.Contains("channels", error.Message[..error.Message.IndexOf("The model's first layer", System.StringComparison.Ordinal)], System.StringComparison.Ordinal);
        Assert.Matches(@"The model's first layer \([\w.]+weight, \[\d+, 1, [\d, ]+\]\) expects 1 channels, INPUT_CHANNELS in config/environment.json says 2, and the dummy input had 2", error.Message);
    }
}
