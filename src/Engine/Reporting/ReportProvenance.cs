using System;
using System.Collections.Generic;

namespace MdaiClara.Engine.Reporting;

/// <summary>Where a validation result comes from: the report's first table, so a reader can tell exactly what was measured.</summary>
/// <param name="ModelName">The model's name (the MMAR's or bundle's name).</param>
/// <param name="ModelVersion">The model's own version, when it declares one.</param>
/// <param name="ModelFileSha256">SHA-256 of the TorchScript file that was run (hex).</param>
/// <param name="ToolVersion">The MdaiClara version that measured it.</param>
/// <param name="CreatedAt">When the measurement was made.</param>
/// <param name="Device">Where inference ran (e.g. "cpu", "cuda:0 (NVIDIA H100)").</param>
/// <param name="Semantics">Which MONAI semantics the transforms and metrics followed (e.g. "MONAI 1.3").</param>
/// <param name="GroundTruthSource">What the ground truth was (e.g. "datalist.json, key validation, 9 items").</param>
public sealed record ReportProvenance(
    string ModelName,
    string? ModelVersion,
    string? ModelFileSha256,
    string ToolVersion,
    DateTimeOffset CreatedAt,
    string Device,
    string Semantics,
    string GroundTruthSource)
{
    /// <summary>Further rows of the provenance table, in order (e.g. "Validation config" → "config/config_validation.json").</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Extra { get; init; } = Array.Empty<KeyValuePair<string, string>>();
}
