using System;
using System.Linq;
using MdaiClara.Engine.Reporting;
using Xunit;

namespace MdaiClara.Engine.Tests.Reporting;

public sealed class RocPlotTests
{
    [Fact]
    public void The_curve_area_is_the_mann_whitney_auc_with_ties_counted_half()
    {
        var random = new Random(5);
        var scores = Enumerable.Range(0, 60).Select(_ => Math.Round(random.NextDouble(), 1)).ToArray(); // many ties
        var truth = scores.Select(s => random.NextDouble() < s).ToArray();
        var positives = scores.Where((_, i) => truth[i]).ToArray();
        var negatives = scores.Where((_, i) => !truth[i]).ToArray();
        var expected = positives.Sum(p => negatives.Sum(n => p > n ? 1.0 : p == n ? 0.5 : 0)) / (positives.Length * negatives.Length);

        var curve = RocPlot.Curve(scores, truth)!;
        Assert.Equal((0.0, 0.0), curve[0]);
        Assert.Equal((1.0, 1.0), curve[^1]);
        Assert.Equal(expected, RocPlot.Area(curve), 12);
        Assert.Null(RocPlot.Curve(new[] { 0.2, 0.9 }, new[] { true, true }));
    }
}
