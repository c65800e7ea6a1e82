using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Models;
using TorchSharp;

namespace MdaiClara.Engine.Validation.Deep;

/// <summary>
/// The -Deep forward probe of any runnable model (Test-Mmar -Deep, Test-MonaiBundle -Deep): loads the TorchScript, runs
/// one forward pass on a dummy input shaped from the config (inferer roi_size, or a Resize/SpatialPad size; input
/// channels) and checks the output channel count. Reads only the <see cref="RunnableModel"/>.
/// </summary>
public static class ForwardProbe
{
    private const long MaxInputElements = 64L * 1024 * 1024;
    private const long MaxDimension = 4096;

    /// <summary>The dummy input shape [1, C, …] and where its spatial size came from.</summary>
    public static (long[] Shape, string Source) InputShape(RunnableModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return InputShape(model.Inference, model.InputChannels, model.Task);
    }

    /// <summary>The dummy input shape from a pipeline, the input channel count (1 when unknown) and the task.</summary>
    public static (long[] Shape, string Source) InputShape(InferenceConfig? config, int? inputChannels, ModelTask task)
    {
        var channels = inputChannels ?? 1;
        if (config?.Inferer is { CanonicalName: "SlidingWindowInferer" } sw && sw.Args.TryGetValue("roi_size", out var roi) && ToSizes(roi, 3) is { } roiSizes)
        {
            return (Prepend(channels, roiSizes), "the SlidingWindowInferer roi_size");
        }

        foreach (var t in (config?.PreTransforms ?? Array.Empty<ComponentSpec>()).Reverse())
        {
            foreach (var (name, key) in new[] { ("Resized", "spatial_size"), ("Resize", "spatial_size"), ("SpatialPadd", "spatial_size"), ("SpatialPad", "spatial_size"), ("ResizeWithPadOrCropd", "spatial_size"), ("CenterSpatialCropd", "roi_size") })
            {
                if (t.CanonicalName == name && t.Args.TryGetValue(key, out var size) && ToSizes(size, 2) is { } sizes)
                {
                    return (Prepend(channels, sizes), $"{t.Name} {key}");
                }
            }
        }

        return task == ModelTask.Classification
            ? (new long[] { 1, channels, 224, 224 }, "a default 224×224 (no size in the config)")
            : (new long[] { 1, channels, 96, 96, 96 }, "a default 96³ (no size in the config)");
    }

    /// <summary>The probe's findings (<see cref="MmarRuleIds.DeepForward"/>, <see cref="MmarRuleIds.DeepOutputChannels"/>), files relative to the model's root.</summary>
    /// <remarks>A <c>declaredInput</c> shape (a bundle's network_data_format spatial_shape) is used instead of the one read from the config.</remarks>
    public static IEnumerable<MmarFinding> Run(RunnableModel info, DeviceSpec device, ModelSessionCache cache, IEngineLog? log, CancellationToken cancellationToken, (long[] Shape, string Source)? declaredInput = null)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (info.ModelFile is not { } ts)
        {
            yield return new MmarFinding(MmarRuleIds.DeepForward, FindingSeverity.Information,
                $"The forward pass was skipped: there is no TorchScript model to run ({info.ModelFileExpected ?? "none named"}); {info.ModelFileRemedy}.");
            yield break;
        }

        var (shape, shapeSource) = declaredInput ?? InputShape(info);
        if (shape.Any(d => d > MaxDimension) || Elements(shape) > MaxInputElements)
        {
            yield return new MmarFinding(MmarRuleIds.DeepForward, FindingSeverity.Warning,
                $"The dummy input [{Join(shape)}] from {shapeSource} is too large to probe; skipped the forward pass.");
            yield break;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var findings = new List<MmarFinding>();
        TorchScriptModel? loaded = null;
        try
        {
            var model = loaded = cache.GetOrLoad(ts.Sha256, device, d => TorchScriptModel.Load(ts, d, log), log, ts.DisplayPath);
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = torch.NewDisposeScope();
            using var inference = torch.inference_mode();
            var generator = new torch.Generator(20240601);
            var input = torch.rand(shape, dtype: torch.ScalarType.Float32, generator: generator).to(model.Device);
            var clock = Stopwatch.StartNew();
            var output = model.Forward(input);
            var outShape = output.shape;
            clock.Stop();
            var finite = output.isfinite().all().item<bool>();
            findings.AddRange(Judge(info, shape, shapeSource, outShape, finite, clock.Elapsed.TotalMilliseconds, model.Device.ToString()));
        }
        catch (MdaiClaraException ex) when (ex.ErrorId is ErrorIds.TorchScriptLoadFailed or ErrorIds.TorchScriptForwardFailed)
        {
            // The engine's message keeps the interpreter's cause; the channel comparison says what to change.
            var channels = loaded is null ? null : ChannelComparison(info, shape, loaded);
            findings.Add(new MmarFinding(MmarRuleIds.DeepForward, FindingSeverity.Error, channels is null ? ex.Message : $"{ex.Message} {channels}", ts.RelativePath ?? ts.DisplayPath));
        }

        foreach (var f in findings)
        {
            yield return f;
        }
    }


    /// <summary>
    /// The dummy input's channels against the declared count (INPUT_CHANNELS, or what stated the count) and the first
    /// layer's weight shape, when the weights tell: "the model's first layer expects 2 channels, INPUT_CHANNELS says 1".
    /// </summary>
    internal static string? ChannelComparison(RunnableModel info, long[] input, TorchScriptModel model)
    {
        (string Name, long[] Shape)? weight;
        try
        {
            weight = model.FirstLayerWeight();
        }
        catch (Exception ex) when (ex is System.Runtime.InteropServices.ExternalException or InvalidOperationException or ArgumentException)
        {
            return null;
        }

        if (weight is not { Shape.Length: >= 2 } w)
        {
            return null;
        }

        var expects = w.Shape.Length > 2 ? w.Shape[1] : w.Shape[^1]; // conv [out, in, k…]; linear [out, in]
        var stated = info.InputChannels is { } n
            ? $"{info.InputChannelsSource?.Split(';')[0] ?? $"the {info.Format}"} says {n}"
            : $"nothing states the count ({info.InputChannelsSource ?? $"no {info.InputChannelsSetting}"}), so 1 was assumed";
        return expects == input[1]
            ? $"The model's first layer ({w.Name}, [{Join(w.Shape)}]) takes {expects} channels, as the dummy input had; the failure is elsewhere."
            : $"The model's first layer ({w.Name}, [{Join(w.Shape)}]) expects {expects} channels, {stated}, and the dummy input had {input[1]}: set {info.InputChannelsSetting} to what the model takes, or check the pre-transforms that make the channels.";
    }

    private static IEnumerable<MmarFinding> Judge(RunnableModel info, long[] input, string shapeSource, long[] output, bool finite, double ms, string device)
    {
        var file = info.ModelFile!.RelativePath ?? info.ModelFile.DisplayPath;
        var summary = $"forward pass on [{Join(input)}] (from {shapeSource}) gave [{Join(output)}] in {ms.ToString("F0", CultureInfo.InvariantCulture)} ms on {device}";
        if (output.Length < 2 || output[0] != input[0])
        {
            yield return new MmarFinding(MmarRuleIds.DeepOutputChannels, FindingSeverity.Error,
                $"The model's output has no [batch, channel, …] shape: {summary}.", file);
            yield break;
        }

        if (info.OutputChannels is { } expected && output[1] != expected)
        {
            yield return new MmarFinding(MmarRuleIds.DeepOutputChannels, FindingSeverity.Error,
                $"The model outputs {output[1]} channels but the {info.Format} declares {expected} ({info.OutputChannelsSource}): {summary}.", file);
        }

        if (info.Task == ModelTask.Segmentation && !output.Skip(2).SequenceEqual(input.Skip(2)))
        {
            yield return new MmarFinding(MmarRuleIds.DeepOutputChannels, FindingSeverity.Warning,
                $"The segmentation output's spatial size differs from the input's ({summary}); the sliding window expects the same size.", file);
        }

        if (!finite)
        {
            yield return new MmarFinding(MmarRuleIds.DeepForward, FindingSeverity.Warning, $"The output holds NaN or infinite values: {summary}.", file);
        }

        yield return new MmarFinding(MmarRuleIds.DeepForward, FindingSeverity.Information, $"TorchScript {summary}.", file);
    }

    private static long[]? ToSizes(object? value, int defaultDims)
    {
        long[]? sizes = value switch
        {
            object?[] list when list.Length is > 0 and <= 4 && list.All(v => v is long) => list.Cast<long>().ToArray(),
            long n => Enumerable.Repeat(n, defaultDims).ToArray(),
            _ => null,
        };
        return sizes?.Select(s => s > 0 ? s : 64).ToArray();
    }

    /// <summary>The element count, saturating instead of wrapping (a roi of 2^32 must not look small).</summary>
    private static long Elements(long[] shape)
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d > 0 && n > long.MaxValue / d)
            {
                return long.MaxValue;
            }

            n *= d;
        }

        return n;
    }

    private static long[] Prepend(long channels, long[] spatial) => new[] { 1L, channels }.Concat(spatial).ToArray();

    private static string Join(IEnumerable<long> shape) => string.Join(", ", shape);
}
