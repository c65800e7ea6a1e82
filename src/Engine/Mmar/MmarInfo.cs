using System.Collections.Generic;
using MdaiClara.Engine.Configs;

namespace MdaiClara.Engine.Mmar;

/// <summary>
/// What an MMAR is, as Get-Mmar reports it: pure data read from its configs and files. Building it never
/// loads libtorch, never unpickles anything and never runs the MMAR's scripts.
/// </summary>
public sealed record MmarInfo
{
    public required string Name { get; init; }

    /// <summary>The folder or zip the MMAR was opened from.</summary>
    public required string Path { get; init; }

    public required MmarSourceKind SourceKind { get; init; }

    /// <summary>Where the MMAR root sits inside <see cref="Path"/> ('' when at the top).</summary>
    public required string RootPrefix { get; init; }

    /// <summary>"4.1.0" when the MMAR says so (CLARA_TRAIN_VERSION), else the inferred "4.1", "4.0", "4.x" or "3.x".</summary>
    public string? ClaraVersion { get; init; }

    public required ClaraGeneration Generation { get; init; }

    /// <summary>Why <see cref="ClaraVersion"/> is what it is: the key that states it, or the evidence it was inferred from.</summary>
    public required string ClaraVersionSource { get; init; }

    /// <summary>"PyTorch" (Clara 4.x, MONAI) or "TensorFlow" (Clara 3.x), or "Unknown".</summary>
    public required string Framework { get; init; }

    /// <summary>"segmentation", "classification", another PROCESSING_TASK value, or "unknown".</summary>
    public required string Task { get; init; }

    public string? TaskSource { get; init; }

    public int? InputChannels { get; init; }

    public string? InputChannelsSource { get; init; }

    public int? OutputChannels { get; init; }

    public string? OutputChannelsSource { get; init; }

    /// <summary>The datalist key inference reads from the dataset JSON (INFER_DATALIST_KEY, config_mdai.json, or the config's dataset).</summary>
    public string? DataListKey { get; init; }

    public string? DataListKeySource { get; init; }

    public MmarPathReference? DatasetJson { get; init; }

    public MmarPathReference? DataRoot { get; init; }

    public ModelFileInfo? TorchScript { get; init; }

    public ModelFileInfo? Checkpoint { get; init; }

    public InferenceConfig? InferenceConfig { get; init; }

    /// <summary>Class names by output channel, from the dataset JSON's labels or config_aiaa.json.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>Every file under config/, relative to the MMAR root.</summary>
    public required IReadOnlyList<string> ConfigFiles { get; init; }

    /// <summary>config/environment.json as read (placeholders not substituted).</summary>
    public required ConfigObject Environment { get; init; }

    /// <summary>What commands/infer.sh runs, when the MMAR has one.</summary>
    public InferScript? InferScript { get; init; }

    /// <summary>Problems met while reading (for example a config that does not parse); Test-Mmar explains each.</summary>
    public required IReadOnlyList<string> Notes { get; init; }

    public override string ToString() => $"{Name} (Clara {ClaraVersion ?? "?"}, {Task})";
}
