using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Metrics;
using MdaiClara.Engine.Models;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Evaluation;

/// <summary>
/// The metrics a validation config names (key_metric, additional_metrics) and its MetricsSaver, computed by the metrics
/// floor's MONAI handlers (<see cref="MonaiHandlerAccumulator"/>, <see cref="MetricsSaverWriter"/>) on the prediction
/// and label as the post-transforms leave them (one-hot channels, voxel units, as validate.sh's evaluator sees them).
/// A handler MdaiClara does not compute is a warning naming where the config writes it, and is left out.
/// </summary>
internal sealed class ConfigMetrics
{
    private readonly List<MonaiHandlerAccumulator> _handlers = new();
    private readonly List<string> _images = new();
    private readonly MetricsSaverSettings? _saver;
    private readonly MonaiSemantics _semantics;
    private readonly IReadOnlyList<MetricSetting> _settings;
    private int _channels = -1;

    public ConfigMetrics(EvaluationSettings evaluation, MonaiSemantics semantics, IEngineLog? log)
    {
        _semantics = semantics;
        var supported = new List<MetricSetting>();
        foreach (var leftOut in evaluation.MetricsLeftOut)
        {
            log.Warning($"{leftOut}. It is left out; the per-class metrics on the truth's grid are not.");
        }

        foreach (var metric in evaluation.Metrics)
        {
            try
            {
                MonaiHandlerMetric.FromConfig(metric.Component.Name, metric.LogLabel, Json(metric.Args));
                supported.Add(metric);
            }
            catch (MdaiClaraException ex)
            {
                log.Warning($"{Where(metric.Component)}: {ex.Message} It is left out; the per-class metrics on the truth's grid are not.");
            }
        }

        _settings = supported;
        if (evaluation.MetricsSaver is { } saver)
        {
            try
            {
                _saver = MetricsSaverSettings.FromConfig(Json(saver.Component.Args));
            }
            catch (MdaiClaraException ex)
            {
                log.Warning($"{Where(saver.Component)}: {ex.Message} No MetricsSaver file is written.");
            }
        }
    }

    public bool Any => _settings.Count > 0;

    /// <summary>Adds one case (its post-transformed prediction and label); returns each handler's per-class values (Accuracy: none).</summary>
    public IReadOnlyDictionary<string, double[]> Add(string image, Tensor prediction, Tensor label, CancellationToken cancellationToken)
    {
        if (!prediction.shape.SequenceEqual(label.shape))
        {
            throw new MdaiClaraException(
                $"{image}: the config's metrics get a prediction [{string.Join(", ", prediction.shape)}] and a label [{string.Join(", ", label.shape)}] of different shapes; the post-transforms must give both the same layout (AsDiscreted to_onehot on both keys).",
                ErrorIds.EvaluationGridMismatch, ErrorKind.InvalidData, image);
        }

        var channels = (int)prediction.shape[0];
        if (channels < 2)
        {
            throw new MdaiClaraException(
                $"{image}: the post-transforms leave one channel, not one-hot channels, so MONAI's metric handlers would not compute per-class values; the config's metrics need AsDiscreted to_onehot on pred and label.",
                ErrorIds.EvaluationMetricUnsupported, ErrorKind.InvalidData, image);
        }

        if (_channels < 0)
        {
            _channels = channels;
            _handlers.AddRange(_settings.Select(m => new MonaiHandlerAccumulator(MonaiHandlerMetric.FromConfig(m.Component.Name, m.LogLabel, Json(m.Args)), Enumerable.Range(0, channels).ToList(), _semantics)));
        }
        else if (channels != _channels)
        {
            throw new MdaiClaraException($"{image}: the post-transforms give {channels} channels here, {_channels} for the cases before.", ErrorIds.EvaluationMetricUnsupported, ErrorKind.InvalidData, image);
        }

        // One-hot channels as the label maps the handlers take (the channel of each voxel's one), on one grid.
        var pred = LabelMap(prediction, image);
        var truth = LabelMap(label, image);
        var values = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var handler in _handlers)
        {
            var v = handler.Add(pred, truth, cancellationToken);
            if (v.Length > 0)
            {
                values[handler.Metric.LogLabel] = v;
            }
        }

        _images.Add(image);
        return values;
    }

    /// <summary>Each handler's value over all cases, by log label, as MONAI reduces it.</summary>
    public IReadOnlyDictionary<string, double> Values => _handlers.ToDictionary(h => h.Metric.LogLabel, h => h.Value, StringComparer.Ordinal);

    /// <summary>What the config's MetricsSaver would write into <paramref name="directory"/>, when it has one and a case was measured.</summary>
    public IReadOnlyList<string> PlannedFiles(string directory)
    {
        if (_saver is null)
        {
            return Array.Empty<string>();
        }

        var files = new List<string>();
        if (_settings.Any(m => MetricsSaverSettings.Selects(_saver.Metrics, m.LogLabel)))
        {
            files.Add(Path.Combine(directory, "metrics.csv"));
        }

        foreach (var m in _settings.Where(m => m.Name != "Accuracy" && MetricsSaverSettings.Selects(_saver.MetricDetails, m.LogLabel)))
        {
            files.Add(Path.Combine(directory, m.LogLabel + "_raw.csv"));
            if (_saver.SummaryOps is { Count: > 0 })
            {
                files.Add(Path.Combine(directory, m.LogLabel + "_summary.csv"));
            }
        }

        return files;
    }

    /// <summary>Writes MetricsSaver's files (when the config has one and a case was measured); returns their paths.</summary>
    public IReadOnlyList<string> WriteMetricsSaver(string directory, CancellationToken cancellationToken) =>
        _saver is null || _handlers.Count == 0 || _images.Count == 0
            ? Array.Empty<string>()
            : MetricsSaverWriter.Write(directory, _saver, _images, _handlers, cancellationToken);

    private static Volume LabelMap(Tensor onehot, string image)
    {
        using var scope = NewDisposeScope();
        var labels = onehot.max(0).indexes.to_type(ScalarType.Byte);
        return VolumeTensors.ToVolume(labels, Affine.Identity, VoxelType.UInt8, image);
    }

    private static string Where(ComponentSpec c) => c.Location is { } at ? $"{c.File}:{at.Line}:{at.Column}" : c.File;

    /// <summary>A config object as the JSON the metrics floor reads handler arguments from.</summary>
    internal static JsonElement Json(ConfigObject args)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, args);
        }

        using var document = JsonDocument.Parse(stream.ToArray());
        return document.RootElement.Clone();
    }

    private static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case double d:
                writer.WriteNumberValue(d);
                break;
            case ConfigObject o:
                writer.WriteStartObject();
                foreach (var (k, v) in o)
                {
                    writer.WritePropertyName(k);
                    Write(writer, v);
                }

                writer.WriteEndObject();
                break;
            case object?[] list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }
}
