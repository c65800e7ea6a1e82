namespace MdaiClara.Engine.Metrics;

/// <summary>A statistic with its bootstrap interval.</summary>
/// <param name="Estimate">The statistic on the values themselves (their mean); NaN when no value is a number.</param>
/// <param name="Lower">The interval's lower bound.</param>
/// <param name="Upper">The interval's upper bound.</param>
/// <param name="Count">How many values were used (NaN values are left out).</param>
public sealed record ConfidenceInterval(double Estimate, double Lower, double Upper, int Count);
