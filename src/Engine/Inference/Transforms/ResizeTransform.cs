using System;
using System.Linq;
using MdaiClara.Engine.Inference.Spatial;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Transforms;

/// <summary>MONAI <c>Resize</c>: F.interpolate to a spatial size (size_mode "all" or "longest"), on the input's device.</summary>
public static class ResizeTransform
{
    private const string Component = "Resize";

    /// <summary>The output spatial size for an input of <paramref name="spatialShape"/> (entries ≤ 0 keep the input's).</summary>
    /// <param name="spatialShape">The input's spatial shape.</param>
    /// <param name="spatialSize">size_mode "all": one size per axis (more sizes than axes give the input trailing
    /// axes of size 1, as MONAI reshapes it). size_mode "longest": a single size for the longest axis.</param>
    /// <param name="sizeMode">"all" or "longest" (the other axes scale with it, <c>round</c> half to even as Python).</param>
    public static long[] OutputShape(long[] spatialShape, long[] spatialSize, string sizeMode)
    {
        if (spatialShape is null || spatialShape.Length == 0 || spatialShape.Any(s => s <= 0))
        {
            throw TransformErrors.Input(Component,
                $"needs an image with at least one non-empty spatial axis, got spatial shape {(spatialShape is null ? "none" : AxisArguments.Describe(spatialShape))}");
        }

        if (spatialSize is null || spatialSize.Length == 0)
        {
            throw TransformErrors.Argument(Component, "spatial_size", "is missing");
        }

        long[] output;
        switch (sizeMode)
        {
            case "all":
                if (spatialSize.Length < spatialShape.Length)
                {
                    throw TransformErrors.Argument(Component, "spatial_size",
                        $"has {spatialSize.Length} value(s) for an image with {spatialShape.Length} spatial axes ({AxisArguments.Describe(spatialSize)}); MONAI needs one per axis with size_mode \"all\"");
                }

                output = spatialSize.Select((size, d) => size > 0 ? size : d < spatialShape.Length ? spatialShape[d] : 1).ToArray();
                break;

            case "longest":
                if (spatialSize.Length != 1 || spatialSize[0] <= 0)
                {
                    throw TransformErrors.Argument(Component, "spatial_size",
                        $"must be one positive size with size_mode \"longest\", got {AxisArguments.Describe(spatialSize)}");
                }

                var scale = (double)spatialSize[0] / spatialShape.Max();
                output = spatialShape.Select(s => (long)Math.Round(s * scale, MidpointRounding.ToEven)).ToArray();
                if (output.Any(s => s == 0))
                {
                    throw TransformErrors.Argument(Component, "spatial_size",
                        $"{spatialSize[0]} scales the spatial shape {AxisArguments.Describe(spatialShape)} to {AxisArguments.Describe(output)}, which has an empty axis");
                }

                break;

            default:
                throw TransformErrors.Argument(Component, "size_mode", $"must be \"all\" or \"longest\", got \"{sizeMode}\"");
        }

        return output;
    }

    /// <summary>
    /// Resizes the spatial axes of <paramref name="image"/> [C, *spatial] with F.interpolate on its device, computing
    /// in float32 as MONAI does.
    /// </summary>
    /// <param name="image">Channel-first image (any device, any real dtype).</param>
    /// <param name="spatialSize">See <see cref="OutputShape"/>.</param>
    /// <param name="sizeMode">"all" or "longest" (not in MONAI 0.5).</param>
    /// <param name="mode">Interpolation (MONAI's default is <see cref="Interpolation.Area"/>). MONAI 1.x turns
    /// linear/bilinear/trilinear into the one that fits the spatial rank; 0.5 and 0.8.1 pass the name to PyTorch,
    /// which refuses a mismatch, and know no nearest-exact. Bicubic needs two spatial axes.</param>
    /// <param name="alignCorners">F.interpolate's align_corners; null = PyTorch's default. Only for the linear
    /// modes and bicubic (PyTorch refuses it elsewhere).</param>
    /// <param name="antiAliasing">MONAI 1.x: Gaussian pre-smoothing (erf kernel, 4σ, zero border) when an axis
    /// shrinks. Not in 0.5 / 0.8.1.</param>
    /// <param name="antiAliasingSigma">σ per axis (one value for all), used on the shrinking axes only; null = MONAI's
    /// default max(0, (in/out − 1)/2).</param>
    /// <param name="semantics">Which MONAI to follow.</param>
    /// <returns>A new tensor [C, *output shape] on the input's device: float32, except that MONAI 0.8.1 casts the
    /// result back to the input's dtype (truncating for integer inputs).</returns>
    public static Tensor Resize(Tensor image, long[] spatialSize, string sizeMode, Interpolation mode, bool? alignCorners, bool antiAliasing, double[]? antiAliasingSigma, MonaiSemantics semantics)
    {
        AxisArguments.SpatialRank(image, Component);
        var legacy = semantics != MonaiSemantics.Monai1x;
        var version = MonaiSemanticsVersions.Describe(semantics);
        if (semantics == MonaiSemantics.Monai05 && sizeMode == "longest")
        {
            throw TransformErrors.Argument(Component, "size_mode", $"\"longest\" does not exist in {version}");
        }

        if (legacy && antiAliasing)
        {
            throw TransformErrors.Argument(Component, "anti_aliasing", $"does not exist in {version} (it came with MONAI 1.x)");
        }

        var inputShape = AxisArguments.SpatialShape(image);
        var outputShape = OutputShape(inputShape, spatialSize, sizeMode);
        var rank = outputShape.Length;
        if (rank > 3)
        {
            throw TransformErrors.Argument(Component, "spatial_size",
                $"asks for {rank} spatial axes; F.interpolate resizes at most 3");
        }

        var extendedShape = new long[rank + 1];
        extendedShape[0] = image.shape[0];
        for (var d = 0; d < rank; d++)
        {
            extendedShape[d + 1] = d < inputShape.Length ? inputShape[d] : 1;
        }

        using var scope = NewDisposeScope();
        var input = image.to_type(ScalarType.Float32).reshape(extendedShape);
        if (!legacy && outputShape.SequenceEqual(extendedShape[1..]))
        {
            // MONAI 1.x hands the input back (as float32) before it looks at the mode when the size does not change.
            return input.clone().MoveToOuterDisposeScope();
        }

        var interpolation = TorchMode(mode, rank, semantics);
        if (alignCorners is not null && mode is not (Interpolation.Linear or Interpolation.Bilinear or Interpolation.Trilinear or Interpolation.Bicubic))
        {
            throw TransformErrors.Argument(Component, "align_corners",
                $"can only be set with the linear modes and bicubic (PyTorch refuses it with {ModeName(mode)})");
        }

        if (antiAliasing && outputShape.Where((size, d) => size < extendedShape[d + 1]).Any())
        {
            var sigma = antiAliasingSigma is null ? null : ExpandSigma(antiAliasingSigma, rank);
            input = AntiAliasingFilter.Smooth(input, AntiAliasingFilter.Sigmas(extendedShape[1..], outputShape, sigma));
        }

        var resized = nn.functional.interpolate(input.unsqueeze(0), outputShape, mode: interpolation, align_corners: alignCorners).squeeze(0);
        if (semantics == MonaiSemantics.Monai08 && image.dtype != ScalarType.Float32)
        {
            // 0.8.1's convert_to_dst_type gives the result the input's dtype.
            resized = resized.to_type(image.dtype);
        }

        return resized.MoveToOuterDisposeScope();
    }

    /// <summary>PyTorch's interpolation for <paramref name="mode"/> on <paramref name="rank"/> spatial axes, per MONAI version.</summary>
    private static InterpolationMode TorchMode(Interpolation mode, int rank, MonaiSemantics semantics)
    {
        var version = MonaiSemanticsVersions.Describe(semantics);
        var isLinear = mode is Interpolation.Linear or Interpolation.Bilinear or Interpolation.Trilinear;
        if (isLinear && semantics == MonaiSemantics.Monai1x)
        {
            // resolves_modes: the linear family follows the data's rank.
            return rank switch { 1 => InterpolationMode.Linear, 2 => InterpolationMode.Bilinear, _ => InterpolationMode.Trilinear };
        }

        var neededRank = mode switch
        {
            Interpolation.Linear => 1,
            Interpolation.Bilinear or Interpolation.Bicubic => 2,
            Interpolation.Trilinear => 3,
            _ => rank,
        };
        if (neededRank != rank)
        {
            var why = mode == Interpolation.Bicubic ? "PyTorch interpolates bicubic on 2 spatial axes only"
                : $"{version} passes it to PyTorch unchanged, which needs {neededRank} spatial axes for it";
            throw TransformErrors.Argument(Component, "mode", $"\"{ModeName(mode)}\" cannot resize {rank} spatial axes: {why}");
        }

        return mode switch
        {
            Interpolation.Nearest => InterpolationMode.Nearest,
            Interpolation.NearestExact when semantics == MonaiSemantics.Monai1x => InterpolationMode.NearestExact,
            Interpolation.NearestExact => throw TransformErrors.Argument(Component, "mode", $"\"nearest-exact\" does not exist in {version}"),
            Interpolation.Linear => InterpolationMode.Linear,
            Interpolation.Bilinear => InterpolationMode.Bilinear,
            Interpolation.Bicubic => InterpolationMode.Bicubic,
            Interpolation.Trilinear => InterpolationMode.Trilinear,
            Interpolation.Area => InterpolationMode.Area,
            _ => throw TransformErrors.Argument(Component, "mode", $"{mode} is not an interpolation mode"),
        };
    }

    private static double[] ExpandSigma(double[] sigma, int rank)
    {
        if (sigma.Length != 1 && sigma.Length != rank)
        {
            throw TransformErrors.Argument(Component, "anti_aliasing_sigma",
                $"has {sigma.Length} values for {rank} spatial axes ({AxisArguments.Describe(sigma)}); give one value or {rank}");
        }

        if (sigma.Any(s => !(s >= 0) || double.IsInfinity(s)))
        {
            throw TransformErrors.Argument(Component, "anti_aliasing_sigma", $"must be finite and not negative, got {AxisArguments.Describe(sigma)}");
        }

        return sigma.Length == 1 ? Enumerable.Repeat(sigma[0], rank).ToArray() : (double[])sigma.Clone();
    }

    private static string ModeName(Interpolation mode) => mode switch
    {
        Interpolation.NearestExact => "nearest-exact",
        _ => mode.ToString().ToLowerInvariant(),
    };
}
