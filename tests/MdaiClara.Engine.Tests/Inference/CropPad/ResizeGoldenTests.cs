using System.Linq;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Spatial;
using MdaiClara.Engine.Inference.Transforms;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace MdaiClara.Engine.Tests.Inference;

/// <summary>Resize against MONAI 1.3.2 (unit/resize) with Monai1x, and the same cases with Monai08 (all bit-identical in 0.8.1).</summary>
[Collection(TorchCollection.Name)]
public class ResizeGoldenTests
{
    private const string Group = "resize";
    private readonly ITestOutputHelper output;

    public ResizeGoldenTests(ITestOutputHelper output)
    {
        TorchRuntime.EnsureLoaded();
        this.output = output;
    }

    private static readonly string[] Names =
    {
        "area_2d_down", "area_2d_up", "bilinear_2d_up", "bilinear_align_corners_2d", "longest_2d", "nearest_3d", "trilinear_3d",
    };

    public static TheoryData<string> Cases => new(Names);

    [Fact]
    public void TheCaseListCoversEveryGoldenCase()
    {
        var statuses = CropPadGolden.Statuses081(Group);
        Assert.Equal(statuses.Keys.OrderBy(n => n), Names.OrderBy(n => n));
        Assert.All(statuses.Values, status => Assert.Equal("identical_to_1.3.2", status));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesMonai132(string name) =>
        Check(CropPadGolden.Unit132(Group, name), MonaiSemantics.Monai1x, "1.3.2");

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesMonai081(string name) =>
        Check(CropPadGolden.Monai081(Group, name), MonaiSemantics.Monai08, "0.8.1");

    private void Check(CropPadGolden.Case golden, MonaiSemantics semantics, string version)
    {
        using var scope = torch.NewDisposeScope();
        var input = CropPadGolden.Read(golden.InputPath);
        var expected = CropPadGolden.Read(golden.OutputPath);
        var args = golden.Args;
        var mode = CropPadGolden.Mode(CropPadGolden.String(args, "mode", "area"));

        var resized = ResizeTransform.Resize(input, CropPadGolden.IntOrList(args, "spatial_size", 0), CropPadGolden.String(args, "size_mode", "all"),
            mode, CropPadGolden.OptionalBool(args, "align_corners"), antiAliasing: false, antiAliasingSigma: null, semantics);

        Assert.Equal(torch.ScalarType.Float32, resized.dtype);
        var exact = mode is Interpolation.Nearest or Interpolation.NearestExact;
        var diff = CropPadGolden.AssertClose(expected, resized, exact, $"{version} {golden.Name}");
        output.WriteLine($"resize/{golden.Name} vs MONAI {version}: shape [{string.Join(",", resized.shape)}], max abs diff {diff:G6}{(exact ? " (must be identical)" : "")}");
    }
}
