using System.Collections.Generic;

namespace MdaiClara.Engine.Mdai;

/// <summary>How to package: MD.ai's device type, the Clara layout, and how labels map to MD.ai class indexes.</summary>
public sealed record MdaiPackageOptions
{
    public const string Clara41 = "4.1.0";
    public const string Clara40 = "4.0";

    /// <summary>"gpu" (default) or "cpu": config.yaml's device_type.</summary>
    public string DeviceType { get; init; } = "gpu";

    /// <summary>"4.1.0" (the layout MD.ai's builder accepts today) or "4.0" (the layout of the 2021 announcement).</summary>
    public string ClaraVersion { get; init; } = Clara41;

    /// <summary>Label value → MD.ai class_index; null: label − 1 for every foreground label.</summary>
    public IReadOnlyDictionary<int, int>? LabelToClassIndex { get; init; }
}
