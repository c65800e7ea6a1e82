using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Inference.Transforms;
using TorchSharp;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Inferers;

/// <summary>How overlapping windows are weighted when they are blended.</summary>
public enum BlendMode
{
    Constant,
    Gaussian,
}

/// <summary>
/// MONAI <c>SlidingWindowInferer</c> arguments. <see cref="RoiSize"/>, <see cref="Overlap"/> and
/// <see cref="SigmaScale"/> hold one value (a scalar in the config, used for every axis) or one per spatial axis;
/// roi entries ≤ 0 take the image extent; <see cref="Overlap"/> defaults to 0.25 and <see cref="SigmaScale"/> to 0.125;
/// <see cref="PaddingMode"/> is F.pad's ("constant", "reflect", "replicate", "circular").
/// </summary>
public sealed record SlidingWindowOptions(
    long[] RoiSize,
    int SwBatchSize = 1,
    double[]? Overlap = null,
    BlendMode Mode = BlendMode.Constant,
    double[]? SigmaScale = null,
    string PaddingMode = "constant",
    double Cval = 0);

/// <summary>
/// MONAI <c>sliding_window_inference</c>: pads to the ROI, tiles windows in MONAI's order, feeds them to the network
/// sw_batch_size at a time on the input's device, and blends with the importance map of <see cref="MonaiSemantics"/>
/// (≤ 1.0.0: GaussianFilter of a delta, off-centre for even ROI; ≥ 1.0.1: sampled symmetric gaussian).
/// </summary>
/// <remarks>
/// The importance map is computed once per ROI and device and kept until <see cref="Dispose"/>. One instance may
/// serve several threads.
/// </remarks>
public sealed class SlidingWindowInferer : IInferer, IDisposable
{
    private const string Component = "SlidingWindowInferer";

    private readonly long[] _roiSize;
    private readonly double[] _overlap;
    private readonly double[] _sigmaScale;
    private readonly PaddingModes _paddingMode;
    private readonly Dictionary<string, Tensor> _importanceMaps = new(StringComparer.Ordinal);
    private readonly object _importanceMapsLock = new();

    /// <summary>Checks the arguments (as far as they can be checked without an image) for <paramref name="semantics"/>.</summary>
    public SlidingWindowInferer(SlidingWindowOptions options, MonaiSemantics semantics)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Semantics = semantics;
        _roiSize = CheckedRoiSize(options.RoiSize);
        _overlap = CheckedOverlap(options.Overlap, semantics);
        _sigmaScale = CheckedSigmaScale(options.SigmaScale, options.Mode);
        _paddingMode = ParsePaddingMode(options.PaddingMode);
        if (options.SwBatchSize < 1)
        {
            throw TransformErrors.Argument(Component, "sw_batch_size", $"must be at least 1, not {options.SwBatchSize}");
        }
    }

    public SlidingWindowOptions Options { get; }

    public MonaiSemantics Semantics { get; }

    /// <summary>How many windows an image of this spatial shape takes (per batch item).</summary>
    public int CountWindows(long[] spatialShape)
    {
        ArgumentNullException.ThrowIfNull(spatialShape);
        return Grid(spatialShape).WindowStarts.Count;
    }

    /// <summary>
    /// Runs <paramref name="network"/> over the windows of <paramref name="inputs"/> [N, C, *spatial] and returns the
    /// blended float32 output [N, C_out, *spatial] on the input's device (in the caller's dispose scope). Progress
    /// counts the windows of all batch items and is reported after every network call; cancellation is checked
    /// before every call.
    /// </summary>
    public Tensor Infer(Tensor inputs, Func<Tensor, Tensor> network, IProgress<InferenceProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(network);
        if (inputs.dim() < 3)
        {
            throw TransformErrors.Input(Component, $"expects a batch [N, C, *spatial] with at least one spatial axis, not a tensor of shape {Shape(inputs.shape)}");
        }

        if (inputs.shape[0] < 1)
        {
            throw TransformErrors.Input(Component, $"got an empty batch (shape {Shape(inputs.shape)})");
        }

        var grid = Grid(inputs.shape[2..]);
        var device = inputs.device;
        var batchSize = inputs.shape[0];
        var windowsPerItem = grid.WindowStarts.Count;
        var totalWindows = checked((int)(batchSize * windowsPerItem));

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var padded = grid.IsPadded ? Pad(inputs, grid) : inputs;
        var weights = ImportanceMapFor(grid.Roi, device);
        var weightSum = WeightSum(grid, weights, device);

        Tensor? blended = null;
        for (var first = 0; first < totalWindows; first += Options.SwBatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(Options.SwBatchSize, totalWindows - first);
            // Every temporary of a chunk goes with it, so memory stays flat however many windows there are.
            using (NewDisposeScope())
            {
                var windows = Enumerable.Range(first, count)
                    .Select(index => grid.Window(padded, index / windowsPerItem, index % windowsPerItem))
                    .ToArray();
                var prediction = network(count == 1 ? windows[0] : cat(windows, 0));
                CheckPrediction(prediction, count, grid.Roi, blended);
                if (blended is null)
                {
                    var outputShape = new[] { batchSize, prediction.shape[1] }.Concat(grid.PaddedShape).ToArray();
                    blended = zeros(outputShape, ScalarType.Float32, device).MoveToOuterDisposeScope();
                }

                // float32 accumulation, window after window in MONAI's order, so the sums round as MONAI's do.
                var weighted = prediction.to(ScalarType.Float32, device) * weights;
                for (var k = 0; k < count; k++)
                {
                    var index = first + k;
                    grid.Window(blended, index / windowsPerItem, index % windowsPerItem).add_(weighted.narrow(0, k, 1));
                }
            }

            progress?.Report(new InferenceProgress(first + count, totalWindows));
        }

        var output = blended! / weightSum;
        return (grid.IsPadded ? grid.Unpad(output).contiguous() : output).MoveToOuterDisposeScope();
    }

    /// <summary>Releases the cached importance maps.</summary>
    public void Dispose()
    {
        lock (_importanceMapsLock)
        {
            foreach (var map in _importanceMaps.Values)
            {
                map.Dispose();
            }

            _importanceMaps.Clear();
        }
    }

    /// <summary>The importance map for one ROI on one device, computed at the first use (outside any dispose scope).</summary>
    internal Tensor ImportanceMapFor(long[] roi, Device device)
    {
        var key = string.Join("x", roi.Select(size => size.ToString(CultureInfo.InvariantCulture))) + "@" + device;
        lock (_importanceMapsLock)
        {
            if (!_importanceMaps.TryGetValue(key, out var map))
            {
                using var noGrad = no_grad();
                using var scope = NewDisposeScope();
                map = ImportanceMap.Create(roi, Options.Mode, _sigmaScale, Semantics, device);
                map.DetachFromDisposeScope();
                _importanceMaps[key] = map;
            }

            return map;
        }
    }

    private SlidingWindowGrid Grid(long[] spatialShape)
    {
        if (spatialShape.Length == 0 || spatialShape.Any(size => size < 1))
        {
            throw TransformErrors.Input(Component, $"cannot tile an image of spatial shape {Shape(spatialShape)}");
        }

        CheckPerAxis("roi_size", _roiSize.Length, spatialShape.Length);
        CheckPerAxis("overlap", _overlap.Length, spatialShape.Length);
        CheckPerAxis("sigma_scale", _sigmaScale.Length, spatialShape.Length);
        return SlidingWindowGrid.Create(spatialShape, _roiSize, _overlap);
    }

    private Tensor Pad(Tensor inputs, SlidingWindowGrid grid)
    {
        if (_paddingMode == PaddingModes.Constant)
        {
            return nn.functional.pad(inputs, grid.FunctionalPadding(), PaddingModes.Constant, Options.Cval);
        }

        // PyTorch's F.pad refuses a fill value for the other modes, so MONAI fails on such a config once it pads.
        if (Options.Cval != 0)
        {
            throw TransformErrors.Argument(Component, "cval", $"is {Options.Cval.ToString(CultureInfo.InvariantCulture)}, but a fill value only applies to padding_mode 'constant', not '{Options.PaddingMode}'");
        }

        return nn.functional.pad(inputs, grid.FunctionalPadding(), _paddingMode);
    }

    // Σ weights over every window of one image, as the divisor of the blend (the same for every batch item).
    private static Tensor WeightSum(SlidingWindowGrid grid, Tensor weights, Device device)
    {
        var sum = zeros(new long[] { 1, 1 }.Concat(grid.PaddedShape).ToArray(), ScalarType.Float32, device);
        for (var window = 0; window < grid.WindowStarts.Count; window++)
        {
            using var windowScope = NewDisposeScope();
            grid.Window(sum, 0, window).add_(weights);
        }

        return sum;
    }

    private static void CheckPrediction(Tensor prediction, int windows, long[] roi, Tensor? blended)
    {
        var shape = prediction.shape;
        var expected = $"[{windows}, C, {string.Join(", ", roi)}]";
        if (shape.Length != roi.Length + 2 || shape[0] != windows || !shape[2..].SequenceEqual(roi))
        {
            throw TransformErrors.Input(Component, $"the network returned a tensor of shape {Shape(shape)} for windows of shape {expected}; it must keep the batch size and the spatial size of its input");
        }

        if (blended is not null && shape[1] != blended.shape[1])
        {
            throw TransformErrors.Input(Component, $"the network returned {shape[1]} channels for one batch of windows and {blended.shape[1]} for an earlier one");
        }
    }

    private static void CheckPerAxis(string argument, int length, int spatialRank)
    {
        if (length != 1 && length != spatialRank)
        {
            throw TransformErrors.Argument(Component, argument, $"has {length} values for an image with {spatialRank} spatial axes (give one value or one per axis)");
        }
    }

    private static long[] CheckedRoiSize(long[]? roiSize)
    {
        if (roiSize is null || roiSize.Length == 0)
        {
            throw TransformErrors.Argument(Component, "roi_size", "is required (one size, or one per spatial axis)");
        }

        return (long[])roiSize.Clone();
    }

    private static double[] CheckedOverlap(double[]? overlap, MonaiSemantics semantics)
    {
        var values = overlap is null || overlap.Length == 0 ? new[] { 0.25 } : (double[])overlap.Clone();
        if (values.Any(value => !(value >= 0 && value < 1)))
        {
            throw TransformErrors.Argument(Component, "overlap", $"must be >= 0 and < 1, not {Values(values)}");
        }

        if (values.Length > 1 && semantics != MonaiSemantics.Monai1x)
        {
            throw TransformErrors.Argument(Component, "overlap", $"is one value per axis ({Values(values)}), which {MonaiSemanticsVersions.Describe(semantics)} does not support (MONAI 1.x does)");
        }

        return values;
    }

    private static double[] CheckedSigmaScale(double[]? sigmaScale, BlendMode mode)
    {
        var values = sigmaScale is null || sigmaScale.Length == 0 ? new[] { 0.125 } : (double[])sigmaScale.Clone();
        if (mode == BlendMode.Gaussian && values.Any(value => !(value > 0 && double.IsFinite(value))))
        {
            throw TransformErrors.Argument(Component, "sigma_scale", $"must be positive for mode 'gaussian', not {Values(values)}");
        }

        return values;
    }

    private static PaddingModes ParsePaddingMode(string? mode) => mode?.Trim().ToLowerInvariant() switch
    {
        "constant" => PaddingModes.Constant,
        "reflect" => PaddingModes.Reflect,
        "replicate" => PaddingModes.Replicate,
        "circular" => PaddingModes.Circular,
        _ => throw TransformErrors.Argument(Component, "padding_mode", $"is '{mode}'; use 'constant', 'reflect', 'replicate' or 'circular'"),
    };

    private static string Shape(long[] shape) => "[" + string.Join(", ", shape) + "]";

    private static string Values(double[] values) => string.Join(", ", values.Select(value => value.ToString(CultureInfo.InvariantCulture)));
}
