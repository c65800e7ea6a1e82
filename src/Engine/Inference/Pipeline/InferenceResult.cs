using System;
using System.Collections.Generic;
using MdaiClara.Engine.Imaging;

namespace MdaiClara.Engine.Inference.Pipeline;

/// <summary>One class of a segmentation result: its label value, name, voxel count and volume.</summary>
public sealed record SegmentationClass(int Label, string Name, long Voxels, double VolumeMl)
{
    public override string ToString() => $"{Name}: {Voxels:N0} voxels, {VolumeMl:0.###} mL";
}

/// <summary>One class of a classification result.</summary>
public sealed record ClassProbability(int Index, string Name, double Probability)
{
    public override string ToString() => $"{Name}: {Probability:0.####}";
}

/// <summary>Where the time of one input went, in milliseconds.</summary>
public sealed record InferenceTimings(double LoadMs, double PreprocessMs, double InferenceMs, double PostprocessMs, double WriteMs)
{
    public double TotalMs => LoadMs + PreprocessMs + InferenceMs + PostprocessMs + WriteMs;

    public override string ToString() => $"load {LoadMs:0} ms, pre {PreprocessMs:0} ms, inference {InferenceMs:0} ms, post {PostprocessMs:0} ms, write {WriteMs:0} ms";
}

/// <summary>What running an MMAR's pipeline on one input gave.</summary>
public sealed class InferenceResult
{
    /// <summary>The input's name (file stem, or the DICOM series UID).</summary>
    public required string Input { get; init; }

    /// <summary>Where the input came from (a path, or the source of an imported volume).</summary>
    public required string Source { get; init; }

    /// <summary>The MMAR's name.</summary>
    public required string Model { get; init; }

    /// <summary>The model's version as far as the MMAR states one (its Clara version, e.g. "Clara 4.1.0"); null when unknown.</summary>
    public string? ModelVersion { get; init; }

    /// <summary>The SHA-256 (hex) of the TorchScript file that ran.</summary>
    public string? ModelSha256 { get; init; }

    public required string Device { get; init; }

    /// <summary>"segmentation" or "classification".</summary>
    public required string Task { get; init; }

    /// <summary>The MONAI version whose numerics were followed.</summary>
    public required string Semantics { get; init; }

    /// <summary>The input's spatial shape (and so the label map's).</summary>
    public required IReadOnlyList<long> Shape { get; init; }

    /// <summary>The shape the model saw (after the pre-transforms, with the channel first).</summary>
    public required IReadOnlyList<long> ModelInputShape { get; init; }

    /// <summary>Sliding-window windows run (1 for SimpleInferer).</summary>
    public required int Windows { get; init; }

    /// <summary>Segmentation: every label present in the map or named by the MMAR.</summary>
    public IReadOnlyList<SegmentationClass> Classes { get; init; } = Array.Empty<SegmentationClass>();

    /// <summary>
    /// Classification: one probability per output. When the postprocessing ends in AsDiscrete (argmax, one-hot or a
    /// threshold), these are the values just before it, and only when an activation made them probabilities (empty when
    /// the class was decided from raw scores); the decision itself is <see cref="Decided"/>.
    /// </summary>
    public IReadOnlyList<ClassProbability> Probabilities { get; init; } = Array.Empty<ClassProbability>();

    /// <summary>
    /// Classification: the classes the postprocessing decided, as MONAI's final prediction has them (AsDiscrete's argmax
    /// index, the hot entry of its one-hot vector, or each class over its threshold); empty when it ends in scores.
    /// </summary>
    public IReadOnlyList<ClassDecision> Decided { get; init; } = Array.Empty<ClassDecision>();

    /// <summary>The label map on the input's grid (segmentation), with the DICOM geometry of the input when it was a series.</summary>
    public Volume? Label { get; init; }

    /// <summary>The DICOM geometry of the input (study, series, instances) when it was DICOM.</summary>
    public DicomSeriesGeometry? InputDicom { get; init; }

    /// <summary>The input's own affine (its grid is <see cref="Shape"/>): where its voxels, and so its instances' pixels, are.</summary>
    public Affine? InputAffine { get; init; }

    /// <summary>True when the model's outputs go through a sigmoid (independent classes: multi-label).</summary>
    public bool Sigmoid { get; init; }

    /// <summary>Files written (label map, probabilities).</summary>
    public IReadOnlyList<string> OutputFiles { get; init; } = Array.Empty<string>();

    public required InferenceTimings Timings { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();

    public override string ToString() => $"{Input}: {Task} on {Device}, {Timings.TotalMs:0} ms";
}
