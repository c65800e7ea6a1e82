using System;
using System.Collections.Generic;
using MdaiClara.Engine.Configs;
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
public sealed record ModelFile(string DisplayPath, string? FileSystemPath, long Bytes, string Sha256, Func<byte[]> ReadAllBytes)
{
    /// <summary>Its path inside the model's package ("models/model.ts"), which findings name; null when it has none.</summary>
    public string? RelativePath { get; init; }
}

/// <summary>
/// A runnable model, whatever format it came in (an MMAR, a MONAI bundle): what it does, its channels and classes, its
/// model file, the MONAI version whose semantics it follows, the inference pipeline (components with their source
/// locations) and, when the format ships one, how it is evaluated. Inference, evaluation, the -Deep forward probe and
/// MD.ai outputs read only this; the format readers make it (<see cref="RunnableModels"/>).
/// </summary>
/// <remarks>
/// Every derived value that can be wrong in a user's files carries its source (<see cref="TaskSource"/>,
/// <see cref="InputChannelsSource"/>…), so messages can say where to fix it. Properties a format cannot fill stay null;
/// the consumers word their messages from <see cref="Format"/> and the <c>…Setting</c>/<c>…Remedy</c> texts, never from
/// format knowledge of their own.
/// </remarks>
public sealed record RunnableModel
{
    private Lazy<EvaluationSettings?> _evaluation = new((EvaluationSettings?)null);

    public required string Name { get; init; }

    /// <summary>Where it was opened from (folder, zip or file).</summary>
    public required string Origin { get; init; }

    /// <summary>"MMAR" (or "MONAI bundle").</summary>
    public required string Format { get; init; }

    /// <summary>The format's own version ("4.1.0" for a Clara MMAR), when it says.</summary>
    public string? FormatVersion { get; init; }

    /// <summary>How results name the model's version ("Clara 4.1.0"; a bundle's "0.4.1"), null when unknown.</summary>
    public string? VersionLabel { get; init; }

    public required ModelTask Task { get; init; }

    /// <summary>Where <see cref="Task"/> came from ("PROCESSING_TASK in config/environment.json").</summary>
    public string? TaskSource { get; init; }

    public int? InputChannels { get; init; }

    /// <summary>Where <see cref="InputChannels"/> came from; "cannot tell: …" when sources disagree.</summary>
    public string? InputChannelsSource { get; init; }

    /// <summary>The setting a user edits to change the input channel count ("INPUT_CHANNELS in config/environment.json").</summary>
    public string InputChannelsSetting { get; init; } = "the model's declared input channel count";

    public int? OutputChannels { get; init; }

    /// <summary>Where <see cref="OutputChannels"/> came from.</summary>
    public string? OutputChannelsSource { get; init; }

    /// <summary>Class names by output channel ("background", "spleen"); empty when the model does not say.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>The TorchScript to run; null when there is none (see <see cref="ModelFileExpected"/> and <see cref="ModelFileRemedy"/>).</summary>
    public ModelFile? ModelFile { get; init; }

    /// <summary>The model file the package names (its relative path), also when it is missing; null when it names none.</summary>
    public string? ModelFileExpected { get; init; }

    /// <summary>What makes the model file when it is missing ("export one with commands/export.sh").</summary>
    public string ModelFileRemedy { get; init; } = "give the model a TorchScript file";

    /// <summary>The MONAI version whose numerics the model follows ("0.8.1" for Clara 4.1).</summary>
    public required string MonaiVersion { get; init; }

    /// <summary>Why <see cref="MonaiVersion"/> is what it is ("Clara 4.1.0"; a bundle's "monai_version in configs/metadata.json").</summary>
    public string? MonaiVersionSource { get; init; }

    /// <summary>The inference pipeline (pre-transforms, inferer, post-transforms), when there is one that reads.</summary>
    public InferenceConfig? Inference { get; init; }

    /// <summary>
    /// Why the model cannot run at all, in the user's terms (no readable inference config, a TensorFlow MMAR); null when
    /// it can. Checked before anything is bound or loaded.
    /// </summary>
    public string? NotRunnable { get; init; }

    /// <summary>The folder the model's relative paths start from (the MMAR root), when it is a folder on disk.</summary>
    public string? RootDirectory { get; init; }

    /// <summary>Reads a file of the model's package by its path relative to the root (null when absent); works for zips too.</summary>
    public Func<string, byte[]?> ReadPackageFile { get; init; } = _ => null;

    /// <summary>How the model is measured against ground truth, when the format ships that (an MMAR's validate.sh).</summary>
    public EvaluationSettings? Evaluation
    {
        get => _evaluation.Value;
        init => _evaluation = new Lazy<EvaluationSettings?>(value);
    }

    /// <summary>
    /// Reads <see cref="Evaluation"/> on first use instead (a format reads its evaluation config only when something
    /// measures the model, so a broken evaluation config never stops inference).
    /// </summary>
    public Func<EvaluationSettings?> ReadEvaluation
    {
        init => _evaluation = new Lazy<EvaluationSettings?>(value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>The name of class <paramref name="index"/>: its own, else "background" for 0 of a segmentation, else "class N".</summary>
    public string ClassName(int index) =>
        index >= 0 && index < ClassNames.Count ? ClassNames[index] : index == 0 && Task == ModelTask.Segmentation ? "background" : $"class {index}";

    /// <summary>An analysed MMAR runs as its <see cref="RunnableModels.FromMmar"/> description.</summary>
    public static implicit operator RunnableModel(MmarAnalysis analysis) => RunnableModels.FromMmar(analysis);

    public override string ToString() => $"{Name} ({Format} {FormatVersion}, {Task})";
}
