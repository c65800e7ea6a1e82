using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Transforms;
using TorchSharp;
using Xunit;

namespace MdaiClara.Engine.Tests.Inference;

/// <summary>Crop then Invert: the data inside the box comes back at its place, zeros outside, the original size.</summary>
[Collection(TorchCollection.Name)]
public class CropInvertTests
{
    public CropInvertTests() => TorchRuntime.EnsureLoaded();

    public static TheoryData<string, MonaiSemantics, bool> RoundTrips => new()
    {
        { "margin0", MonaiSemantics.Monai1x, true },
        { "margin_cross_end", MonaiSemantics.Monai08, true },
        { "margin_cross_both", MonaiSemantics.Monai08, true },
        { "margin_cross_k_divisible", MonaiSemantics.Monai08, true },
        { "margin_cross_k_divisible", MonaiSemantics.Monai1x, true },
        { "margin_cross_both", MonaiSemantics.Monai1x, false },
        { "margin_cross_end", MonaiSemantics.Monai05, true },
    };

    [Theory]
    [MemberData(nameof(RoundTrips))]
    public void InvertRestoresTheDataInsideTheBox(string goldenCase, MonaiSemantics semantics, bool allowSmaller)
    {
        using var scope = torch.NewDisposeScope();
        var golden = CropPadGolden.Monai081("crop_foreground", goldenCase);
        var input = CropPadGolden.Read(golden.InputPath);
        var margin = CropPadGolden.IntOrList(golden.Args, "margin", 0);
        var k = CropPadGolden.IntOrList(golden.Args, "k_divisible", 1);

        var box = CropForegroundTransform.ComputeBox(input, null, null, margin, k, allowSmaller, semantics);
        var cropped = CropForegroundTransform.Crop(input, box);
        var restored = CropForegroundTransform.Invert(cropped, box, input.shape[1..]);

        Assert.Equal(input.shape, restored.shape);
        var inside = InsideMask(input.shape, box);
        Assert.True(restored.eq(input * inside).all().item<bool>());
        // A real case: something lies outside the box (the test would not see a wrong placement otherwise).
        Assert.True(inside.sum().item<float>() < input.shape.Skip(1).Aggregate(1L, (a, b) => a * b));
    }

    [Fact]
    public void InvertPlacesEveryChannelOfAPredictionAndZerosTheRest()
    {
        using var scope = torch.NewDisposeScope();
        var box = new CropBox(new long[] { 2, -1, 3 }, new long[] { 5, 3, 9 }); // passes the start of axis 1 and the end of axis 2
        var prediction = torch.rand(3, 3, 4, 6) + 1;

        var restored = CropForegroundTransform.Invert(prediction, box, new long[] { 6, 5, 7 });

        Assert.Equal(new long[] { 3, 6, 5, 7 }, restored.shape);
        // Inside: prediction[:, :, 1:, :4] at [2:5, 0:3, 3:7].
        Assert.True(restored.narrow(1, 2, 3).narrow(2, 0, 3).narrow(3, 3, 4).eq(prediction.narrow(2, 1, 3).narrow(3, 0, 4)).all().item<bool>());
        Assert.Equal(3 * 3 * 3 * 4, restored.gt(0).sum().item<long>());
    }

    [Fact]
    public void AnEmptyCropInvertsToZeros()
    {
        using var scope = torch.NewDisposeScope();
        var box = new CropBox(new long[] { 0, 0 }, new long[] { 0, 0 });

        var restored = CropForegroundTransform.Invert(torch.zeros(2, 0, 0), box, new long[] { 4, 3 });

        Assert.Equal(new long[] { 2, 4, 3 }, restored.shape);
        Assert.Equal(0, restored.abs().sum().item<float>());
    }

    [Fact]
    public void InvertRefusesDataOfAnotherSize()
    {
        using var scope = torch.NewDisposeScope();
        var box = new CropBox(new long[] { 1, 1 }, new long[] { 3, 4 });

        var ex = Assert.Throws<MdaiClaraException>(() => CropForegroundTransform.Invert(torch.zeros(1, 2, 2), box, new long[] { 5, 5 }));

        Assert.Equal(ErrorIds.TransformInputInvalid, ex.ErrorId);
        Assert.Contains("[2, 3]", ex.Message);
    }

    private static torch.Tensor InsideMask(long[] shape, CropBox box)
    {
        var mask = torch.zeros(shape);
        var view = mask;
        for (var d = 0; d < box.Start.Length; d++)
        {
            var low = System.Math.Max(box.Start[d], 0);
            var high = System.Math.Min(box.End[d], shape[d + 1]);
            view = view.narrow(d + 1, low, high - low);
        }

        view.fill_(1);
        return mask;
    }
}
