using System.Collections.Generic;

namespace MdaiClara.Engine.Bundles;

/// <summary>What the bundle's model computes, as its metadata says.</summary>
public enum BundleTask
{
    Segmentation,
    Classification,
    Other,
}

/// <summary>A value derived from the bundle with where it came from ("configs/metadata.json:42:13 network_data_format…").</summary>
public sealed record DerivedValue(string Name, object? Value, string Source)
{
    public override string ToString() => $"{Name} = {BundleValues.Display(Value)} ({Source})";
}

/// <summary>The model file of a bundle: the TorchScript MdaiClara runs (models/model.ts), its size and SHA-256.</summary>
public sealed record BundleModelFile(string RelativePath, long Bytes, string Sha256);

/// <summary>
/// What a MONAI bundle is, read from configs/metadata.json and configs/inference.json|yaml without running anything:
/// names and versions, task, channels and labels (network_data_format), the model file, and the inference pipeline
/// resolved. Every derived value is also in <see cref="Derived"/> with its source.
/// </summary>
public sealed record BundleInfo
{
    public required string Path { get; init; }

    public required string Name { get; init; }

    public string? Version { get; init; }

    public string? MonaiVersion { get; init; }

    public string? PytorchVersion { get; init; }

    public string? NumpyVersion { get; init; }

    /// <summary>optional_packages_version: package → version.</summary>
    public IReadOnlyDictionary<string, string> OptionalPackages { get; init; } = new Dictionary<string, string>();

    /// <summary>metadata.json's own "task" text ("Decathlon spleen segmentation").</summary>
    public string? TaskDescription { get; init; }

    public required BundleTask Task { get; init; }

    public int? InputChannels { get; init; }

    public int? OutputChannels { get; init; }

    /// <summary>Class names by output channel (outputs.pred.channel_def); empty when the metadata does not say.</summary>
    public IReadOnlyList<string> Labels { get; init; } = new List<string>();

    /// <summary>inputs.image.spatial_shape as numbers; null entries where the metadata writes a formula ("8*n").</summary>
    public IReadOnlyList<long?>? InputSpatialShape { get; init; }

    /// <summary>The TorchScript (models/model.ts), when the bundle has one.</summary>
    public BundleModelFile? TorchScript { get; init; }

    /// <summary>models/model.pt (a pickled checkpoint, never loaded), when present.</summary>
    public string? Checkpoint { get; init; }

    /// <summary>The inference config file (configs/inference.json|yaml), when there is one.</summary>
    public string? InferenceConfigFile { get; init; }

    public BundlePipeline? Pipeline { get; init; }

    /// <summary>Every derived value with its source.</summary>
    public IReadOnlyList<DerivedValue> Derived { get; init; } = new List<DerivedValue>();

    public override string ToString() => $"{Name} {Version} (MONAI {MonaiVersion}, {Task})";
}
