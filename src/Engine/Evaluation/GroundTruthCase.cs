using System.Collections.Generic;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Inference.Pipeline;

namespace MdaiClara.Engine.Evaluation;

/// <summary>
/// One case to measure: the image the model runs on and its ground truth, a label map (a file or series, or a volume
/// already made, e.g. rasterised annotations) or, for a classifier, the true classes.
/// </summary>
public sealed record GroundTruthCase
{
    /// <summary>Names the case in results and messages (the datalist item's image, the file stem, the SeriesInstanceUID).</summary>
    public required string Name { get; init; }

    public required InputSource Image { get; init; }

    /// <summary>The label file or series, when the truth is one.</summary>
    public InputSource? Label { get; init; }

    /// <summary>The label map, when the truth is already in memory (annotations rasterised on the series' grid).</summary>
    public Volume? LabelVolume { get; init; }

    /// <summary>A classifier's truth: one 0/1 per class.</summary>
    public IReadOnlyList<int>? ClassTruth { get; init; }

    /// <summary>Where the truth came from, for the result ("labelsTr/x.nii.gz", "export.json: 3 annotations").</summary>
    public required string TruthDescription { get; init; }

    /// <summary>Warnings met while making the truth (annotations not placed), reported with the case.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = System.Array.Empty<string>();

    public override string ToString() => Name;
}

/// <summary>The cases found in a ground-truth source, and the items that cannot be measured (each an error naming it).</summary>
public sealed record GroundTruthSet(IReadOnlyList<GroundTruthCase> Cases, IReadOnlyList<Errors.MdaiClaraException> Problems, string Description);
