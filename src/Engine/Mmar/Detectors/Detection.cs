using System.Collections.Generic;

namespace MdaiClara.Engine.Mmar.Detectors;

/// <summary>
/// What one detector found, with its evidence: the key and file that state the value, or what it was inferred from.
/// <see cref="Source"/> is null when nothing told (the value is then a default or null).
/// </summary>
internal sealed record Detection<T>(T Value, string? Source);

/// <summary>The generation detector's finding: the Clara generation and version, why (one line), and each piece of evidence.</summary>
internal sealed record GenerationDetection(ClaraGeneration Generation, string? Version, string VersionSource, IReadOnlyList<string> Evidence);
