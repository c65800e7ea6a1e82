using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Spatial;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Tests.Inference.Spatial;

/// <summary>The 3-D nearest sampler: grid_sample's coordinates and padding, with pre-2.1 PyTorch's tie rounding.</summary>
[Collection(TorchCollection.Name)]
public class NearestGridSamplerTests
{
    public NearestGridSamplerTests() => TorchRuntime.EnsureLoaded();

    [Theory]
    [InlineData(GridSamplePaddingMode.Zeros, false)]
    [InlineData(GridSamplePaddingMode.Zeros, true)]
    [InlineData(GridSamplePaddingMode.Border, false)]
    [InlineData(GridSamplePaddingMode.Border, true)]
    [InlineData(GridSamplePaddingMode.Reflection, false)]
    [InlineData(GridSamplePaddingMode.Reflection, true)]
    public void AgreesWithGridSampleAwayFromTies(GridSamplePaddingMode padding, bool alignCorners)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(7);
        var image = rand(new long[] { 2, 5, 6, 7 }, dtype: ScalarType.Float64, generator: generator);

        // Random coordinates well beyond [-1, 1] exercise every padding branch; they never land exactly on a tie.
        var grid = (rand(new long[] { 1, 8, 9, 10, 3 }, dtype: ScalarType.Float64, generator: generator) * 5) - 2.5;

        var ours = NearestGridSampler.Sample(image, grid, padding, alignCorners);
        var torchs = nn.functional.grid_sample(image.unsqueeze(0), grid, GridSampleMode.Nearest, padding, alignCorners).squeeze(0).to_type(ScalarType.Float32);

        Assert.True(ours.eq(torchs).all().item<bool>(), "nearest sampling differs from grid_sample");
    }

    [Fact]
    public void RoundsHalfwayIndicesAwayFromZero()
    {
        using var scope = NewDisposeScope();
        var image = (arange(4, dtype: ScalarType.Float32) + 10).reshape(1, 4, 1, 1);

        // align_corners=false on 4 voxels: index = ((g + 1)·4 − 1)/2, so g = −1, −0.5, 0, 0.5 give −0.5, 0.5, 1.5, 2.5.
        var grid = zeros(new long[] { 1, 4, 1, 1, 3 }, ScalarType.Float64);
        grid[0, TensorIndex.Colon, 0, 0, 2] = tensor(new[] { -1.0, -0.5, 0, 0.5 }, ScalarType.Float64);

        var ours = NearestGridSampler.Sample(image, grid, GridSamplePaddingMode.Zeros, alignCorners: false);
        var torchs = nn.functional.grid_sample(image.unsqueeze(0), grid.to_type(ScalarType.Float32), GridSampleMode.Nearest, GridSamplePaddingMode.Zeros, false);

        // −0.5 → −1 (outside: zero), 0.5 → 1, 1.5 → 2, 2.5 → 3; PyTorch ≥ 2.1 rounds to even: 0, 0, 2, 2.
        Assert.Equal(new float[] { 0, 11, 12, 13 }, ours.flatten().data<float>().ToArray());
        Assert.Equal(new float[] { 10, 10, 12, 12 }, torchs.flatten().data<float>().ToArray());
    }
}
