using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Transforms;
using TorchSharp;
using Xunit;

namespace MdaiClara.Engine.Tests.Inference;

/// <summary>SpatialPad with hand-computed expectations (np.pad / MONAI semantics), and its inverse.</summary>
[Collection(TorchCollection.Name)]
public class SpatialPadTests
{
    public SpatialPadTests() => TorchRuntime.EnsureLoaded();

    private static torch.Tensor Row(params float[] values) => torch.tensor(values).reshape(1, 1, values.Length);

    private static float[] Values(torch.Tensor t) => t.to_type(torch.ScalarType.Float32).data<float>().ToArray();

    [Fact]
    public void SymmetricConstantPutsHalfTheWidthBeforeAndTheRestAfter()
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.arange(1, 7, torch.ScalarType.Float32).reshape(1, 2, 3); // [[1,2,3],[4,5,6]]

        var (padded, before) = SpatialPadTransform.Pad(image, new long[] { 4, 6 }, "symmetric", "constant", 7);

        // Widths 2 and 3: (1, 1) and (1, 2), as MONAI's width // 2 before.
        Assert.Equal(new long[] { 1, 1 }, before);
        Assert.Equal(new long[] { 1, 4, 6 }, padded.shape);
        Assert.Equal(new float[]
        {
            7, 7, 7, 7, 7, 7,
            7, 1, 2, 3, 7, 7,
            7, 4, 5, 6, 7, 7,
            7, 7, 7, 7, 7, 7,
        }, Values(padded));
    }

    [Fact]
    public void EndPadsAfterOnly()
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.arange(1, 7, torch.ScalarType.Float32).reshape(1, 2, 3);

        var (padded, before) = SpatialPadTransform.Pad(image, new long[] { 3, 4 }, "end", "constant", 0);

        Assert.Equal(new long[] { 0, 0 }, before);
        Assert.Equal(new float[] { 1, 2, 3, 0, 4, 5, 6, 0, 0, 0, 0, 0 }, Values(padded));
    }

    [Theory]
    [InlineData("edge", new float[] { 1, 1, 1, 1, 2, 3, 3, 3, 3 })]
    [InlineData("replicate", new float[] { 1, 1, 1, 1, 2, 3, 3, 3, 3 })]
    [InlineData("reflect", new float[] { 2, 3, 2, 1, 2, 3, 2, 1, 2 })]
    [InlineData("symmetric", new float[] { 3, 2, 1, 1, 2, 3, 3, 2, 1 })]
    [InlineData("wrap", new float[] { 1, 2, 3, 1, 2, 3, 1, 2, 3 })]
    [InlineData("circular", new float[] { 1, 2, 3, 1, 2, 3, 1, 2, 3 })]
    public void BorderModesFollowNpPadEvenWhenWiderThanTheImage(string mode, float[] expected)
    {
        using var scope = torch.NewDisposeScope();

        var (padded, before) = SpatialPadTransform.Pad(Row(1, 2, 3), new long[] { 1, 9 }, "symmetric", mode, 0);

        Assert.Equal(new long[] { 0, 3 }, before);
        Assert.Equal(expected, Values(padded));
    }

    [Fact]
    public void ReflectPadsEveryAxis()
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.tensor(new float[] { 1, 2, 3, 4 }).reshape(1, 2, 2);

        var (padded, _) = SpatialPadTransform.Pad(image, new long[] { 4 }, "symmetric", "reflect", 0);

        Assert.Equal(new float[] { 4, 3, 4, 3, 2, 1, 2, 1, 4, 3, 4, 3, 2, 1, 2, 1 }, Values(padded));
    }

    [Fact]
    public void ReflectOfASingleVoxelRepeatsItAsNpPadDoes()
    {
        using var scope = torch.NewDisposeScope();

        var (padded, _) = SpatialPadTransform.Pad(Row(5), new long[] { 1, 4 }, "end", "reflect", 0);

        Assert.Equal(new float[] { 5, 5, 5, 5 }, Values(padded));
    }

    [Fact]
    public void ThreeDimensionalConstantPadPlacesTheImageAtPadBefore()
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.ones(2, 3, 4, 5);

        var (padded, before) = SpatialPadTransform.Pad(image, new long[] { 6, 4, 8 }, "symmetric", "constant", 0);

        Assert.Equal(new long[] { 2, 6, 4, 8 }, padded.shape);
        Assert.Equal(new long[] { 1, 0, 1 }, before);
        Assert.Equal(2 * 3 * 4 * 5, padded.sum().item<float>());
        Assert.Equal(120, padded.narrow(1, 1, 3).narrow(3, 1, 5).sum().item<float>());
    }

    [Fact]
    public void SizesAlreadyReachedOrNotPositiveAreLeftAloneAndTheResultIsACopy()
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.arange(6, dtype: torch.ScalarType.Float32).reshape(1, 2, 3);

        var (padded, before) = SpatialPadTransform.Pad(image, new long[] { 1, -1 }, "symmetric", "constant", 0);
        padded.fill_(-1);

        Assert.Equal(new long[] { 0, 0 }, before);
        Assert.Equal(new long[] { 1, 2, 3 }, padded.shape);
        Assert.Equal(Enumerable.Range(0, 6).Select(v => (float)v), Values(image));
    }

    [Theory]
    [InlineData("constant")]
    [InlineData("edge")]
    [InlineData("reflect")]
    [InlineData("symmetric")]
    [InlineData("wrap")]
    public void InvertRemovesThePaddingAndKeepsTheDtype(string mode)
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.arange(2 * 3 * 4 * 5, dtype: torch.ScalarType.Int16).reshape(2, 3, 4, 5);

        var (padded, before) = SpatialPadTransform.Pad(image, new long[] { 8, 5, 11 }, "symmetric", mode, 0);
        var restored = SpatialPadTransform.Invert(padded, before, new long[] { 3, 4, 5 });

        Assert.Equal(torch.ScalarType.Int16, padded.dtype);
        Assert.Equal(image.shape, restored.shape);
        Assert.True(restored.eq(image).all().item<bool>());
    }

    [Theory]
    [InlineData("mean")]
    [InlineData("median")]
    [InlineData("minimum")]
    [InlineData("maximum")]
    [InlineData("linear_ramp")]
    [InlineData("empty")]
    [InlineData("zeros")]
    public void RefusesModesItCannotReproduce(string mode)
    {
        using var scope = torch.NewDisposeScope();

        var ex = Assert.Throws<MdaiClaraException>(() => SpatialPadTransform.Pad(Row(1, 2, 3), new long[] { 1, 5 }, "symmetric", mode, 0));

        Assert.Equal(ErrorIds.TransformArgumentInvalid, ex.ErrorId);
        Assert.Contains($"\"{mode}\"", ex.Message);
    }

    [Fact]
    public void RefusesBadArguments()
    {
        using var scope = torch.NewDisposeScope();

        Assert.Contains("method", Assert.Throws<MdaiClaraException>(() => SpatialPadTransform.Pad(Row(1, 2), new long[] { 1, 5 }, "middle", "constant", 0)).Message);
        Assert.Contains("value", Assert.Throws<MdaiClaraException>(() => SpatialPadTransform.Pad(Row(1, 2), new long[] { 1, 5 }, "end", "edge", 3)).Message);
        Assert.Contains("spatial_size", Assert.Throws<MdaiClaraException>(() => SpatialPadTransform.Pad(Row(1, 2), new long[] { 1, 5, 6 }, "end", "constant", 0)).Message);
        Assert.Equal(ErrorIds.TransformInputInvalid,
            Assert.Throws<MdaiClaraException>(() => SpatialPadTransform.Invert(Row(1, 2), new long[] { 0, 1 }, new long[] { 1, 2 })).ErrorId);
    }
}
