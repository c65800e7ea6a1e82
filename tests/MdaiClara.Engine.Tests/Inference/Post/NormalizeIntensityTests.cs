using System;
using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Transforms;
using MdaiClara.Engine.Tests.TestSupport;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace MdaiClara.Engine.Tests.Inference.Post;

[Collection(TorchCollection.Name)]
public class NormalizeIntensityTests
{
    private const string Group = "normalize_intensity";
    private readonly ITestOutputHelper _output;

    public NormalizeIntensityTests(ITestOutputHelper output)
    {
        _output = output;
        TorchRuntime.EnsureLoaded();
    }

    public static IEnumerable<object[]> Monai132Cases => GoldenUnitCases.Names(GoldenUnitCases.Monai132Index, Group);

    public static IEnumerable<object[]> Monai081Cases => GoldenUnitCases.Names(GoldenUnitCases.Monai081Index, Group);

    [Theory]
    [MemberData(nameof(Monai132Cases))]
    public void MatchesMonai132(string name) => AssertMatches(GoldenUnitCases.Monai132(Group, name), MonaiSemantics.Monai1x);

    [Theory]
    [MemberData(nameof(Monai081Cases))]
    public void MatchesMonai081(string name) => AssertMatches(GoldenUnitCases.Monai081(Group, name), MonaiSemantics.Monai08);

    [Theory]
    [InlineData(MonaiSemantics.Monai08)]
    [InlineData(MonaiSemantics.Monai1x)]
    public void NonzeroNormalisesOnlyTheNonZeroVoxels(MonaiSemantics semantics)
    {
        // MONAI's test_normalize_intensity: nonzero=True on [0, 1, 2, 3] → mean 2, std sqrt(2/3).
        using var scope = torch.NewDisposeScope();
        var image = torch.tensor(new float[] { 0, 1, 2, 3 }).reshape(1, 4);

        var normalized = IntensityTransforms.NormalizeIntensity(image, null, null, nonzero: true, channelWise: false, semantics).data<float>().ToArray();

        var std = System.Math.Sqrt(2.0 / 3.0);
        Assert.Equal(0f, normalized[0]);
        Assert.Equal(-1 / std, normalized[1], 6);
        Assert.Equal(0, normalized[2], 6);
        Assert.Equal(1 / std, normalized[3], 6);
    }

    [Theory]
    [InlineData(MonaiSemantics.Monai08)]
    [InlineData(MonaiSemantics.Monai1x)]
    public void ExplicitValuesPerChannelAndAZeroDivisorCountsAsOne(MonaiSemantics semantics)
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2);

        var normalized = IntensityTransforms.NormalizeIntensity(image, new[] { 1.0, 2.0 }, new[] { 2.0, 0.0 }, nonzero: false, channelWise: true, semantics);

        Assert.Equal(new float[] { 0, 0.5f, 1, 2 }, normalized.data<float>().ToArray());
    }

    [Theory]
    [InlineData(MonaiSemantics.Monai08)]
    [InlineData(MonaiSemantics.Monai1x)]
    public void AConstantImageOnlyLosesItsMean(MonaiSemantics semantics)
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.full(new long[] { 1, 3, 3 }, 7f);

        var normalized = IntensityTransforms.NormalizeIntensity(image, null, null, nonzero: false, channelWise: false, semantics);

        Assert.Equal(0f, normalized.abs().max().item<float>());
    }

    [Fact]
    public void AnAllZeroImageIsReturnedUnchangedWithNonzero()
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.zeros(new long[] { 2, 3 }, dtype: torch.ScalarType.Int16);

        var normalized = IntensityTransforms.NormalizeIntensity(image, null, null, nonzero: true, channelWise: true, MonaiSemantics.Monai08);

        Assert.Equal(torch.ScalarType.Float32, normalized.dtype);
        Assert.Equal(0f, normalized.abs().max().item<float>());
    }

    [Fact]
    public void ChannelWiseValuesMustMatchTheChannels()
    {
        using var scope = torch.NewDisposeScope();
        var ex = Assert.Throws<MdaiClaraException>(() => IntensityTransforms.NormalizeIntensity(torch.ones(3, 4), new[] { 1.0, 2.0 }, null, false, true, MonaiSemantics.Monai1x));

        Assert.Equal(ErrorIds.TransformArgumentInvalid, ex.ErrorId);
        Assert.Contains("subtrahend", ex.Message);
    }

    [Fact]
    public void NumpySumIsExactWhereASequentialFloat32SumIsNot()
    {
        // 2^24 + 8 ones: a sequential float32 sum sticks at 2^24, NumPy's buffered pairwise one does not.
        using var scope = torch.NewDisposeScope();
        var count = (1L << 24) + 8;
        var sum = NumpyStatistics.Sum(torch.ones(count, dtype: torch.ScalarType.Float32));

        Assert.Equal((float)count, sum.item<float>());
    }

    [Fact]
    public void NumpyStatisticsMatchNumpy()
    {
        // NumPy is the reference peer: float32 np.mean/np.std of samples around the pairwise block sizes and far beyond.
        var random = new Random(17);
        var sizes = new[] { 1, 7, 8, 9, 127, 128, 129, 300, 1000, 8191, 8193, 100_003, 1_000_000 };
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mdaiclara-numpy-statistics-" + Environment.ProcessId);
        System.IO.Directory.CreateDirectory(folder);
        try
        {
            var samples = sizes.Select(size => Enumerable.Range(0, size).Select(_ => (float)(random.NextDouble() * 400 - 57)).ToArray()).ToArray();
            for (var i = 0; i < samples.Length; i++)
            {
                System.IO.File.WriteAllBytes(System.IO.Path.Combine(folder, $"{i}.f32"), System.Runtime.InteropServices.MemoryMarshal.AsBytes(samples[i].AsSpan()).ToArray());
            }

            const string script = "import sys, json, numpy as np\nout = []\nfor i in range(int(sys.argv[2])):\n    a = np.fromfile(f'{sys.argv[1]}/{i}.f32', dtype=np.float32)\n    out.append([float(np.mean(a)), float(np.std(a))])\nprint(json.dumps(out))";
            var expected = System.Text.Json.JsonSerializer.Deserialize<double[][]>(PythonPeer.Run(script, folder, samples.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)))!;

            for (var i = 0; i < samples.Length; i++)
            {
                using var scope = torch.NewDisposeScope();
                var (mean, std) = NumpyStatistics.MeanAndPopulationStd(torch.tensor(samples[i]));
                Assert.Equal((float)expected[i][0], mean.item<float>());
                Assert.Equal((float)expected[i][1], std.item<float>());
            }
        }
        finally
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }

    private void AssertMatches(GoldenUnitCase golden, MonaiSemantics semantics)
    {
        using var scope = torch.NewDisposeScope();
        var args = golden.Args;

        var actual = IntensityTransforms.NormalizeIntensity(golden.Input(), args.Numbers("subtrahend"), args.Numbers("divisor"), args.Flag("nonzero"), args.Flag("channel_wise"), semantics);

        var expected = golden.Output();
        var difference = GoldenUnitCases.MaxAbsDifference(actual, expected);
        var tolerance = GoldenUnitCases.IntensityTolerance(expected);
        _output.WriteLine($"{semantics} {Group}/{golden.Name} ({golden.Status}): max abs diff {difference:G3} (tolerance {tolerance:G3})");
        Assert.Equal(torch.ScalarType.Float32, actual.dtype);
        Assert.InRange(difference, 0, tolerance);
    }
}
