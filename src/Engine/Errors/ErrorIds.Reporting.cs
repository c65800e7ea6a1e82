namespace MdaiClara.Engine.Errors;

/// <summary>Error ids of the HTML validation report (Reporting).</summary>
public static partial class ErrorIds
{
    /// <summary>The report's target path is not a valid file path, or is a folder.</summary>
    public const string ReportPathInvalid = "ReportPathInvalid";

    /// <summary>The report file could not be written (permissions, disk full, a locked file).</summary>
    public const string ReportWriteFailed = "ReportWriteFailed";

    /// <summary>The report's input is inconsistent: a case's image, truth and prediction are not on one grid, a label map is not 3-D.</summary>
    public const string ReportInputInvalid = "ReportInputInvalid";

    /// <summary>The native graphics library (SkiaSharp) that draws the report's pictures could not be loaded.</summary>
    public const string ReportGraphicsUnavailable = "ReportGraphicsUnavailable";
}
