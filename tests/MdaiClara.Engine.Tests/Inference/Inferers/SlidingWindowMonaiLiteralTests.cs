using System;
using System.Linq;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Inferers;
using TorchSharp;
using Xunit;

namespace MdaiClara.Engine.Tests.Inference.Inferers;

/// <summary>
/// MONAI's own sliding-window unit tests (tests/test_sliding_window_inference.py, the same numbers at 0.8.1 and
/// 1.3.2), with their literal expectations, under both semantics: <c>test_sigma</c> pins window order, chunking and
/// weighting, <c>test_cval</c> the padding value, <c>test_sliding_window_default</c> shapes from 1-D to 4-D.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class SlidingWindowMonaiLiteralTests
{
    // test_sigma, mode "constant": 7×7 ones, roi 3×3, overlap 0.5 → 25 windows in chunks of 10, 10, 5; the predictor
    // adds 2, 3, 4 on its successive calls.
    private static readonly double[] SigmaConstantRows = { 3.0, 3.0, 3.3333, 3.6667, 4.3333, 4.5, 5.0 };

    // test_sigma, mode "gaussian", sigma_scale 1.0.
    private static readonly double[,] SigmaGaussian =
    {
        { 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0 },
        { 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0 },
        { 3.3271625, 3.3271623, 3.3271623, 3.3271623, 3.3271623, 3.3271623, 3.3271625 },
        { 3.6728377, 3.6728377, 3.6728377, 3.6728377, 3.6728377, 3.6728377, 3.6728377 },
        { 4.3271623, 4.3271623, 4.3271627, 4.3271627, 4.3271627, 4.3271623, 4.3271623 },
        { 4.513757, 4.513757, 4.513757, 4.513757, 4.513757, 4.513757, 4.513757 },
        { 4.9999995, 5.0, 5.0, 5.0, 5.0, 5.0, 4.9999995 },
    };

    public SlidingWindowMonaiLiteralTests() => TorchRuntime.EnsureLoaded();

    public static TheoryData<MonaiSemantics> BothSemantics => new() { MonaiSemantics.Monai08, MonaiSemantics.Monai1x };

    // image shape, roi, sw_batch_size, overlap, mode: MONAI 0.8.1's TEST_CASES without its two repeated rows (one of
    // them the CUDA variant of a CPU row), each under both semantics; a one-value roi is MONAI's scalar roi_size.
    public static TheoryData<long[], long[], int, double, string, MonaiSemantics> DefaultCases()
    {
        var rows = new (long[] Shape, long[] Roi, int Batch, double Overlap, string Mode)[]
        {
            (new long[] { 2, 3, 16 }, new long[] { 4 }, 3, 0.25, "constant"),
            (new long[] { 2, 3, 16, 15, 7, 9 }, new long[] { 4 }, 3, 0.25, "constant"),
            (new long[] { 1, 3, 16, 15, 7 }, new long[] { 4, -1, 7 }, 3, 0.25, "constant"),
            (new long[] { 2, 3, 16, 15, 7 }, new long[] { 4, -1, 7 }, 3, 0.25, "constant"),
            (new long[] { 3, 3, 16, 15, 7 }, new long[] { 4, -1, 7 }, 3, 0.25, "constant"),
            (new long[] { 1, 3, 16, 15, 7 }, new long[] { 4, 10, 7 }, 3, 0.25, "constant"),
            (new long[] { 1, 3, 16, 15, 7 }, new long[] { 20, 22, 23 }, 10, 0.25, "constant"),
            (new long[] { 2, 3, 15, 7 }, new long[] { 2, 6 }, 1000, 0.25, "constant"),
            (new long[] { 1, 3, 16, 7 }, new long[] { 80, 50 }, 7, 0.25, "constant"),
            (new long[] { 1, 3, 16, 15, 7 }, new long[] { 20, 22, 23 }, 10, 0.5, "constant"),
            (new long[] { 1, 3, 16, 7 }, new long[] { 80, 50 }, 7, 0.5, "gaussian"),
            (new long[] { 1, 3, 16, 15, 7 }, new long[] { 4, 10, 7 }, 3, 0.25, "gaussian"),
            (new long[] { 3, 3, 16, 15, 7 }, new long[] { 4, 10, 7 }, 3, 0.25, "gaussian"),
            (new long[] { 1, 3, 16, 15, 7 }, new long[] { 4, 1, 7 }, 3, 0.25, "constant"),
            (new long[] { 5, 3, 16, 15, 7 }, new long[] { 4, 1, 7 }, 3, 0.25, "constant"),
        };
        var data = new TheoryData<long[], long[], int, double, string, MonaiSemantics>();
        foreach (var semantics in new[] { MonaiSemantics.Monai08, MonaiSemantics.Monai1x })
        {
            foreach (var row in rows)
            {
                data.Add(row.Shape, row.Roi, row.Batch, row.Overlap, row.Mode, semantics);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BothSemantics))]
    public void TestSigmaConstant(MonaiSemantics semantics)
    {
        var expected = new double[7, 7];
        for (var row = 0; row < 7; row++)
        {
            for (var column = 0; column < 7; column++)
            {
                expected[row, column] = SigmaConstantRows[row];
            }
        }

        AssertSigmaCase(BlendMode.Constant, new[] { 1.0 }, semantics, expected);
    }

    [Theory]
    [MemberData(nameof(BothSemantics))]
    public void TestSigmaGaussian(MonaiSemantics semantics)
    {
        AssertSigmaCase(BlendMode.Gaussian, new[] { 1.0 }, semantics, SigmaGaussian);
        AssertSigmaCase(BlendMode.Gaussian, new[] { 1.0, 1.0 }, semantics, SigmaGaussian);
    }

    [Theory]
    [MemberData(nameof(BothSemantics))]
    public void TestCval(MonaiSemantics semantics)
    {
        // roi 5×5 over a 3×3 image of ones: one window padded with -1, so each voxel gets 1 + (9 - 16) = -6.
        using var inferer = new SlidingWindowInferer(new SlidingWindowOptions(new long[] { 5, 5 }, 10, new[] { 0.5 }, BlendMode.Constant, new[] { 1.0 }, "constant", -1), semantics);
        using var scope = torch.NewDisposeScope();

        var result = inferer.Infer(torch.ones(1, 1, 3, 3), data => data + data.sum());

        Assert.Equal(new long[] { 1, 1, 3, 3 }, result.shape);
        Assert.All(result.data<float>().ToArray(), value => AssertClose(-6.0, value, 1e-4));
    }

    [Theory]
    [MemberData(nameof(DefaultCases))]
    public void TestSlidingWindowDefault(long[] shape, long[] roi, int swBatchSize, double overlap, string mode, MonaiSemantics semantics)
    {
        using var inferer = new SlidingWindowInferer(
            new SlidingWindowOptions(roi, swBatchSize, new[] { overlap }, mode == "gaussian" ? BlendMode.Gaussian : BlendMode.Constant), semantics);
        using var scope = torch.NewDisposeScope();
        var count = shape.Aggregate(1L, (a, b) => a * b);
        var inputs = mode == "constant" ? torch.arange(count, torch.ScalarType.Float32).reshape(shape) : torch.ones(shape);

        var result = inferer.Infer(inputs, data => data + 1);

        Assert.Equal(shape, result.shape);
        var expected = (inputs + 1).data<float>().ToArray();
        var actual = result.data<float>().ToArray();
        Assert.All(Enumerable.Range(0, actual.Length), i => AssertClose(expected[i], actual[i], 1e-7));
    }

    private static void AssertSigmaCase(BlendMode mode, double[] sigmaScale, MonaiSemantics semantics, double[,] expected)
    {
        var options = new SlidingWindowOptions(new long[] { 3, 3 }, 10, new[] { 0.5 }, mode, sigmaScale, "constant", -1);
        using var inferer = new SlidingWindowInferer(options, semantics);
        using var scope = torch.NewDisposeScope();
        var add = 1;

        var result = inferer.Infer(torch.ones(1, 1, 7, 7), data => data + ++add);

        Assert.Equal(new long[] { 1, 1, 7, 7 }, result.shape);
        Assert.Equal(4, add);
        var values = result.data<float>().ToArray();
        for (var row = 0; row < 7; row++)
        {
            for (var column = 0; column < 7; column++)
            {
                AssertClose(expected[row, column], values[(row * 7) + column], 1e-4);
            }
        }
    }

    // numpy.testing.assert_allclose with atol 0.
    private static void AssertClose(double expected, double actual, double rtol) =>
        Assert.True(Math.Abs(actual - expected) <= rtol * Math.Abs(expected), $"expected {expected} (rtol {rtol}), got {actual}");
}
