using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Inferers;
using TorchSharp;
using Xunit;

namespace MdaiClara.Engine.Tests.Inference.Inferers;

/// <summary>What the sliding window refuses, and the arguments and networks it accepts.</summary>
[Collection(TorchCollection.Name)]
public sealed class SlidingWindowArgumentTests
{
    public SlidingWindowArgumentTests() => TorchRuntime.EnsureLoaded();

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void OverlapOutsideZeroToOneIsRefused(double overlap)
    {
        var ex = Assert.Throws<MdaiClaraException>(() => new SlidingWindowInferer(new SlidingWindowOptions(new long[] { 8 }, Overlap: new[] { overlap }), MonaiSemantics.Monai1x));

        Assert.Equal(ErrorIds.TransformArgumentInvalid, ex.ErrorId);
        Assert.Contains("'overlap'", ex.Message);
    }

    [Theory]
    [InlineData(MonaiSemantics.Monai08)]
    [InlineData(MonaiSemantics.Monai05)]
    public void PerAxisOverlapIsRefusedBefore1x(MonaiSemantics semantics)
    {
        // MONAI 0.8.1 compares overlap with a number (not expressible there: MANIFEST "Semantic differences" 7).
        var ex = Assert.Throws<MdaiClaraException>(() => new SlidingWindowInferer(new SlidingWindowOptions(new long[] { 8, 8 }, Overlap: new[] { 0.5, 0.25 }), semantics));

        Assert.Equal(ErrorIds.TransformArgumentInvalid, ex.ErrorId);
        Assert.Contains("MONAI 1.x", ex.Message);
    }

    [Fact]
    public void PerAxisOverlapIsUsedPerAxisIn1x()
    {
        using var inferer = new SlidingWindowInferer(new SlidingWindowOptions(new long[] { 8, 8 }, Overlap: new[] { 0.5, 0.0 }), MonaiSemantics.Monai1x);

        // Axis 0: interval 4 → starts 0, 4, 8, 12; axis 1: interval 8 → 0, 8, 12.
        Assert.Equal(12, inferer.CountWindows(new long[] { 20, 20 }));
    }

    [Fact]
    public void OtherBadArgumentsAreRefusedByName()
    {
        static string ArgumentOf(SlidingWindowOptions options) =>
            Assert.Throws<MdaiClaraException>(() => new SlidingWindowInferer(options, MonaiSemantics.Monai08)).Message;

        Assert.Contains("'sw_batch_size'", ArgumentOf(new SlidingWindowOptions(new long[] { 8 }, SwBatchSize: 0)));
        Assert.Contains("'padding_mode'", ArgumentOf(new SlidingWindowOptions(new long[] { 8 }, PaddingMode: "edge")));
        Assert.Contains("'sigma_scale'", ArgumentOf(new SlidingWindowOptions(new long[] { 8 }, Mode: BlendMode.Gaussian, SigmaScale: new[] { 0.0 })));
        Assert.Contains("'roi_size'", ArgumentOf(new SlidingWindowOptions(System.Array.Empty<long>())));
    }

    [Fact]
    public void ARoiOfAnotherRankIsRefusedWhenTheImageComes()
    {
        using var inferer = new SlidingWindowInferer(new SlidingWindowOptions(new long[] { 8, 8 }), MonaiSemantics.Monai08);
        using var scope = torch.NewDisposeScope();

        var ex = Assert.Throws<MdaiClaraException>(() => inferer.Infer(torch.ones(new long[] { 1, 1, 10, 10, 10 }), data => data));

        Assert.Equal(ErrorIds.TransformArgumentInvalid, ex.ErrorId);
        Assert.Contains("'roi_size' has 2 values for an image with 3 spatial axes", ex.Message);
    }

    [Fact]
    public void AnInputWithoutBatchAndChannelAxesIsRefused()
    {
        using var inferer = new SlidingWindowInferer(new SlidingWindowOptions(new long[] { 8 }), MonaiSemantics.Monai08);
        using var scope = torch.NewDisposeScope();

        var ex = Assert.Throws<MdaiClaraException>(() => inferer.Infer(torch.ones(10, 10), data => data));

        Assert.Equal(ErrorIds.TransformInputInvalid, ex.ErrorId);
        Assert.Contains("[10, 10]", ex.Message);
    }

    [Fact]
    public void ANetworkThatChangesTheSpatialSizeIsAnErrorNamingBothShapes()
    {
        using var inferer = new SlidingWindowInferer(new SlidingWindowOptions(new long[] { 8, 8 }, 2), MonaiSemantics.Monai1x);
        using var scope = torch.NewDisposeScope();

        var ex = Assert.Throws<MdaiClaraException>(() => inferer.Infer(torch.ones(1, 1, 16, 16), data => torch.nn.functional.avg_pool2d(data, 2)));

        Assert.Equal(ErrorIds.TransformInputInvalid, ex.ErrorId);
        Assert.Contains("[2, 1, 4, 4]", ex.Message);
        Assert.Contains("[2, C, 8, 8]", ex.Message);
    }

    [Fact]
    public void TheNetworkMayReturnMoreChannelsThanItGets()
    {
        using var inferer = new SlidingWindowInferer(new SlidingWindowOptions(new long[] { 6, 6, 6 }, 3, Mode: BlendMode.Gaussian), MonaiSemantics.Monai08);
        using var scope = torch.NewDisposeScope();
        var inputs = torch.rand(new long[] { 2, 1, 9, 11, 7 });

        var result = inferer.Infer(inputs, data => torch.cat(new[] { data, data * 2, data - 1 }, 1));

        Assert.Equal(new long[] { 2, 3, 9, 11, 7 }, result.shape);
        var expected = torch.cat(new[] { inputs, inputs * 2, inputs - 1 }, 1);
        Assert.True(result.allclose(expected, rtol: 1e-6, atol: 1e-6));
    }

    [Theory]
    [InlineData("constant")]
    [InlineData("reflect")]
    [InlineData("replicate")]
    [InlineData("circular")]
    public void EveryPaddingModeIsCroppedOffAgain(string paddingMode)
    {
        using var inferer = new SlidingWindowInferer(new SlidingWindowOptions(new long[] { 12, 12, 12 }, PaddingMode: paddingMode), MonaiSemantics.Monai08);
        using var scope = torch.NewDisposeScope();
        var inputs = torch.rand(new long[] { 1, 1, 9, 14, 10 });
        var seen = new System.Collections.Generic.List<long[]>();

        var result = inferer.Infer(inputs, data =>
        {
            seen.Add(data.shape);
            return data * 3;
        });

        Assert.Equal(inputs.shape, result.shape);
        Assert.True(result.allclose(inputs * 3, rtol: 1e-6, atol: 1e-6));
        Assert.All(seen, shape => Assert.Equal(new long[] { 1, 1, 12, 12, 12 }, shape));
        Assert.Equal(2, seen.Count);
    }

    [Theory]
    [InlineData("reflect")]
    [InlineData("replicate")]
    public void AFillValueWithAnotherPaddingModeIsRefusedOnceItPads(string paddingMode)
    {
        using var inferer = new SlidingWindowInferer(new SlidingWindowOptions(new long[] { 6, 6 }, PaddingMode: paddingMode, Cval: -1), MonaiSemantics.Monai08);
        using var scope = torch.NewDisposeScope();

        var unpadded = inferer.Infer(torch.ones(1, 1, 8, 8), data => data);
        var ex = Assert.Throws<MdaiClaraException>(() => inferer.Infer(torch.ones(1, 1, 5, 8), data => data));

        Assert.Equal(new long[] { 1, 1, 8, 8 }, unpadded.shape);
        Assert.Equal(ErrorIds.TransformArgumentInvalid, ex.ErrorId);
        Assert.Contains("'cval'", ex.Message);
    }

    [Fact]
    public void ConstantPaddingUsesCval()
    {
        using var inferer = new SlidingWindowInferer(new SlidingWindowOptions(new long[] { 6 }, Cval: 7), MonaiSemantics.Monai1x);
        using var scope = torch.NewDisposeScope();
        float[]? window = null;

        inferer.Infer(torch.zeros(1, 1, 3), data =>
        {
            window = data.data<float>().ToArray();
            return data;
        });

        // diff 3 → 1 before, 2 after.
        Assert.Equal(new float[] { 7, 0, 0, 0, 7, 7 }, window);
    }
}
