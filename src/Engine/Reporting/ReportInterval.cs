namespace MdaiClara.Engine.Reporting;

/// <summary>An estimate with its confidence interval (95 % unless the report's notes say otherwise) and the number of values behind it.</summary>
/// <param name="Estimate">The point estimate (e.g. the mean over cases); NaN when no value was defined.</param>
/// <param name="Lower">Lower bound of the interval; NaN when it could not be computed.</param>
/// <param name="Upper">Upper bound of the interval; NaN when it could not be computed.</param>
/// <param name="Count">How many (non-NaN) values the estimate is made of.</param>
public sealed record ReportInterval(double Estimate, double Lower, double Upper, int Count);
