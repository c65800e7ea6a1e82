using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Transforms;

/// <summary>MONAI post-processing on channel-first tensors [C, *spatial] (no batch axis), on the input's device.</summary>
public static class PostTransforms
{
    /// <summary>The one rounding mode MONAI's AsDiscrete knows: torch.round (half to even).</summary>
    public const string TorchRounding = "torchrounding";

    /// <summary>Activations: sigmoid, or softmax over the channel axis (both is an error).</summary>
    /// <remarks>Float32 out (MONAI casts back to the input's dtype, which is float32 for model outputs).</remarks>
    public static Tensor Activations(Tensor image, bool sigmoid, bool softmax)
    {
        const string component = "Activations";
        if (sigmoid && softmax)
        {
            throw TransformErrors.Argument(component, "softmax", "cannot be combined with sigmoid (choose one)");
        }

        if (softmax && image.dim() < 1)
        {
            throw TransformErrors.Input(component, "softmax needs a channel axis, and this tensor has no axes");
        }

        using var scope = NewDisposeScope();
        var values = image.to_type(ScalarType.Float32);
        var result = sigmoid ? values.sigmoid()
            : softmax ? values.softmax(0)
            : values.clone();
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>AsDiscrete: argmax (keepdim, first max wins) → one-hot with <paramref name="toOnehot"/> classes → x ≥ threshold → rounding ("torchrounding"); float32.</summary>
    /// <remarks>
    /// One-hot takes the label channel (length 1) truncated to integers, as MONAI's <c>labels.long()</c> does; a label
    /// outside 0 … classes − 1 is an error (MONAI's scatter fails on it too).
    /// </remarks>
    public static Tensor AsDiscrete(Tensor image, bool argmax, int? toOnehot, double? threshold, string? rounding)
    {
        const string component = "AsDiscrete";
        if (toOnehot is < 1)
        {
            throw TransformErrors.Argument(component, "to_onehot", $"must be a number of classes (1 or more), not {toOnehot}");
        }

        if (rounding is not null && rounding != TorchRounding)
        {
            throw TransformErrors.Argument(component, "rounding", $"must be \"{TorchRounding}\", not \"{rounding}\"");
        }

        if (argmax && image.dim() < 1)
        {
            throw TransformErrors.Input(component, "argmax needs a channel axis, and this tensor has no axes");
        }

        using var scope = NewDisposeScope();
        // max(dim) gives argmax's indices (first maximum wins, as argmax) and, on the CPU, 8× faster over the channel axis.
        var values = argmax ? image.max(0, keepdim: true).indexes : image;
        if (toOnehot is int classes)
        {
            values = OneHot(values, classes, component);
        }

        if (threshold is double cut)
        {
            values = values >= cut;
        }

        values = values.to_type(ScalarType.Float32);
        if (rounding is not null)
        {
            values = values.round();
        }

        // With every step off, the float32 view may still share the input's storage.
        var untouched = !argmax && toOnehot is null && threshold is null && rounding is null;
        return (untouched ? values.clone() : values).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// KeepLargestConnectedComponent: for the applied labels (all non-zero when null, 1.x only), keep the largest
    /// connected component(s) (connectivity 1 … rank, null = full), jointly or independently; one-hot or label input
    /// (<paramref name="isOnehot"/> null: C &gt; 1). Ties: 0.8.1 keeps the first component in C order, 1.x the last.
    /// </summary>
    /// <remarks>
    /// The result keeps the input's dtype and values; only voxels outside the kept components are set to 0. A label
    /// map is read from channel 0. Independently (the default), label i's foreground is channel i &gt; 0 (one-hot) or
    /// channel 0 == i; jointly it is the union (one-hot: channels == 1). Components are found on the host (see
    /// <see cref="ConnectedComponentLabeling"/>): one mask goes there and, when voxels are removed, one comes back.
    /// 1.x ties follow NumPy's argsort (the highest label among fewer than 17 components).
    /// </remarks>
    /// <param name="image">Channel-first [C, *spatial], spatial rank 1 to 3.</param>
    /// <param name="appliedLabels">Labels (label map) or channels (one-hot) to filter; required by 0.8.1, null = every non-zero label in 1.x.</param>
    /// <param name="isOnehot">One-hot input; null: C &gt; 1.</param>
    /// <param name="independent">Each label on its own (true) or their union (false).</param>
    /// <param name="connectivity">1 … spatial rank (skimage: 1 = faces); null = full connectivity.</param>
    /// <param name="numComponents">1.x only: how many of the largest components to keep (null = 1).</param>
    /// <param name="semantics">The MONAI version to follow.</param>
    public static Tensor KeepLargestConnectedComponent(Tensor image, int[]? appliedLabels, bool? isOnehot, bool independent, int? connectivity, int? numComponents, MonaiSemantics semantics)
    {
        const string component = "KeepLargestConnectedComponent";
        var spatialRank = (int)image.dim() - 1;
        if (spatialRank is < 1 or > 3)
        {
            throw TransformErrors.Input(component, $"expects a channel-first image with 1 to 3 spatial axes, got shape [{string.Join(", ", image.shape)}]");
        }

        var fullConnectivity = connectivity ?? spatialRank;
        if (fullConnectivity < 1 || fullConnectivity > spatialRank)
        {
            throw TransformErrors.Argument(component, "connectivity", $"must be 1 … {spatialRank} for {spatialRank} spatial axes, not {connectivity}");
        }

        var keep = 1;
        if (semantics == MonaiSemantics.Monai1x)
        {
            keep = numComponents ?? 1;
            if (keep < 1)
            {
                throw TransformErrors.Argument(component, "num_components", $"must be 1 or more, not {numComponents}");
            }
        }
        else
        {
            if (appliedLabels is null)
            {
                throw TransformErrors.Argument(component, "applied_labels", $"is required by {MonaiSemanticsVersions.Describe(semantics)} (only MONAI 1.x defaults to every label)");
            }

            if (numComponents is not null)
            {
                throw TransformErrors.Argument(component, "num_components", $"does not exist in {MonaiSemanticsVersions.Describe(semantics)} (it came with MONAI 1.x)");
            }
        }

        var channels = image.shape[0];
        var onehot = isOnehot ?? channels > 1;
        using var scope = NewDisposeScope();
        var labels = appliedLabels is null ? PresentLabels(image, onehot, component) : appliedLabels.Select(l => (double)l).ToArray();
        var missingChannels = onehot ? labels.Where(l => l < 0 || l >= channels).ToArray() : Array.Empty<double>();
        if (missingChannels.Length > 0)
        {
            throw TransformErrors.Argument(component, "applied_labels", $"names channel(s) {Format(missingChannels)} of a one-hot image with {channels} channels");
        }

        RemovedVoxels? Removed(Tensor foreground) => LargestComponentFilter.RemovedVoxels(foreground, fullConnectivity, keep, semantics, component);

        var result = image.clone();
        if (independent)
        {
            // Label by label on the running result, as MONAI edits its array in place.
            foreach (var label in labels)
            {
                var channel = result[onehot ? (long)label : 0];
                Removed(onehot ? channel > 0 : channel == LabelValue(label, channel))?.ZeroIn(channel);
            }
        }
        else
        {
            var foreground = zeros(result.shape.Skip(1).ToArray(), ScalarType.Bool, result.device);
            foreach (var label in labels)
            {
                foreground = foreground.logical_or(onehot ? result[(long)label] == 1 : result[0] == LabelValue(label, result));
            }

            var removed = Removed(foreground);
            if (removed is not null)
            {
                foreach (var channel in onehot ? labels.Select(l => (long)l) : new[] { 0L })
                {
                    removed.ZeroIn(result[channel]);
                }
            }
        }

        return result.MoveToOuterDisposeScope();
    }

    /// <summary>A label as a scalar of the map's kind, so an integer map is compared without a float copy of it.</summary>
    private static Scalar LabelValue(double label, Tensor map) =>
        !map.is_floating_point() && Math.Abs(label) < (1L << 53) && label == Math.Floor(label) ? (Scalar)(long)label : (Scalar)label;

    /// <summary>MONAI's <c>one_hot(labels, classes, dim=0)</c> for a label tensor whose axis 0 has length 1.</summary>
    private static Tensor OneHot(Tensor labels, int classes, string component)
    {
        if (labels.dim() == 0)
        {
            labels = labels.reshape(1);
        }

        if (labels.shape[0] != 1)
        {
            throw TransformErrors.Input(component, $"to_onehot needs a single label channel, and the input has {labels.shape[0]} channels (use argmax first)");
        }

        var indices = labels.to_type(ScalarType.Int64);
        if (indices.numel() > 0)
        {
            var lowest = indices.min().item<long>();
            var highest = indices.max().item<long>();
            if (lowest < 0 || highest >= classes)
            {
                throw TransformErrors.Input(component, $"label {(lowest < 0 ? lowest : highest)} is outside the {classes} classes of to_onehot (0 … {classes - 1})");
            }
        }

        var classShape = new long[labels.dim()];
        Array.Fill(classShape, 1L);
        classShape[0] = classes;
        var classIndex = arange(classes, dtype: ScalarType.Int64, device: labels.device).reshape(classShape);
        return (indices == classIndex).to_type(ScalarType.Float32);
    }

    /// <summary>1.x's default labels: one-hot channels (but 0) holding anything, or the non-zero values of a label map.</summary>
    private static double[] PresentLabels(Tensor image, bool onehot, string component)
    {
        if (onehot)
        {
            var channelSums = image.flatten(1).to_type(ScalarType.Float64).sum(1).cpu();
            var sums = channelSums.data<double>().ToArray();
            return Enumerable.Range(1, sums.Length - 1).Where(c => sums[c] > 0).Select(c => (double)c).ToArray();
        }

        if (image.shape[0] != 1)
        {
            throw TransformErrors.Input(component, $"a label map (not one-hot) must have one channel, and this one has {image.shape[0]}");
        }

        var values = image.unique().output.to_type(ScalarType.Float64).cpu().data<double>().ToArray();
        return values.Where(v => v != 0).ToArray();
    }

    /// <summary>How labels print in messages.</summary>
    private static string Format(IEnumerable<double> labels) => string.Join(", ", labels.Select(l => l.ToString(CultureInfo.InvariantCulture)));
}
