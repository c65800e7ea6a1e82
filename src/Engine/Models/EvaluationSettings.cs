using System.Collections.Generic;
using MdaiClara.Engine.Configs;

namespace MdaiClara.Engine.Models;

/// <summary>One metric the evaluation computes as MONAI's handler of that name does (MeanDice, Accuracy, HausdorffDistance…).</summary>
/// <param name="Name">The handler's canonical name ("MeanDice").</param>
/// <param name="LogLabel">The name results are logged and saved under ("val_mean_dice").</param>
/// <param name="Args">The handler's arguments (include_background, percentile…).</param>
/// <param name="Component">Where the config writes it.</param>
public sealed record MetricSetting(string Name, string LogLabel, ConfigObject Args, ComponentSpec Component)
{
    /// <summary>include_background as configured (MONAI's default: true).</summary>
    public bool IncludeBackground => Args.TryGetValue("include_background", out var v) && v is bool b ? b : true;
}

/// <summary>What MONAI's MetricsSaver handler of the config writes: which metrics, which with per-case details, which summary operations.</summary>
/// <param name="Metrics">Log labels saved to metrics.csv; "*" means all.</param>
/// <param name="MetricDetails">Log labels whose per-case, per-class values are saved (&lt;label&gt;_raw.csv and _summary.csv); "*" means all.</param>
/// <param name="SummaryOps">Summary operations ("mean", "median", "max", "min", "90percentile", "std", "notnans"); "*" means all; empty means none.</param>
/// <param name="Delimiter">The CSV delimiter (MONAI's default ",").</param>
/// <param name="Component">Where the config writes the handler.</param>
public sealed record MetricsSaverSetting(IReadOnlyList<string> Metrics, IReadOnlyList<string> MetricDetails, IReadOnlyList<string> SummaryOps, string Delimiter, ComponentSpec Component);

/// <summary>
/// How a model is evaluated (Clara's validate.sh): the validation pipeline (the inference pipeline with the label
/// flowing beside the image), the datalist (file, data root, key), the key metric and additional metrics, and the
/// MetricsSaver settings.
/// </summary>
public sealed record EvaluationSettings(
    InferenceConfig Pipeline,
    string? DataListFile,
    string? DataRoot,
    string? DataListKey,
    string DataListKeySource,
    MetricSetting? KeyMetric,
    IReadOnlyList<MetricSetting> AdditionalMetrics,
    MetricsSaverSetting? MetricsSaver)
{
    /// <summary>
    /// Why the config's own datalist is not read, and where it is (a MONAI bundle's is a Python expression); null when
    /// it is (an MMAR's dataset JSON). When set, the validation pipeline runs on the cases a caller gives (images and
    /// labels, a datalist of one's own) instead.
    /// </summary>
    public string? DataListNotRead { get; init; }

    /// <summary>Metrics the config names that are left out before measuring, each with why and where ("file:line:column: …").</summary>
    public IReadOnlyList<string> MetricsLeftOut { get; init; } = System.Array.Empty<string>();

    /// <summary>The key metric first, then the additional ones.</summary>
    public IEnumerable<MetricSetting> Metrics
    {
        get
        {
            if (KeyMetric is not null)
            {
                yield return KeyMetric;
            }

            foreach (var m in AdditionalMetrics)
            {
                yield return m;
            }
        }
    }
}
