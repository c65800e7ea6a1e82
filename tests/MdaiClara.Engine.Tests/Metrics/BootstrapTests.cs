using System;
using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Metrics;
using Xunit;

namespace MdaiClara.Engine.Tests.Metrics;

public class BootstrapTests
{
    private static readonly double[] Values = { 0.91, 0.85, double.NaN, 0.78, 0.95, 0.88, 0.69, 0.93 };

    [Fact]
    public void SameSeedSameIntervalAndNaNsLeftOut()
    {
        var first = Bootstrap.MeanInterval(Values);
        var second = Bootstrap.MeanInterval(Values);
        var kept = Values.Where(v => !double.IsNaN(v)).ToArray();

        Assert.Equal(first, second);
        Assert.Equal(kept.Length, first.Count);
        Assert.Equal(kept.Average(), first.Estimate, 12);
        Assert.True(first.Lower < first.Estimate && first.Estimate < first.Upper, $"{first}");
        Assert.True(first.Lower >= kept.Min() && first.Upper <= kept.Max(), $"{first}");
    }

    [Fact]
    public void IntervalMatchesAnIndependentPercentileBootstrap()
    {
        // The same draws as documented: new Random(seed), Next(n) per value, linear quantiles of the sorted means.
        var kept = Values.Where(v => !double.IsNaN(v)).ToArray();
        var random = new Random(7);
        var means = Enumerable.Range(0, 500).Select(_ => Enumerable.Range(0, kept.Length).Select(_ => kept[random.Next(kept.Length)]).Sum() / kept.Length).OrderBy(m => m).ToArray();
        double Quantile(double q)
        {
            var position = q * (means.Length - 1);
            var below = (int)Math.Floor(position);
            return means[below] + ((means[Math.Min(below + 1, means.Length - 1)] - means[below]) * (position - below));
        }

        var interval = Bootstrap.MeanInterval(Values, 0.9, 500, 7);

        Assert.Equal(Quantile(0.05), interval.Lower, 12);
        Assert.Equal(Quantile(0.95), interval.Upper, 12);
        Assert.NotEqual(interval, Bootstrap.MeanInterval(Values, 0.9, 500, 8));
    }

    [Fact]
    public void NoValueAndOneValue()
    {
        var none = Bootstrap.MeanInterval(new[] { double.NaN });
        Assert.True(double.IsNaN(none.Estimate) && double.IsNaN(none.Lower) && double.IsNaN(none.Upper));
        Assert.Equal(0, none.Count);

        Assert.Equal(new ConfidenceInterval(0.5, 0.5, 0.5, 1), Bootstrap.MeanInterval(new[] { 0.5, double.NaN }));
    }

    [Theory]
    [InlineData(0.0, 100)]
    [InlineData(1.0, 100)]
    [InlineData(0.95, 0)]
    public void BadArgumentsAreSpecificErrors(double confidence, int resamples)
    {
        var ex = Assert.Throws<MdaiClaraException>(() => Bootstrap.MeanInterval(Values, confidence, resamples));
        Assert.Equal(ErrorIds.MetricArgumentInvalid, ex.ErrorId);
    }
}
