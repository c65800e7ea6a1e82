using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Metrics;

/// <summary>
/// One metric handler of a validation config (Clara's key_metric or an additional_metrics entry): its log label (the
/// name MONAI's engine stores the value under, and MetricsSaver's file name stem), its kind and arguments.
/// </summary>
/// <param name="LogLabel">The handler's name in <c>engine.state.metrics</c>, e.g. <c>val_mean_dice</c>.</param>
/// <param name="Kind">Which handler.</param>
public sealed record MonaiHandlerMetric(string LogLabel, MonaiHandlerMetricKind Kind)
{
    private static readonly string[] IgnoredArguments = { "output_transform", "save_details", "reduction", "device", "num_classes", "return_with_label", "is_multilabel" };

    /// <summary>Whether channel 0 (background) is measured; the handler's own default unless the config says otherwise.</summary>
    public bool IncludeBackground { get; init; } = Kind is MonaiHandlerMetricKind.MeanDice or MonaiHandlerMetricKind.MeanIoU;

    /// <summary>HausdorffDistance's percentile (null: the maximum).</summary>
    public double? Percentile { get; init; }

    /// <summary>HausdorffDistance's directed (prediction → label only).</summary>
    public bool Directed { get; init; }

    /// <summary>SurfaceDistance's symmetric.</summary>
    public bool Symmetric { get; init; }

    /// <summary>
    /// From a config entry: the handler's <c>name</c> or <c>path</c> (MeanDice, monai.handlers.HausdorffDistance,
    /// Accuracy…), its <c>log_label</c> and its <c>args</c>. Handlers and arguments MdaiClara does not compute are
    /// <see cref="ErrorIds.MetricNotSupported"/> naming them; output_transform, save_details and reduction "mean" are accepted.
    /// </summary>
    public static MonaiHandlerMetric FromConfig(string nameOrPath, string logLabel, JsonElement? args)
    {
        var shortName = nameOrPath[(nameOrPath.LastIndexOf('.') + 1)..];
        MonaiHandlerMetricKind kind = shortName switch
        {
            "MeanDice" => MonaiHandlerMetricKind.MeanDice,
            "MeanIoUHandler" or "MeanIoU" => MonaiHandlerMetricKind.MeanIoU,
            "HausdorffDistance" => MonaiHandlerMetricKind.HausdorffDistance,
            "SurfaceDistance" => MonaiHandlerMetricKind.SurfaceDistance,
            "Accuracy" => MonaiHandlerMetricKind.Accuracy,
            _ => throw NotSupported($"The metric handler '{nameOrPath}' ({logLabel}) is not one MdaiClara computes (MeanDice, MeanIoUHandler, HausdorffDistance, SurfaceDistance, Accuracy).", nameOrPath),
        };
        var metric = new MonaiHandlerMetric(logLabel, kind);
        if (args is not { ValueKind: JsonValueKind.Object } given)
        {
            return metric;
        }

        foreach (var property in given.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "include_background" when kind != MonaiHandlerMetricKind.Accuracy:
                    metric = metric with { IncludeBackground = Boolean(value, property.Name, logLabel) };
                    break;
                case "percentile" when kind == MonaiHandlerMetricKind.HausdorffDistance:
                    metric = metric with { Percentile = value.ValueKind == JsonValueKind.Null ? null : Number(value, property.Name, logLabel) };
                    break;
                case "directed" when kind == MonaiHandlerMetricKind.HausdorffDistance:
                    metric = metric with { Directed = Boolean(value, property.Name, logLabel) };
                    break;
                case "symmetric" when kind == MonaiHandlerMetricKind.SurfaceDistance:
                    metric = metric with { Symmetric = Boolean(value, property.Name, logLabel) };
                    break;
                case "distance_metric" when value.ValueKind == JsonValueKind.String && value.GetString() == "euclidean":
                    break;
                case "reduction" when value.ValueKind == JsonValueKind.String && value.GetString() != "mean":
                    throw NotSupported($"{logLabel}: reduction '{value.GetString()}' is not computed by MdaiClara (only the default 'mean').", logLabel);
                case var name when IgnoredArguments.Contains(name):
                    break;
                default:
                    throw NotSupported($"{logLabel} ({nameOrPath}): the argument '{property.Name}' = {value.GetRawText()} is not computed by MdaiClara.", logLabel);
            }
        }

        if (metric.Percentile is { } p && !(p is >= 0 and <= 100))
        {
            throw new MdaiClaraException($"{logLabel}: percentile must be from 0 to 100, not {p.ToString(CultureInfo.InvariantCulture)}.", ErrorIds.MetricArgumentInvalid, ErrorKind.InvalidArgument, logLabel);
        }

        return metric;
    }

    private static bool Boolean(JsonElement value, string name, string logLabel) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new MdaiClaraException($"{logLabel}: {name} must be true or false, not {value.GetRawText()}.", ErrorIds.MetricArgumentInvalid, ErrorKind.InvalidArgument, logLabel),
    };

    private static double Number(JsonElement value, string name, string logLabel) =>
        value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : throw new MdaiClaraException($"{logLabel}: {name} must be a number, not {value.GetRawText()}.", ErrorIds.MetricArgumentInvalid, ErrorKind.InvalidArgument, logLabel);

    private static MdaiClaraException NotSupported(string message, string target) =>
        new(message, ErrorIds.MetricNotSupported, ErrorKind.InvalidArgument, target);
}
