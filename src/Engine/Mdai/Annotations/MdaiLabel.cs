namespace MdaiClara.Engine.Mdai.Annotations;

/// <summary>
/// One label of an MD.ai project's label groups (mdai-contract §8.1): its id (L_…), name, group, whether it is global
/// (classification, no drawing) or local, its scope and how annotations of it are drawn.
/// </summary>
public sealed record MdaiLabel
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public string? ShortName { get; init; }

    /// <summary>The sub-label's parent label id (L_…), if any.</summary>
    public string? ParentId { get; init; }

    public string? GroupId { get; init; }

    public string? GroupName { get; init; }

    /// <summary>As exported (global/local; casing as written).</summary>
    public string? Type { get; init; }

    /// <summary>As exported (study/series/instance; casing as written).</summary>
    public string? Scope { get; init; }

    /// <summary>How annotations of this label are drawn; <see cref="MdaiAnnotationMode.Global"/> when annotationMode is null.</summary>
    public required MdaiAnnotationMode AnnotationMode { get; init; }

    /// <summary>annotationMode as written; set even when MdaiClara does not know it (then <see cref="IsDrawable"/> is false).</summary>
    public string? AnnotationModeText { get; init; }

    public string? Color { get; init; }

    /// <summary>Whether the label is a global (classification) label: no drawing, annotationMode null.</summary>
    public bool IsGlobal => AnnotationMode == MdaiAnnotationMode.Global && AnnotationModeText is null;

    /// <summary>Whether MdaiClara knows how to draw it (a known annotationMode other than none).</summary>
    public bool IsDrawable => AnnotationMode != MdaiAnnotationMode.Global;

    public override string ToString() => $"{Name} ({Id})";
}
