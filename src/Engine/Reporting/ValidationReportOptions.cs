namespace MdaiClara.Engine.Reporting;

/// <summary>How much the report shows; the defaults keep a report of a few hundred cases small enough to mail.</summary>
public sealed record ValidationReportOptions
{
    /// <summary>The worst cases that get overlay views (the rest are listed in the table only).</summary>
    public int MaxCasesWithViews { get; init; } = 20;

    /// <summary>The longer side of each overlay view, in pixels.</summary>
    public int ViewSize { get; init; } = 240;

    /// <summary>The default options.</summary>
    public static ValidationReportOptions Default { get; } = new();
}
