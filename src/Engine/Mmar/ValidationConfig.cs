using System.Collections.Generic;
using MdaiClara.Engine.Configs;

namespace MdaiClara.Engine.Mmar;

/// <summary>A metric of a validation config (<c>key_metric</c> or one of <c>additional_metrics</c>): the handler and its log label.</summary>
public sealed record MetricComponent(ComponentSpec Component, string LogLabel);

/// <summary>
/// What commands/validate.sh runs: the validation config (the pipeline with "image" and "label"), its dataset (datalist
/// file, data root and key, with the variables resolved as validate.sh's environment gives them), its metrics and its
/// handlers (MetricsSaver among them).
/// </summary>
public sealed record ValidationConfig(
    InferenceConfig Pipeline,
    MetricComponent? KeyMetric,
    IReadOnlyList<MetricComponent> AdditionalMetrics,
    string? DataListFile,
    string? DataRoot,
    string? DataListKey,
    string DataListKeySource,
    string? EvalOutputPath,
    IReadOnlyList<UnresolvedReference> Unresolved);
