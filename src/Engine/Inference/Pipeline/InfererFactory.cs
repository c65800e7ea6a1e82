using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Logging;
using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference.Inferers;
using MdaiClara.Engine.Inference.Transforms;

namespace MdaiClara.Engine.Inference.Pipeline;

/// <summary>Binds a config's inferer (SimpleInferer, SlidingWindowInferer) to ours, with the user's overrides.</summary>
public static class InfererFactory
{
    public static IInferer Create(ComponentSpec? spec, MonaiSemantics semantics, InferenceOverrides overrides, Logging.IEngineLog? log)
    {
        if (spec is null)
        {
            throw new MdaiClaraException("The inference config has no inferer; Clara needs one (SimpleInferer or SlidingWindowInferer).", ErrorIds.TransformUnknown, ErrorKind.InvalidData);
        }

        var args = new ComponentArguments(spec);
        switch (spec.CanonicalName)
        {
            case "SimpleInferer":
                if (overrides.RoiSize is not null || overrides.Overlap is not null || overrides.BatchSize is not null)
                {
                    log.Warning($"{args.Component}: SimpleInferer runs the model on the whole image; the ROI size, overlap and window batch size given do not apply.");
                }

                return new SimpleInferer();
            case "SlidingWindowInferer":
                // Read the config's values first (so they count as used), then let the user's overrides win.
                var roi = args.Longs("roi_size") ?? overrides.RoiSize ?? throw TransformErrors.Argument(args.Component, "roi_size", "is missing");
                roi = overrides.RoiSize ?? roi;
                var batch = args.Int("sw_batch_size", 1);
                var overlap = args.Doubles("overlap") ?? new[] { 0.25 };
                var mode = (args.String("mode") ?? "constant").ToLowerInvariant() switch
                {
                    "constant" => BlendMode.Constant,
                    "gaussian" => BlendMode.Gaussian,
                    var m => throw TransformErrors.Argument(args.Component, "mode", $"is '{m}'; the blend modes are constant and gaussian"),
                };
                var options = new SlidingWindowOptions(
                    roi,
                    overrides.BatchSize ?? batch,
                    overrides.Overlap is { } o ? new[] { o } : overlap,
                    mode,
                    args.Doubles("sigma_scale") ?? new[] { 0.125 },
                    args.String("padding_mode") ?? "constant",
                    args.Double("cval", 0));
                args.Ignore("sw_device", "device", "progress", "cache_roi_weight_map", "cpu_thresh", "buffer_steps", "buffer_dim", "with_coord");
                if (options.SwBatchSize < 1 || options.RoiSize.Length is < 1 or > 3 || options.RoiSize.Any(r => r > 4096) || options.Overlap!.Any(v => v is < 0 or >= 1))
                {
                    throw TransformErrors.Argument(args.Component, "roi_size/sw_batch_size/overlap", $"are [{string.Join(", ", roi)}], {options.SwBatchSize}, [{string.Join(", ", options.Overlap!)}]; MONAI needs sw_batch_size ≥ 1 and 0 ≤ overlap < 1, and MdaiClara windows of at most 4096 voxels a side");
                }

                foreach (var unread in args.Unread)
                {
                    log.Warning($"{args.Component}: the argument '{unread}' is not used by MdaiClara.");
                }

                return new SlidingWindowInferer(options, semantics);
            default:
                throw new MdaiClaraException(
                    $"The inferer {spec.Name} ({spec.File}) is not one MdaiClara implements (SimpleInferer, SlidingWindowInferer).",
                    ErrorIds.TransformUnknown, ErrorKind.InvalidData, spec.Name);
        }
    }
}

/// <summary>The user's -RoiSize, -Overlap and -BatchSize, which replace the config's.</summary>
public sealed record InferenceOverrides(long[]? RoiSize = null, double? Overlap = null, int? BatchSize = null);
