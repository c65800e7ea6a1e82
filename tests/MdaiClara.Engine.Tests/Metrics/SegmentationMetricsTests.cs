using System;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Metrics;
using Xunit;

namespace MdaiClara.Engine.Tests.Metrics;

public class SegmentationMetricsTests
{
    private static readonly SegmentationClass[] One = { new(1, "organ") };

    [Fact]
    public void CountsVolumesAndDistancesOfTwoShiftedCubesInMillimetres()
    {
        // 4×4×4 cubes, the prediction one voxel further along i; spacing 2 × 1 × 3 mm.
        var truth = Cubes(12, 10, 8, (2, 2, 2), 4, new[] { 2.0, 1.0, 3.0 });
        var prediction = Cubes(12, 10, 8, (3, 2, 2), 4, new[] { 2.0, 1.0, 3.0 });

        var m = SegmentationMetrics.Compute(prediction, truth, One, new SegmentationMetricOptions(), CancellationToken.None)[0];

        Assert.Equal((48L, 16L, 16L), (m.TruePositives, m.FalsePositives, m.FalseNegatives));
        Assert.Equal(2f * 48 / 128, m.Dice, 6);
        Assert.Equal(48.0 / 80, m.IoU, 6);
        Assert.Equal(64 * 6.0 / 1000, m.TrueVolumeMl, 12);
        Assert.Equal(0.0, m.VolumeDifferenceMl, 12);
        Assert.Equal(2.0, m.HausdorffMm, 5);  // one voxel along i is 2 mm
        Assert.Null(m.NanReason);

        var voxels = SegmentationMetrics.Compute(prediction, truth, One, new SegmentationMetricOptions { VoxelUnits = true }, CancellationToken.None)[0];
        Assert.Equal(1.0, voxels.HausdorffMm, 5);
    }

    [Fact]
    public void AnyVoxelTypeAndFloatLabelsTruncatedAsMonaiDoes()
    {
        var truth = Cubes(8, 8, 8, (2, 2, 2), 3, new[] { 1.0, 1.0, 1.0 });
        var bytes = truth.GetVoxels<byte>();
        var floats = Array.ConvertAll(bytes, b => b == 1 ? 1.7f : 0.4f);
        var prediction = new Volume(floats, new long[] { 8, 8, 8 }, truth.Affine, "float prediction");

        var m = SegmentationMetrics.Compute(prediction, truth, One, new SegmentationMetricOptions(), CancellationToken.None)[0];

        Assert.Equal(1.0, m.Dice, 6);
        Assert.Equal(0.0, m.HausdorffMm);
    }

    [Fact]
    public void DifferentGridsAreMetricGridMismatchNamingBoth()
    {
        var truth = Cubes(8, 8, 8, (2, 2, 2), 3, new[] { 1.0, 1.0, 1.0 });
        var shifted = new Volume(truth.GetVoxels(), new long[] { 8, 8, 8 }, Affine.Diagonal(1, 1, 1.001), "shifted.nii");
        var smaller = Cubes(8, 8, 7, (2, 2, 2), 3, new[] { 1.0, 1.0, 1.0 });

        var ex = Assert.Throws<MdaiClaraException>(() => SegmentationMetrics.Compute(shifted, truth, One, new SegmentationMetricOptions(), CancellationToken.None));
        Assert.Equal(ErrorIds.MetricGridMismatch, ex.ErrorId);
        Assert.Contains("shifted.nii", ex.Message);
        Assert.Contains("0.001", ex.Message);

        var shape = Assert.Throws<MdaiClaraException>(() => SegmentationMetrics.Compute(smaller, truth, One, new SegmentationMetricOptions(), CancellationToken.None));
        Assert.Equal(ErrorIds.MetricGridMismatch, shape.ErrorId);
        Assert.Contains("[8, 8, 7]", shape.Message);
    }

    [Fact]
    public void BadClassesAndOptionsAreSpecificErrors()
    {
        var truth = Cubes(8, 8, 8, (2, 2, 2), 3, new[] { 1.0, 1.0, 1.0 });
        void Fails(string errorId, string text, SegmentationClass[] classes, SegmentationMetricOptions options)
        {
            var ex = Assert.Throws<MdaiClaraException>(() => SegmentationMetrics.Compute(truth, truth, classes, options, CancellationToken.None));
            Assert.Equal(errorId, ex.ErrorId);
            Assert.Contains(text, ex.Message);
        }

        Fails(ErrorIds.MetricInputInvalid, "1 to 255 classes", Array.Empty<SegmentationClass>(), new SegmentationMetricOptions());
        Fails(ErrorIds.MetricInputInvalid, "listed twice", new[] { new SegmentationClass(1, "a"), new SegmentationClass(1, "b") }, new SegmentationMetricOptions());
        Fails(ErrorIds.MetricInputInvalid, "-3", new[] { new SegmentationClass(-3, "a") }, new SegmentationMetricOptions());
        Fails(ErrorIds.MetricArgumentInvalid, "percentile", One, new SegmentationMetricOptions(Percentile: 101));
        Fails(ErrorIds.MetricArgumentInvalid, "tolerance", One, new SegmentationMetricOptions(SurfaceToleranceMm: double.NaN));

        var channels = new Volume(new byte[8 * 8 * 8 * 2], new long[] { 8, 8, 8, 2 }, truth.Affine, "two channels");
        var ex = Assert.Throws<MdaiClaraException>(() => SegmentationMetrics.Compute(channels, channels, One, new SegmentationMetricOptions(), CancellationToken.None));
        Assert.Equal(ErrorIds.MetricInputInvalid, ex.ErrorId);
    }

    [Fact]
    public void ACancelledTokenStopsTheWork()
    {
        var truth = Cubes(8, 8, 8, (2, 2, 2), 3, new[] { 1.0, 1.0, 1.0 });
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => SegmentationMetrics.Compute(truth, truth, One, new SegmentationMetricOptions(), cancelled.Token));
    }

    internal static Volume Cubes(int nx, int ny, int nz, (int I, int J, int K) corner, int size, double[] spacing)
    {
        var voxels = new byte[nx * ny * nz];
        for (var k = corner.K; k < corner.K + size; k++)
        {
            for (var j = corner.J; j < corner.J + size; j++)
            {
                for (var i = corner.I; i < corner.I + size; i++)
                {
                    voxels[i + (nx * (j + (ny * k)))] = 1;
                }
            }
        }

        return new Volume(voxels, new long[] { nx, ny, nz }, Affine.Diagonal(spacing[0], spacing[1], spacing[2]), "cubes");
    }
}
