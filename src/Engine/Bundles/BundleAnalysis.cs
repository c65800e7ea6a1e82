using System;
using System.Collections.Generic;

namespace MdaiClara.Engine.Bundles;

/// <summary>
/// An opened, analysed bundle: its source (keep it open while the model file is read), the config files as read, the
/// resolver over the inference config, and what was derived.
/// </summary>
public sealed class BundleAnalysis : IDisposable
{
    internal BundleAnalysis(BundleSource source, ConfigFile? metadata, ConfigFile? inference, ConfigResolver? resolver, BundleInfo info, IReadOnlyList<string> unreadable)
    {
        Source = source;
        MetadataFile = metadata;
        InferenceFile = inference;
        Resolver = resolver;
        Info = info;
        UnreadableFiles = unreadable;
    }

    public BundleSource Source { get; }

    /// <summary>configs/metadata.json as read (null when absent).</summary>
    public ConfigFile? MetadataFile { get; }

    /// <summary>The inference config as read (null when absent).</summary>
    public ConfigFile? InferenceFile { get; }

    /// <summary>Resolves ids of the inference config (null when it is absent or does not parse).</summary>
    public ConfigResolver? Resolver { get; }

    public BundleInfo Info { get; }

    /// <summary>Config files that exist but could not be read (too large, I/O), with the reason.</summary>
    public IReadOnlyList<string> UnreadableFiles { get; }

    public void Dispose() => Source.Dispose();
}
