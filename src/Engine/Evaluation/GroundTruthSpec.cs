using System;
using System.Collections.Generic;

namespace MdaiClara.Engine.Evaluation;

/// <summary>Where the ground truth comes from.</summary>
public enum GroundTruthKind
{
    /// <summary>validate.sh's: the validation datalist of the model's own dataset JSON.</summary>
    Validation,

    /// <summary>Images and label maps given as files or folders, paired by name.</summary>
    Paths,

    /// <summary>A datalist JSON of one's own (items with image and label) and its key.</summary>
    DataList,

    /// <summary>DICOM studies with an MD.ai annotation export, rasterised on each series' grid.</summary>
    Annotations,
}

/// <summary>A ground-truth source, as a caller names it (paths already resolved to the file system).</summary>
public sealed record GroundTruthSpec(GroundTruthKind Kind)
{
    public IReadOnlyList<string> Images { get; init; } = Array.Empty<string>();

    public IReadOnlyList<string> Labels { get; init; } = Array.Empty<string>();

    public string? DataListFile { get; init; }

    /// <summary>The datalist key (validate.sh's by default for <see cref="GroundTruthKind.Validation"/>; "validation" for a datalist of one's own).</summary>
    public string? DataListKey { get; init; }

    /// <summary>The folder a datalist's relative paths are under (default: the config's data root, or the datalist's folder).</summary>
    public string? DataRoot { get; init; }

    public IReadOnlyList<string> Studies { get; init; } = Array.Empty<string>();

    public string? AnnotationsFile { get; init; }

    /// <summary>MD.ai label name or id → class value written; null: every label of the export by its order.</summary>
    public IReadOnlyDictionary<string, int>? LabelMap { get; init; }

    /// <summary>The pipeline that measures the model against this truth.</summary>
    public EvaluationMode Mode => Kind == GroundTruthKind.Validation ? EvaluationMode.Validation : EvaluationMode.Inference;

    /// <summary>
    /// The pipeline that measures <paramref name="model"/> against this truth: <see cref="Mode"/>, except that images
    /// and labels (or a datalist of one's own) given for a model whose evaluation config cannot name its own cases (a
    /// MONAI bundle's Python datalist) run through that config's validation pipeline and metrics, for a segmentation
    /// model (the config's metrics are computed on label maps; a classifier keeps its inference pipeline, whose scores
    /// its summary measures). Reads the model's evaluation config then, so an unreadable one is an error here.
    /// </summary>
    public EvaluationMode ModeFor(Models.RunnableModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Kind is GroundTruthKind.Paths or GroundTruthKind.DataList && model.Task == Models.ModelTask.Segmentation && model.Evaluation is { DataListNotRead: not null }
            ? EvaluationMode.Validation
            : Mode;
    }

    public static GroundTruthSpec Validation(string? dataRoot = null, string? dataListKey = null) => new(GroundTruthKind.Validation) { DataRoot = dataRoot, DataListKey = dataListKey };
}
