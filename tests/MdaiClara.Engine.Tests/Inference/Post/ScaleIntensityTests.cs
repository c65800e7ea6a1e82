using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Transforms;
using MdaiClara.Engine.Tests.TestSupport;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace MdaiClara.Engine.Tests.Inference.Post;

/// <summary>
/// ScaleIntensity has no unit group in the golden set; the classification pipeline runs it (minv 0, maxv 1) on the
/// loaded PNG, identically in MONAI 0.8.1 and 1.3.2, and records its input and output.
/// </summary>
[Collection(TorchCollection.Name)]
public class ScaleIntensityTests
{
    private readonly ITestOutputHelper _output;

    public ScaleIntensityTests(ITestOutputHelper output)
    {
        _output = output;
        TorchRuntime.EnsureLoaded();
    }

    [Fact]
    public void MatchesTheClassificationPipeline()
    {
        using var scope = torch.NewDisposeScope();
        var loaded = Npy.ReadTensor(TestPaths.Golden("pipelines/cls_png8/intermediates/00_LoadImaged.npy")).unsqueeze(0);
        var expected = Npy.ReadTensor(TestPaths.Golden("pipelines/cls_png8/intermediates/02_ScaleIntensityd.npy"));

        var actual = IntensityTransforms.ScaleIntensity(loaded, 0.0, 1.0, null, channelWise: false);

        var difference = GoldenUnitCases.MaxAbsDifference(actual, expected);
        _output.WriteLine($"ScaleIntensity cls_png8: max abs diff {difference:G3}");
        Assert.InRange(difference, 0, GoldenUnitCases.IntensityTolerance(expected));
        Assert.Equal(torch.ScalarType.Float32, actual.dtype);
    }

    [Fact]
    public void ChannelWiseRescalesEachChannelToTheRange()
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.tensor(new float[] { 0, 5, 10, 100, 150, 200 }).reshape(2, 3);

        var scaled = IntensityTransforms.ScaleIntensity(image, -1.0, 1.0, null, channelWise: true);

        Assert.Equal(new float[] { -1, 0, 1, -1, 0, 1 }, scaled.data<float>().ToArray());
    }

    [Fact]
    public void OnlyOneBoundGivesTheUnitRange()
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.tensor(new float[] { 2, 4, 6 }).reshape(1, 3);

        var scaled = IntensityTransforms.ScaleIntensity(image, 5.0, null, null, channelWise: false);

        Assert.Equal(new float[] { 0, 0.5f, 1 }, scaled.data<float>().ToArray());
    }

    [Fact]
    public void AConstantImageBecomesImageTimesMinv()
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.full(new long[] { 1, 2, 2 }, 3f);

        Assert.Equal(new float[] { 6, 6, 6, 6 }, IntensityTransforms.ScaleIntensity(image, 2.0, 5.0, null, false).data<float>().ToArray());
        Assert.Equal(new float[] { 3, 3, 3, 3 }, IntensityTransforms.ScaleIntensity(image, null, 5.0, null, false).data<float>().ToArray());
    }

    [Fact]
    public void FactorScalesWhenNoRangeIsGiven()
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.tensor(new short[] { 2, -4 }).reshape(1, 2);

        var scaled = IntensityTransforms.ScaleIntensity(image, null, null, 0.5, channelWise: false);

        Assert.Equal(torch.ScalarType.Float32, scaled.dtype);
        Assert.Equal(new float[] { 3, -6 }, scaled.data<float>().ToArray());
    }
}
