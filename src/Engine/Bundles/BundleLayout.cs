using System.Collections.Generic;

namespace MdaiClara.Engine.Bundles;

/// <summary>The file names MONAI's bundle specification gives (configs/, models/).</summary>
public static class BundleLayout
{
    public const string MetadataFile = "configs/metadata.json";

    public const string TorchScriptFile = "models/model.ts";

    public const string CheckpointFile = "models/model.pt";

    /// <summary>The inference config, in the order MONAI's bundle tools look for it.</summary>
    public static IReadOnlyList<string> InferenceConfigCandidates { get; } = new[] { "configs/inference.json", "configs/inference.yaml", "configs/inference.yml" };
}
