using System;
using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Inferers;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Inference.Pipeline.Steps;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Inference.Pipeline;

/// <summary>Binding config components to steps: names, argument types and legacy spellings, and the errors for what cannot run.</summary>
public class StepBindingTests
{
    private static ComponentSpec Spec(string name, params (string Key, object? Value)[] args) => new(
        name,
        ComponentSpec.Canonicalize(name),
        false,
        new ConfigObject(args.Select(a => new KeyValuePair<string, object?>(a.Key, a.Value))),
        false,
        "config/config_inference.json",
        "/pre_transforms/3",
        new SourceLocation(41, 7));

    [Theory]
    [InlineData("LoadImaged", typeof(LoadImageStep))]
    [InlineData("EnsureChannelFirstd", typeof(ChannelSteps))]
    [InlineData("AddChanneld", typeof(ChannelSteps))]
    [InlineData("monai.transforms.ScaleIntensityRangeD", typeof(ScaleIntensityRangeStep))]
    [InlineData("ToTensord", typeof(TypeStep))]
    [InlineData("EnsureTyped", typeof(TypeStep))]
    [InlineData("CastToTypeDict", typeof(TypeStep))]
    [InlineData("Activationsd", typeof(ActivationsStep))]
    [InlineData("AsDiscreted", typeof(AsDiscreteStep))]
    [InlineData("SaveImaged", typeof(SaveImageStep))]
    [InlineData("CropForeground", typeof(CropForegroundStep))]
    [InlineData("SpatialPad", typeof(SpatialPadStep))]
    public void KnownNamesBindToTheirSteps(string name, Type step)
    {
        var args = name.Contains("ScaleIntensityRange", StringComparison.Ordinal)
            ? new[] { ("keys", (object?)"image"), ("a_min", -57L), ("a_max", 164L) }
            : name == "SpatialPad" ? new[] { ("spatial_size", (object?)new object?[] { 64L, 64L, 32L }) }
            : new[] { ("keys", (object?)"image") };

        Assert.IsType(step, StepFactory.Create(Spec(name, args), null));
    }

    [Fact]
    public void AnUnknownTransformIsNamedWithItsPlace()
    {
        var ex = Assert.Throws<MdaiClaraException>(() => StepFactory.Create(Spec("RandGaussianNoised", ("keys", "image")), null));

        Assert.Equal(ErrorIds.TransformUnknown, ex.ErrorId);
        Assert.StartsWith("config/config_inference.json:41:7: the transform RandGaussianNoised is not one MdaiClara implements", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CustomCodeIsRefused()
    {
        var spec = Spec("my.transforms.Clip", ("keys", "image")) with { IsCustomCode = true };

        var ex = Assert.Throws<MdaiClaraException>(() => StepFactory.Create(spec, null));

        Assert.Equal(ErrorIds.TransformUnknown, ex.ErrorId);
        Assert.Contains("custom Python code", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AWrongArgumentTypeNamesTheArgumentAndTheValue()
    {
        var ex = Assert.Throws<MdaiClaraException>(() => StepFactory.Create(Spec("ScaleIntensityRanged", ("keys", "image"), ("a_min", "low"), ("a_max", 164L)), null));

        Assert.Equal(ErrorIds.TransformArgumentInvalid, ex.ErrorId);
        Assert.Contains("ScaleIntensityRanged (config/config_inference.json:41:7): the argument 'a_min' is \"low\", but must be a number", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingRequiredArgumentIsAnError()
    {
        var ex = Assert.Throws<MdaiClaraException>(() => StepFactory.Create(Spec("Spacingd", ("keys", "image")), null));

        Assert.Equal(ErrorIds.TransformArgumentInvalid, ex.ErrorId);
        Assert.Contains("'pixdim' is missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownModeFailsAtBindingNotWhileRunning()
    {
        var ex = Assert.Throws<MdaiClaraException>(() => StepFactory.Create(Spec("Spacingd", ("keys", "image"), ("pixdim", new object?[] { 1.0, 1.0, 1.0 }), ("mode", "lanczos")), null));

        Assert.Contains("'mode' is 'lanczos'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SpacingOptionsMdaiClaraDoesNotImplementAreRefused()
    {
        var ex = Assert.Throws<MdaiClaraException>(() => StepFactory.Create(Spec("Spacingd", ("keys", "image"), ("pixdim", new object?[] { 1.0, 1.0, 1.0 }), ("min_pixdim", new object?[] { 0.5, 0.5, 0.5 })), null));

        Assert.Contains("min_pixdim", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownArgumentsAreWarnedAboutAndIgnored()
    {
        var log = new CollectingLog();

        StepFactory.Create(Spec("ScaleIntensityRanged", ("keys", "image"), ("a_min", -57L), ("a_max", 164L), ("gamma", 2.0)), log);

        Assert.Contains(log.Messages, m => m.Level == EngineLogLevel.Warning && m.Message.Contains("'gamma' is not one MdaiClara knows", StringComparison.Ordinal));
    }

    [Fact]
    public void DictionaryTransformsNeedKeys()
    {
        var ex = Assert.Throws<MdaiClaraException>(() => StepFactory.Create(Spec("Activationsd", ("softmax", true)), null));

        Assert.Contains("'keys' is missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LegacyOneHotSpellingNeedsAClassCount()
    {
        Assert.IsType<AsDiscreteStep>(StepFactory.Create(Spec("AsDiscreted", ("keys", "pred"), ("argmax", true), ("to_onehot", true), ("n_classes", 2L)), null));
        var ex = Assert.Throws<MdaiClaraException>(() => StepFactory.Create(Spec("AsDiscreted", ("keys", "pred"), ("to_onehot", true)), null));
        Assert.Contains("neither n_classes nor num_classes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PythonCallablesAreRefused()
    {
        var ex = Assert.Throws<MdaiClaraException>(() => StepFactory.Create(Spec("Activationsd", ("keys", "pred"), ("other", "lambda x: torch.tanh(x)")), null));

        Assert.Contains("evaluates no Python", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSlidingWindowTakesTheUsersOverrides()
    {
        var spec = Spec("SlidingWindowInferer", ("roi_size", new object?[] { 160L, 160L, 160L }), ("sw_batch_size", 4L), ("overlap", 0.5), ("mode", "gaussian"));

        var inferer = Assert.IsType<SlidingWindowInferer>(InfererFactory.Create(spec, MonaiSemantics.Monai08, new InferenceOverrides(new long[] { 64, 64, 32 }, 0.25, 2), null));

        Assert.Equal(new long[] { 64, 64, 32 }, inferer.Options.RoiSize);
        Assert.Equal(new[] { 0.25 }, inferer.Options.Overlap);
        Assert.Equal(2, inferer.Options.SwBatchSize);
        Assert.Equal(BlendMode.Gaussian, inferer.Options.Mode);
        Assert.Equal(MonaiSemantics.Monai08, inferer.Semantics);
    }

    [Fact]
    public void AnUnknownInfererIsNamed()
    {
        var ex = Assert.Throws<MdaiClaraException>(() => InfererFactory.Create(Spec("ScanWindowInferer"), MonaiSemantics.Monai08, new InferenceOverrides(), null));

        Assert.Equal(ErrorIds.TransformUnknown, ex.ErrorId);
        Assert.Contains("ScanWindowInferer", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.5.3", MonaiSemantics.Monai05)]
    [InlineData("0.8.1", MonaiSemantics.Monai08)]
    [InlineData("0.9.1", MonaiSemantics.Monai08)]
    [InlineData("1.0.0", MonaiSemantics.Monai08)]
    [InlineData("1.0.1", MonaiSemantics.Monai1x)]
    [InlineData("1.3", MonaiSemantics.Monai1x)]
    [InlineData("v1.5.0", MonaiSemantics.Monai1x)]
    [InlineData("1", MonaiSemantics.Monai1x)]
    [InlineData("1.x", MonaiSemantics.Monai1x)]
    [InlineData("1.0", MonaiSemantics.Monai1x)]
    public void MonaiVersionsMapToSemantics(string version, MonaiSemantics expected) =>
        Assert.Equal(expected, MonaiSemanticsVersions.Parse(version));

    [Fact]
    public void ClaraVersionsPickTheirMonai()
    {
        Assert.Equal(MonaiSemantics.Monai05, MonaiSemanticsVersions.ForClaraVersion("4.0.0"));
        Assert.Equal(MonaiSemantics.Monai08, MonaiSemanticsVersions.ForClaraVersion("4.1.0"));
        Assert.Equal(MonaiSemantics.Monai08, MonaiSemanticsVersions.ForClaraVersion(null));
        foreach (var bad in new[] { "latest", "1.3rc", "2.0", "0", "1.2.3.4", "" })
        {
            Assert.Equal(ErrorIds.MonaiSemanticsUnknown, Assert.Throws<MdaiClaraException>(() => MonaiSemanticsVersions.Parse(bad)).ErrorId);
        }
    }
}
