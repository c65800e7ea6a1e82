using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Metrics;

/// <summary>
/// The arguments of a config's <c>MetricsSaver</c> handler that decide its files (save_dir is the caller's).
/// Each list is null (the argument is None: that part is not written), or names, where "*" means all.
/// </summary>
/// <param name="Metrics">Which <c>engine.state.metrics</c> go to metrics.csv (MONAI's default "*").</param>
/// <param name="MetricDetails">Which handlers' per-case details get a <c>&lt;name&gt;_raw.csv</c> (default None).</param>
/// <param name="SummaryOps">The summary operations (mean, median, max, min, &lt;int&gt;percentile, std, notnans; "*" = all but custom percentiles) for <c>&lt;name&gt;_summary.csv</c> (default None).</param>
/// <param name="Delimiter">The delimiter (default ",").</param>
public sealed record MetricsSaverSettings(IReadOnlyList<string>? Metrics, IReadOnlyList<string>? MetricDetails, IReadOnlyList<string>? SummaryOps, string Delimiter = ",")
{
    /// <summary>The operations "*" stands for, in MONAI's order.</summary>
    public static readonly IReadOnlyList<string> AllSummaryOps = new[] { "mean", "median", "max", "min", "90percentile", "std", "notnans" };

    /// <summary>MONAI's defaults: metrics "*", no details, no summary, ",".</summary>
    public static MetricsSaverSettings Default => new(new[] { "*" }, null, null);

    /// <summary>From the handler's <c>args</c> in a config; unknown operations and a non-csv output_type are errors naming them.</summary>
    public static MetricsSaverSettings FromConfig(JsonElement? args)
    {
        var settings = Default;
        if (args is not { ValueKind: JsonValueKind.Object } given)
        {
            return settings;
        }

        foreach (var property in given.EnumerateObject())
        {
            switch (property.Name)
            {
                case "metrics":
                    settings = settings with { Metrics = Names(property.Value, property.Name) };
                    break;
                case "metric_details":
                    settings = settings with { MetricDetails = Names(property.Value, property.Name) };
                    break;
                case "summary_ops":
                    settings = settings with { SummaryOps = Names(property.Value, property.Name) };
                    break;
                case "delimiter" when property.Value.ValueKind == JsonValueKind.String:
                    settings = settings with { Delimiter = property.Value.GetString()! };
                    break;
                case "output_type" when property.Value.ValueKind == JsonValueKind.String && property.Value.GetString()!.Equals("csv", StringComparison.OrdinalIgnoreCase):
                    break;
                case "output_type":
                    throw new MdaiClaraException($"MetricsSaver: output_type {property.Value.GetRawText()} is not supported (MONAI writes only csv).", ErrorIds.MetricNotSupported, ErrorKind.InvalidArgument, "MetricsSaver");
                default:
                    break; // save_dir, batch_transform, save_rank: the caller's business.
            }
        }

        foreach (var op in settings.SummaryOps ?? Array.Empty<string>())
        {
            if (op != "*" && !AllSummaryOps.Contains(op) && !MetricsSaverWriter.IsPercentileOp(op))
            {
                throw new MdaiClaraException($"MetricsSaver: the summary operation '{op}' is not one MONAI knows ({string.Join(", ", AllSummaryOps)}, <int>percentile).", ErrorIds.MetricArgumentInvalid, ErrorKind.InvalidArgument, "MetricsSaver");
            }
        }

        return settings;
    }

    /// <summary>Whether <paramref name="name"/> is selected by <paramref name="names"/> (null selects nothing, "*" everything).</summary>
    public static bool Selects(IReadOnlyList<string>? names, string name) => names is not null && (names.Contains("*") || names.Contains(name));

    private static IReadOnlyList<string>? Names(JsonElement value, string argument) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => new[] { value.GetString()! },
        JsonValueKind.Array when value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) => value.EnumerateArray().Select(e => e.GetString()!).ToArray(),
        _ => throw new MdaiClaraException($"MetricsSaver: {argument} must be a name, a list of names or null, not {value.GetRawText()}.", ErrorIds.MetricArgumentInvalid, ErrorKind.InvalidArgument, "MetricsSaver"),
    };
}
