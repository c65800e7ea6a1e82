using System;
using System.Collections.Generic;
using MdaiClara.Engine.Mmar;

namespace MdaiClara.Engine.Models;

/// <summary>What a model computes.</summary>
public enum ModelTask
{
    /// <summary>A label map per voxel.</summary>
    Segmentation,

    /// <summary>Class probabilities per image.</summary>
    Classification,

    /// <summary>Anything else (detection, regression…): runnable, not measured.</summary>
    Other,
}

/// <summary>
/// The model file to run: where it is (a file-system path when there is one, else only readable as bytes, e.g. inside a
/// zip), its size and SHA-256 (the session cache's key).
/// </summary>
public sealed record ModelFile(string DisplayPath, string? FileSystemPath, long Bytes, string Sha256, Func<byte[]> ReadAllBytes);

/// <summary>
/// A runnable model, whatever format it came in (an MMAR today, a MONAI bundle later): what it does, its channels and
/// classes, its model file, the MONAI version whose semantics it follows, the inference pipeline (components with
/// their source locations) and, when the format ships one, how it is evaluated.
/// </summary>
public sealed record RunnableModel
{
    public required string Name { get; init; }

    /// <summary>Where it was opened from (folder, zip or file).</summary>
    public required string Origin { get; init; }

    /// <summary>"MMAR" (or "MONAI bundle").</summary>
    public required string Format { get; init; }

    /// <summary>The format's own version ("4.1.0" for a Clara MMAR), when it says.</summary>
    public string? FormatVersion { get; init; }

    public required ModelTask Task { get; init; }

    public int? InputChannels { get; init; }

    public int? OutputChannels { get; init; }

    /// <summary>Class names by output channel ("background", "spleen"); empty when the model does not say.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    public ModelFile? ModelFile { get; init; }

    /// <summary>The MONAI version whose numerics the model follows ("0.8.1" for Clara 4.1).</summary>
    public required string MonaiVersion { get; init; }

    /// <summary>The inference pipeline (pre-transforms, inferer, post-transforms), when there is one that reads.</summary>
    public InferenceConfig? Inference { get; init; }

    /// <summary>The folder the model's relative paths start from (the MMAR root), when it is a folder on disk.</summary>
    public string? RootDirectory { get; init; }

    /// <summary>Reads a file of the model's package by its path relative to the root (null when absent); works for zips too.</summary>
    public Func<string, byte[]?> ReadPackageFile { get; init; } = _ => null;

    /// <summary>How the model is measured against ground truth, when the format ships that (an MMAR's validate.sh).</summary>
    public EvaluationSettings? Evaluation { get; init; }

    /// <summary>The name of class <paramref name="index"/>: its own, else "background" for 0 of a segmentation, else "class N".</summary>
    public string ClassName(int index) =>
        index >= 0 && index < ClassNames.Count ? ClassNames[index] : index == 0 && Task == ModelTask.Segmentation ? "background" : $"class {index}";

    public override string ToString() => $"{Name} ({Format} {FormatVersion}, {Task})";
}
