using System.Collections.Generic;

namespace MdaiClara.Engine.Mdai;

/// <summary>How to package: MD.ai's device type, the Clara layout, how labels map to MD.ai class indexes, and which MMAR files to add or leave out.</summary>
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

    /// <summary>
    /// Wildcard patterns relative to the MMAR root (see <see cref="Packaging.MmarPathPattern"/>) naming files to package
    /// that <see cref="Packaging.PackageContentPolicy"/> would leave out; image data they name passes publishing's verification.
    /// </summary>
    public IReadOnlyList<string> Include { get; init; } = [];

    /// <summary>Wildcard patterns naming files to leave out; they win over <see cref="Include"/>, and may not name a file inference needs.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];
}
