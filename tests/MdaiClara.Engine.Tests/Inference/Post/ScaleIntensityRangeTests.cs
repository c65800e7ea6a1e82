using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Transforms;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace MdaiClara.Engine.Tests.Inference.Post;

[Collection(TorchCollection.Name)]
public class ScaleIntensityRangeTests
{
    private const string Group = "scale_intensity_range";
    private readonly ITestOutputHelper _output;

    public ScaleIntensityRangeTests(ITestOutputHelper output)
    {
        _output = output;
        TorchRuntime.EnsureLoaded();
    }

    public static IEnumerable<object[]> Monai132Cases => GoldenUnitCases.Names(GoldenUnitCases.Monai132Index, Group);

    public static IEnumerable<object[]> Monai081Cases => GoldenUnitCases.Names(GoldenUnitCases.Monai081Index, Group);

    [Theory]
    [MemberData(nameof(Monai132Cases))]
    public void MatchesMonai132(string name) => AssertMatches(GoldenUnitCases.Monai132(Group, name), "1.3.2");

    [Theory]
    [MemberData(nameof(Monai081Cases))]
    public void MatchesMonai081(string name) => AssertMatches(GoldenUnitCases.Monai081(Group, name), "0.8.1");

    [Fact]
    public void EqualInputBoundsShiftOnly()
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.tensor(new float[] { -5, 0, 7 }).reshape(1, 3);

        var shifted = IntensityTransforms.ScaleIntensityRange(image, 2, 2, 10, 20, clip: true);

        Assert.Equal(new float[] { 3, 8, 15 }, shifted.data<float>().ToArray());
    }

    [Fact]
    public void ClipLeavesAMissingBoundOpen()
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.tensor(new float[] { -100, 50, 300 }).reshape(1, 3);

        var scaled = IntensityTransforms.ScaleIntensityRange(image, 0, 100, 0, null, clip: true);

        Assert.Equal(new float[] { 0, 0.5f, 3 }, scaled.data<float>().ToArray());
        Assert.Equal(torch.ScalarType.Float32, scaled.dtype);
    }

    [Fact]
    public void ClipWithoutAnyBoundIsRefused()
    {
        using var scope = torch.NewDisposeScope();
        var ex = Assert.Throws<MdaiClaraException>(() => IntensityTransforms.ScaleIntensityRange(torch.zeros(1, 2), 0, 1, null, null, clip: true));

        Assert.Equal(ErrorIds.TransformArgumentInvalid, ex.ErrorId);
        Assert.Contains("clip", ex.Message);
    }

    [Fact]
    public void IntegerInputBecomesFloat32()
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.tensor(new short[] { -57, 164 }).reshape(1, 2);

        var scaled = IntensityTransforms.ScaleIntensityRange(image, -57, 164, 0, 1, clip: true);

        Assert.Equal(torch.ScalarType.Float32, scaled.dtype);
        Assert.Equal(new float[] { 0, 1 }, scaled.data<float>().ToArray());
    }

    [Fact]
    public void Float64InputIsComputedInFloat64ThenCast()
    {
        // MONAI works in the input's dtype and casts to float32 at the end.
        using var scope = torch.NewDisposeScope();
        var values = new[] { 0.1, 1234.5678901, -57.000001 };

        var scaled = IntensityTransforms.ScaleIntensityRange(torch.tensor(values).reshape(1, 3), -57, 164, 0, 1, clip: false);

        Assert.Equal(torch.ScalarType.Float32, scaled.dtype);
        Assert.Equal(values.Select(v => (float)((v - -57.0) / 221.0)).ToArray(), scaled.data<float>().ToArray());
    }

    private void AssertMatches(GoldenUnitCase golden, string version)
    {
        using var scope = torch.NewDisposeScope();
        var args = golden.Args;

        var actual = IntensityTransforms.ScaleIntensityRange(golden.Input(), args.Number("a_min")!.Value, args.Number("a_max")!.Value, args.Number("b_min"), args.Number("b_max"), args.Flag("clip"));

        var expected = golden.Output();
        var difference = GoldenUnitCases.MaxAbsDifference(actual, expected);
        var tolerance = GoldenUnitCases.IntensityTolerance(expected);
        _output.WriteLine($"{version} {Group}/{golden.Name}: max abs diff {difference:G3} (tolerance {tolerance:G3})");
        Assert.Equal(torch.ScalarType.Float32, actual.dtype);
        Assert.InRange(difference, 0, tolerance);
    }
}
