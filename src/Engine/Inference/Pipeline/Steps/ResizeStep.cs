using System.Linq;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Inference.Spatial;
using MdaiClara.Engine.Inference.Transforms;

namespace MdaiClara.Engine.Inference.Pipeline.Steps;

/// <summary>Resize(d): interpolate to <c>spatial_size</c>. MONAI 1.x scales the affine with the grid; 0.8.1 does not touch it.</summary>
public sealed class ResizeStep : KeyedStep
{
    private readonly long[] _size;
    private readonly string _sizeMode;
    private readonly string?[] _modes;
    private readonly bool?[] _alignCorners;
    private readonly bool _antiAliasing;
    private readonly double[]? _antiAliasingSigma;

    public ResizeStep(ComponentArguments args)
        : base(args, "image")
    {
        _size = args.Longs("spatial_size") ?? throw TransformErrors.Argument(Component, "spatial_size", "is missing");
        _sizeMode = args.String("size_mode") ?? "all";
        _modes = Keys.Select((_, k) => args.PerKeyString("mode", k, Keys.Length)).ToArray();
        _alignCorners = Keys.Select((_, k) => args.Raw("align_corners") is null ? (bool?)null : args.PerKeyBool("align_corners", k, Keys.Length, false)).ToArray();
        _antiAliasing = args.Bool("anti_aliasing", false);
        _antiAliasingSigma = args.Doubles("anti_aliasing_sigma");
        args.Ignore("dtype", "lazy");
    }

    protected override void ApplyTo(ImageItem image, int keyIndex, PipelineItem item, PipelineContext context)
    {
        RequireChannelFirst(image);
        var mode = SpatialModes.Interpolation(Component, "mode", _modes[keyIndex], Interpolation.Area);
        var before = image.Affine;
        var shapeBefore = image.SpatialShape;
        image.Data = ResizeTransform.Resize(image.Data, _size, _sizeMode, mode, _alignCorners[keyIndex], _antiAliasing, _antiAliasingSigma, context.Semantics);
        var after = image.SpatialShape;
        if (context.Semantics == MonaiSemantics.Monai1x && !after.SequenceEqual(shapeBefore))
        {
            image.Affine = Scaled(before, shapeBefore, after);
        }

        image.Applied.Add(new ResizeApplied(Name, before, shapeBefore, mode, _alignCorners[keyIndex]));
    }

    /// <summary>
    /// MONAI 1.x's affine after a resize: each axis scaled by in/out, shifted so voxel edges stay where they were
    /// (the cls_png8 golden: 264 → 256 gives scale 1.03125 and offset (1.03125 − 1)/2).
    /// </summary>
    private static Affine Scaled(Affine a, long[] before, long[] after)
    {
        var m = a.ToArray();
        for (var c = 0; c < before.Length; c++)
        {
            var scale = (double)before[c] / after[c];
            var shift = (scale - 1) / 2;
            for (var r = 0; r < 3; r++)
            {
                m[(r * 4) + 3] += a[r, c] * shift;
                m[(r * 4) + c] = a[r, c] * scale;
            }
        }

        return new Affine(m);
    }
}
