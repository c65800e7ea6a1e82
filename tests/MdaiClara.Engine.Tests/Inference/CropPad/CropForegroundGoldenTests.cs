using System.Linq;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Transforms;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace MdaiClara.Engine.Tests.Inference;

/// <summary>CropForeground against MONAI 1.3.2 (unit/crop_foreground) and MONAI 0.8.1 (monai-0.8.1/unit): boxes identical, data within tolerance.</summary>
[Collection(TorchCollection.Name)]
public class CropForegroundGoldenTests
{
    private const string Group = "crop_foreground";
    private readonly ITestOutputHelper output;

    public CropForegroundGoldenTests(ITestOutputHelper output)
    {
        TorchRuntime.EnsureLoaded();
        this.output = output;
    }

    private static readonly string[] Names132 = { "margin0", "margin3", "margin_k_divisible" };

    private static readonly string[] NewNames081 = { "margin_cross_start", "margin_cross_end", "margin_cross_both", "margin_cross_k_divisible" };

    public static TheoryData<string> Cases132 => new(Names132);

    public static TheoryData<string> Cases081 => new(Names132.Concat(NewNames081));

    public static TheoryData<string> NewCases081 => new(NewNames081);

    [Fact]
    public void TheCaseListsCoverEveryGoldenCase()
    {
        Assert.Equal(CropPadGolden.Statuses081(Group).Keys.OrderBy(n => n), Names132.Concat(NewNames081).OrderBy(n => n));
        Assert.All(CropPadGolden.Statuses081(Group).Values, status => Assert.Contains(status, new[] { "identical_to_1.3.2", "differs", "new" }));
    }

    [Theory]
    [MemberData(nameof(Cases132))]
    public void MatchesMonai132(string name) =>
        Check(CropPadGolden.Unit132(Group, name), MonaiSemantics.Monai1x, "1.3.2");

    [Theory]
    [MemberData(nameof(Cases081))]
    public void MatchesMonai081(string name) =>
        Check(CropPadGolden.Monai081(Group, name), MonaiSemantics.Monai08, "0.8.1");

    /// <summary>The new 0.8.1 cases also record what 1.3.2 gives; Monai1x must give that.</summary>
    [Theory]
    [MemberData(nameof(NewCases081))]
    public void MatchesWhatMonai132GivesForTheBorderCases(string name) =>
        Check(CropPadGolden.Monai132OfNew081(Group, name), MonaiSemantics.Monai1x, "1.3.2 (recorded with the 0.8.1 case)");

    private void Check(CropPadGolden.Case golden, MonaiSemantics semantics, string version)
    {
        using var scope = torch.NewDisposeScope();
        var input = CropPadGolden.Read(golden.InputPath);
        var expected = CropPadGolden.Read(golden.OutputPath);
        var margin = CropPadGolden.IntOrList(golden.Args, "margin", 0);
        var k = CropPadGolden.IntOrList(golden.Args, "k_divisible", 1);

        var box = CropForegroundTransform.ComputeBox(input, null, null, margin, k, allowSmaller: true, semantics);
        var cropped = CropForegroundTransform.Crop(input, box);

        Assert.NotNull(golden.BoxStart);
        Assert.Equal(golden.BoxStart, box.Start);
        Assert.Equal(golden.BoxEnd, box.End);
        Assert.Equal(torch.ScalarType.Float32, cropped.dtype);
        var diff = CropPadGolden.AssertClose(expected, cropped, exact: false, $"{version} {golden.Name}");
        output.WriteLine($"crop_foreground/{golden.Name} vs MONAI {version}: box [{string.Join(",", box.Start)}]-[{string.Join(",", box.End)}], shape [{string.Join(",", cropped.shape)}], max abs diff {diff:G6}");
    }
}
