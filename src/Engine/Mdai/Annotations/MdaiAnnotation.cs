namespace MdaiClara.Engine.Mdai.Annotations;

/// <summary>
/// One annotation of an MD.ai export (mdai-contract §8.1): which label, where (study, series, instance, frame), its
/// drawing and who made it. <see cref="Line"/> and <see cref="Column"/> locate it in the export file for messages.
/// </summary>
public sealed record MdaiAnnotation
{
    public required string Id { get; init; }

    public required string LabelId { get; init; }

    /// <summary>The dataset (D_…) it belongs to.</summary>
    public string? DatasetId { get; init; }

    public string? StudyInstanceUid { get; init; }

    public string? SeriesInstanceUid { get; init; }

    public string? SopInstanceUid { get; init; }

    /// <summary>The frame of a multi-frame instance, as exported (null for single-frame instances).</summary>
    public int? FrameNumber { get; init; }

    /// <summary>The image's width and height as exported, when given.</summary>
    public int? Width { get; init; }

    public int? Height { get; init; }

    /// <summary>The drawing; null for global labels.</summary>
    public MdaiAnnotationData? Data { get; init; }

    public string? Note { get; init; }

    public string? CreatedById { get; init; }

    /// <summary>Where the annotation's object starts in the export (1-based line and column).</summary>
    public int Line { get; init; }

    public int Column { get; init; }

    public override string ToString() => $"{Id} ({LabelId})";
}
