using System.Collections.Generic;

namespace MdaiClara.Engine.Reporting;

/// <summary>A drawn picture of the report: a PNG, its size in pixels and what it shows.</summary>
internal sealed record ReportFigure(string Caption, byte[] Png, int Width, int Height);

/// <summary>One overlay view: the PNG, its plane and the patient directions at its four edges.</summary>
internal sealed record OverlayView(string Plane, string Caption, byte[] Png, int Width, int Height, string Top, string Bottom, string Left, string Right);

/// <summary>The three views of one structure of a case.</summary>
internal sealed record OverlayViewSet(string Title, IReadOnlyList<OverlayView> Views)
{
    /// <summary>How the grey levels were windowed (e.g. "CT soft-tissue window W400/L40").</summary>
    public string? Window { get; init; }
}
