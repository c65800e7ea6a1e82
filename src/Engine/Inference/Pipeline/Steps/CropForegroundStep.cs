using MdaiClara.Engine.Logging;
using System.Linq;
using MdaiClara.Engine.Inference.Transforms;

namespace MdaiClara.Engine.Inference.Pipeline.Steps;

/// <summary>
/// CropForeground(d): one box from <c>source_key</c>'s foreground (x &gt; 0), applied to every key. MONAI 1.x moves the
/// affine with the crop; 0.8.1 leaves its meta affine as it was (and so do we under 0.8.1 semantics).
/// </summary>
public sealed class CropForegroundStep : IPipelineStep
{
    private readonly string _component;
    private readonly string[] _keys;
    private readonly string _sourceKey;
    private readonly long[]? _channelIndices;
    private readonly double[]? _margin;
    private readonly double[]? _kDivisible;
    private readonly bool? _allowSmaller;

    public CropForegroundStep(ComponentArguments args)
    {
        Name = args.Name;
        _component = args.Component;
        var isDictionary = args.IsDictionaryTransform;
        _keys = isDictionary ? args.Keys() : new[] { args.DefaultKey ?? "image" };
        _sourceKey = args.String("source_key") ?? (isDictionary ? throw TransformErrors.Argument(_component, "source_key", "is missing; CropForegroundd needs the key whose foreground it crops to") : _keys[0]);
        var select = args.String("select_fn");
        if (select is not null && select.Replace(" ", string.Empty) is not ("lambdax:x>0" or "is_positive"))
        {
            throw TransformErrors.Argument(_component, "select_fn", $"is '{select}'; MdaiClara evaluates no Python and supports only the default foreground x > 0");
        }

        _channelIndices = args.Longs("channel_indices");
        _margin = args.Doubles("margin");
        _kDivisible = args.Doubles("k_divisible");
        _allowSmaller = args.IsPresent("allow_smaller") ? args.Bool("allow_smaller", true) : null;
        if (args.String("mode") is { } mode && mode != "constant")
        {
            throw TransformErrors.Argument(_component, "mode", $"is '{mode}'; MdaiClara pads a crop that passes the image with zeros (\"constant\", MONAI's default) only");
        }

        args.Ignore("meta_keys", "meta_key_postfix", "allow_missing_keys", "start_coord_key", "end_coord_key", "return_coords", "np_kwargs", "pad_kwargs", "lazy");
    }

    public string Name { get; }

    public void Apply(PipelineItem item, PipelineContext context)
    {
        if (!item.TryGet(_sourceKey, out var source))
        {
            throw TransformErrors.Input(_component, $"the input has no '{_sourceKey}' (source_key) to find the foreground in");
        }

        if (_allowSmaller is not null && context.Semantics != MonaiSemantics.Monai1x)
        {
            throw TransformErrors.Argument(_component, "allow_smaller", $"exists from MONAI 1.0 on; this pipeline runs with {MonaiSemanticsVersions.Describe(context.Semantics)} semantics, where it is an error");
        }

        if (!source.ChannelFirst)
        {
            throw TransformErrors.Input(_component, $"'{_sourceKey}' [{string.Join(", ", source.Data.shape)}] has no channel axis yet; put EnsureChannelFirstd (or AddChanneld) before {Name}, as MONAI needs");
        }

        var rank = source.SpatialRank;
        var margin = Broadcast(_margin, rank, 0);
        var k = Broadcast(_kDivisible, rank, 1);
        var box = CropForegroundTransform.ComputeBox(source.Data, null, _channelIndices, margin, k, _allowSmaller ?? true, context.Semantics);
        if (box.Start.Zip(box.End).Any(p => p.Second <= p.First))
        {
            throw TransformErrors.Input(_component, $"'{_sourceKey}' has no foreground (no voxel > 0 after the transforms before it), so the crop would be empty; check the intensity window");
        }

        foreach (var key in _keys)
        {
            if (!item.TryGet(key, out var image))
            {
                context.Log.Verbose($"{Name}: the input has no '{key}'; skipped for that key.");
                continue;
            }

            var before = image.Affine;
            var shapeBefore = image.SpatialShape;
            image.Data = CropForegroundTransform.Crop(image.Data, box);
            if (context.Semantics == MonaiSemantics.Monai1x)
            {
                image.Affine = Shift(before, box.Start);
            }

            image.Applied.Add(new CropApplied(Name, before, shapeBefore, box));
        }
    }

    /// <summary>The affine of a grid that starts at voxel <paramref name="start"/> of <paramref name="a"/>.</summary>
    internal static Imaging.Affine Shift(Imaging.Affine a, long[] start)
    {
        var m = a.ToArray();
        for (var r = 0; r < 3; r++)
        {
            for (var c = 0; c < start.Length; c++)
            {
                m[(r * 4) + 3] += a[r, c] * start[c];
            }
        }

        return new Imaging.Affine(m);
    }

    private long[] Broadcast(double[]? values, int rank, long fallback)
    {
        if (values is null)
        {
            return Enumerable.Repeat(fallback, rank).ToArray();
        }

        if (values.Length != 1 && values.Length != rank)
        {
            throw TransformErrors.Argument(_component, "margin/k_divisible", $"has {values.Length} values where 1 or {rank} are expected");
        }

        return (values.Length == 1 ? Enumerable.Repeat(values[0], rank) : values).Select(v => (long)v).ToArray();
    }
}
