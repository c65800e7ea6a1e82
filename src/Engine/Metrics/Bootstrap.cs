using System;
using System.Collections.Generic;
using System.Linq;

namespace MdaiClara.Engine.Metrics;

/// <summary>Seeded, reproducible percentile-bootstrap confidence intervals.</summary>
public static class Bootstrap
{
    /// <summary>
    /// The mean of <paramref name="values"/> (NaN values left out) and its percentile-bootstrap interval: the mean of
    /// <paramref name="resamples"/> resamples drawn with replacement by <c>new Random(seed)</c>, the interval their
    /// (1 − confidence)/2 and (1 + confidence)/2 quantiles (linear interpolation, as NumPy's default). The same input
    /// and seed give the same interval on every run and machine. No value: all NaN, Count 0; one value: that value thrice.
    /// </summary>
    /// <exception cref="Errors.MdaiClaraException">MetricArgumentInvalid: confidence outside (0, 1) or fewer than one resample.</exception>
    public static ConfidenceInterval MeanInterval(IReadOnlyList<double> values, double confidence = 0.95, int resamples = 2000, int seed = 12345)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!(confidence is > 0 and < 1))
        {
            throw MetricInputChecks.Argument($"The confidence must lie between 0 and 1 (e.g. 0.95), not {MetricInputChecks.Format(confidence)}.", confidence);
        }

        if (resamples < 1)
        {
            throw MetricInputChecks.Argument($"The bootstrap needs at least one resample, not {resamples}.", resamples);
        }

        var kept = values.Where(v => !double.IsNaN(v)).ToArray();
        if (kept.Length == 0)
        {
            return new ConfidenceInterval(double.NaN, double.NaN, double.NaN, 0);
        }

        var estimate = kept.Average();
        if (kept.Length == 1)
        {
            return new ConfidenceInterval(estimate, estimate, estimate, 1);
        }

        var random = new Random(seed);
        var means = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            var sum = 0.0;
            for (var n = 0; n < kept.Length; n++)
            {
                sum += kept[random.Next(kept.Length)];
            }

            means[r] = sum / kept.Length;
        }

        Array.Sort(means);
        var tail = (1 - confidence) / 2;
        return new ConfidenceInterval(estimate, Quantile(means, tail), Quantile(means, 1 - tail), kept.Length);
    }

    /// <summary>Linear-interpolation quantile of sorted values; equal neighbours (also infinite ones) give that value.</summary>
    internal static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        var low = sorted[below];
        var high = sorted[above];
        return low == high ? low : low + ((high - low) * (position - below));
    }
}
