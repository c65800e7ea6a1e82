namespace MdaiClara.Engine.Errors;

/// <summary>Error identifiers of MD.ai annotations (src/Engine/Mdai/Annotations): reading exports, rasterising, writing imports.</summary>
public static partial class ErrorIds
{
    /// <summary>The annotation export file does not exist.</summary>
    public const string MdaiAnnotationExportNotFound = "MdaiAnnotationExportNotFound";

    /// <summary>The annotation export file exists but cannot be read (a folder, access denied, I/O error).</summary>
    public const string MdaiAnnotationExportReadFailed = "MdaiAnnotationExportReadFailed";

    /// <summary>The export is not JSON, or not shaped as MD.ai's annotation export; the message has the line and column.</summary>
    public const string MdaiAnnotationExportInvalid = "MdaiAnnotationExportInvalid";

    /// <summary>A label name or id asked for is not among the export's labels.</summary>
    public const string MdaiAnnotationLabelUnknown = "MdaiAnnotationLabelUnknown";

    /// <summary>A label volume was asked for on a volume that is not a DICOM series (no instances to match).</summary>
    public const string MdaiAnnotationSeriesRequired = "MdaiAnnotationSeriesRequired";

    /// <summary>An annotation's vertices cannot be drawn (beyond int32, as OpenCV needs them).</summary>
    public const string MdaiAnnotationVertexInvalid = "MdaiAnnotationVertexInvalid";

    /// <summary>A result cannot become MD.ai annotations (no DICOM series, not a label map, no label id for a class).</summary>
    public const string MdaiAnnotationConversionFailed = "MdaiAnnotationConversionFailed";
}
