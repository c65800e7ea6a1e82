using System;
using System.Collections.Generic;
using MdaiClara.Engine.Mdai.Packaging;

namespace MdaiClara.Engine.Mdai;

/// <summary>
/// A written MD.ai deployment zip, whatever it packages (an MMAR for the Clara image, a MONAI bundle for a Python
/// image): where it is, its hash and size, its files, the generated config.yaml and requirements.txt, and what of the
/// source it leaves out.
/// </summary>
public abstract record MdaiDeploymentPackage
{
    public required string Path { get; init; }

    /// <summary>Lower-case hex SHA-256 of the zip.</summary>
    public required string Sha256 { get; init; }

    public required long Bytes { get; init; }

    public required IReadOnlyList<MdaiPackageEntry> Files { get; init; }

    /// <summary>The text of model/.mdai/config.yaml.</summary>
    public required string Config { get; init; }

    /// <summary>The text of model/.mdai/requirements.txt.</summary>
    public required string Requirements { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();

    /// <summary>The source's files (or whole folders) the package leaves out, each with its reason.</summary>
    public IReadOnlyList<MdaiPackageLeftOut> LeftOut { get; init; } = Array.Empty<MdaiPackageLeftOut>();

    public sealed override string ToString() => $"{Path} ({Bytes:N0} bytes, {Files.Count} files, SHA-256 {Sha256[..12]}…)";
}
