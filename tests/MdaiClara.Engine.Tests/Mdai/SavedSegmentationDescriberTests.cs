using System;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Validation;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Mdai;

/// <summary>What an MMAR's saver writes, read from its post-transforms; what the package records; what it refuses.</summary>
public sealed class SavedSegmentationDescriberTests
{
    private const string Saver = """{"name": "SaveImaged", "args": {"keys": "pred", "meta_keys": "pred_meta_dict", "output_dir": "{MMAR_EVAL_OUTPUT_PATH}", "resample": false}}""";

    private const string Softmax = """{"name": "Activationsd", "args": {"keys": "pred", "softmax": true}}""";

    private static SavedSegmentationVerdict Describe(string mmar, int? channels = 3)
    {
        var config = MmarAnalyzer.Open(mmar).Info.InferenceConfig!;
        return SavedSegmentationDescriber.Describe(config, SavedSegmentationDescriber.FindSaver(config)!, channels);
    }

    [Fact]
    public void TheSampleSavesALabelMap()
    {
        var verdict = Describe(TestPaths.SampleMmar);

        Assert.Equal(new SavedSegmentationOutput { Content = SavedContent.Labels, Channels = 1, ChannelAxis = SavedChannelAxis.Last }, verdict.Output);
    }

    [Fact]
    public void TheSpleenGettingStartedShapeSavesATwoClassOneHotVolumeChannelsLast()
    {
        using var temp = new TempDirectory();

        var verdict = Describe(OneHotMmar.Write(temp), 2);

        Assert.Equal(new SavedSegmentationOutput { Content = SavedContent.OneHot, Channels = 2, ChannelAxis = SavedChannelAxis.Last }, verdict.Output);
        Assert.Equal("a one-hot volume of 2 classes, channels last", verdict.Output!.Describe());
    }

    [Theory]
    // Per-key arguments, as the real validation configs write them: argmax for pred only, to_onehot as a number.
    [InlineData("""{"name": "AsDiscreted", "args": {"keys": ["pred", "label"], "argmax": [true, false], "to_onehot": 2, "n_classes": 2}}""", SavedContent.OneHot, 2)]
    [InlineData("""{"name": "AsDiscreted", "args": {"keys": ["label", "pred"], "argmax": [false, true]}}""", SavedContent.Labels, 1)]
    // The label's argmax does not touch pred: the saver gets the softmax of 3 classes.
    [InlineData("""{"name": "AsDiscreted", "args": {"keys": "label", "argmax": true}}""", SavedContent.Probabilities, 3)]
    [InlineData("""{"name": "KeepLargestConnectedComponentd", "args": {"keys": "pred", "applied_labels": [1]}}""", SavedContent.Probabilities, 3)]
    // Pre-0.8 names: threshold_values on one channel after argmax stays a label map.
    [InlineData("""{"name": "AsDiscreted", "args": {"keys": "pred", "argmax": true, "threshold_values": true}}""", SavedContent.Labels, 1)]
    public void ThePostTransformsBeforeTheSaverDecideWhatItWrites(string transform, SavedContent content, int channels)
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        OneHotMmar.SetPostTransforms(mmar, "[" + Softmax + ", " + transform + ", " + Saver + "]");

        var verdict = Describe(mmar);

        Assert.Null(verdict.Refusal);
        Assert.Equal(content, verdict.Output!.Content);
        Assert.Equal(channels, verdict.Output.Channels);
    }

    [Fact]
    public void TransformsAfterTheSaverDoNotCount()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        OneHotMmar.SetPostTransforms(mmar, "[" + Softmax + ", " + Saver + """, {"name": "AsDiscreted", "args": {"keys": "pred", "argmax": true}}]""");

        Assert.Equal(SavedContent.Probabilities, Describe(mmar).Output!.Content);
    }

    [Theory]
    [InlineData("""{"name": "Activationsd", "args": {"keys": "pred", "sigmoid": true}}""", 3, "3 independent classes")]
    [InlineData("""{"name": "Activationsd", "args": {"keys": "pred", "sigmoid": true}}""", 1, "threshold the config does not set")]
    [InlineData("""{"name": "AsDiscreted", "args": {"keys": "pred", "threshold": 0.5}}""", 3, "3 thresholded channels")]
    [InlineData("""{"name": "Activationsd", "args": {"keys": "pred", "softmax": true}}""", 1, "one channel of probabilities")]
    public void ASaverOfWhatNoLabelMapCanHoldIsRefusedAtPackagingWithTheReason(string transform, int channels, string reason)
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        OneHotMmar.SetPostTransforms(mmar, "[" + transform + ", " + Saver + "]");
        JsonEdit.Set(System.IO.Path.Combine(mmar, "config", "environment.json"), "OUTPUT_CHANNELS", channels);

        var verdict = Describe(mmar, channels);
        var refused = Assert.Throws<MmarFindingsException>(() => MdaiPackageBuilder.Build(MmarAnalyzer.Open(mmar), temp.Combine("refused.zip"), new MdaiPackageOptions()));
        // Test-Mmar says the same, from the same check (one source of truth).
        var finding = Assert.Single(MmarValidator.Validate(MmarAnalyzer.Open(mmar), new MmarValidationOptions()), f => f.RuleId == MmarRuleIds.SaverOutputUnreadable);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Contains(reason, finding.Message, StringComparison.Ordinal);
        Assert.Contains(refused.Findings, f => f.RuleId == MmarRuleIds.SaverOutputUnreadable);

        Assert.Null(verdict.Output);
        Assert.Contains(reason, verdict.Refusal, StringComparison.Ordinal);
        Assert.Equal(ErrorIds.MdaiPackageRefused, refused.ErrorId);
        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
        Assert.Contains("SaveImaged", refused.Message, StringComparison.Ordinal);
        Assert.False(System.IO.File.Exists(temp.Combine("refused.zip")));
    }

    [Fact]
    public void ClaraFourZerosSegmentationSaverGetsWhatTheWholePostTransformListMakes()
    {
        using var temp = new TempDirectory();
        var mmar = SyntheticMmars.WriteClara40(temp);
        var config = MmarAnalyzer.Open(mmar).Info.InferenceConfig!;
        var saver = SavedSegmentationDescriber.FindSaver(config);

        Assert.NotNull(saver);
        Assert.Equal("SegmentationSaver", saver!.CanonicalName);
        Assert.Equal("pred", SavedSegmentationDescriber.SavedKey(saver));
        Assert.Equal(new SavedSegmentationOutput { Content = SavedContent.OneHot, Channels = 2, ChannelAxis = SavedChannelAxis.Last }, SavedSegmentationDescriber.Describe(config, saver, 2).Output);
    }
}
