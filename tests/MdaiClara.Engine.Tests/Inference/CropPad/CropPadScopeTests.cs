using System;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Spatial;
using MdaiClara.Engine.Inference.Transforms;
using TorchSharp;
using Xunit;

namespace MdaiClara.Engine.Tests.Inference;

/// <summary>Each operation leaves exactly its result in the caller's dispose scope: temporaries are freed, nothing leaks.</summary>
[Collection(TorchCollection.Name)]
public class CropPadScopeTests
{
    public CropPadScopeTests() => TorchRuntime.EnsureLoaded();

    public static TheoryData<string> Operations => new()
    {
        "ComputeBox", "Crop", "Invert", "Pad", "PadReflect", "PadInvert", "Resize", "ResizeAntiAliased", "ResizeUnchanged",
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public void OnlyTheResultIsLeftInTheCallersScope(string operation)
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.zeros(2, 9, 8, 7);
        image[0, 3, 4, 2] = torch.tensor(1f);
        var box = new CropBox(new long[] { -1, 2, 3 }, new long[] { 5, 10, 6 });
        var before = scope.DisposablesCount;

        Func<object> run = operation switch
        {
            "ComputeBox" => () => CropForegroundTransform.ComputeBox(image, x => x.gt(0.5), new long[] { 0 }, new long[] { 2 }, new long[] { 4 }, true, MonaiSemantics.Monai08),
            "Crop" => () => CropForegroundTransform.Crop(image, box),
            "Invert" => () => CropForegroundTransform.Invert(torch.zeros(3, 6, 8, 3), box, new long[] { 9, 8, 7 }),
            "Pad" => () => SpatialPadTransform.Pad(image, new long[] { 12, 8, 9 }, "symmetric", "constant", 0).Padded,
            "PadReflect" => () => SpatialPadTransform.Pad(image, new long[] { 12, 8, 9 }, "symmetric", "reflect", 0).Padded,
            "PadInvert" => () => SpatialPadTransform.Invert(image, new long[] { 1, 0, 2 }, new long[] { 7, 8, 5 }),
            "Resize" => () => ResizeTransform.Resize(image, new long[] { 4, 16, 7 }, "all", Interpolation.Trilinear, null, false, null, MonaiSemantics.Monai08),
            "ResizeAntiAliased" => () => ResizeTransform.Resize(image, new long[] { 4, 6, 7 }, "all", Interpolation.Area, null, true, null, MonaiSemantics.Monai1x),
            _ => () => ResizeTransform.Resize(image, new long[] { 9, 8, 7 }, "all", Interpolation.Area, null, false, null, MonaiSemantics.Monai1x),
        };

        // Inputs the lambda itself makes (the Invert data) count once.
        var expectedResults = operation switch { "ComputeBox" => 0, "Invert" => 2, _ => 1 };
        var result = run();

        Assert.Equal(before + expectedResults, scope.DisposablesCount);
        if (result is torch.Tensor tensor)
        {
            Assert.False(tensor.IsInvalid);
        }
    }
}
