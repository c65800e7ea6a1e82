using System.Linq;
using MdaiClara.Engine.Inference.Spatial;
using MdaiClara.Engine.Inference.Transforms;

namespace MdaiClara.Engine.Inference.Pipeline.Steps;

/// <summary>Spacing(d): resample to <c>pixdim</c>, keeping orientation (see <see cref="SpacingTransform"/>).</summary>
public sealed class SpacingStep : KeyedStep
{
    private readonly double[] _pixdim;
    private readonly bool _diagonal;
    private readonly string?[] _modes;
    private readonly string?[] _paddings;
    private readonly bool[] _alignCorners;

    public SpacingStep(ComponentArguments args)
        : base(args, "image")
    {
        _pixdim = args.Doubles("pixdim") ?? throw TransformErrors.Argument(Component, "pixdim", "is missing; Spacing needs the target voxel size");
        _diagonal = args.Bool("diagonal", false);
        _modes = Keys.Select((_, k) => args.PerKeyString("mode", k, Keys.Length)).ToArray();
        _paddings = Keys.Select((_, k) => args.PerKeyString("padding_mode", k, Keys.Length)).ToArray();
        _alignCorners = Keys.Select((_, k) => args.PerKeyBool("align_corners", k, Keys.Length, false)).ToArray();
        foreach (var k in Enumerable.Range(0, Keys.Length))
        {
            // Validate now, so a bad mode fails before any image is read.
            SpatialModes.Interpolation(Component, "mode", _modes[k], Interpolation.Bilinear);
            SpatialModes.Padding(Component, "padding_mode", _paddings[k], GridPaddingMode.Border);
        }

        if (args.Bool("scale_extent", false) || args.Raw("min_pixdim") is not null || args.Raw("max_pixdim") is not null)
        {
            throw TransformErrors.Argument(Component, "scale_extent/min_pixdim/max_pixdim", "are set; MdaiClara implements Spacing without them (MONAI's defaults)");
        }

        args.Ignore("dtype", "recompute_affine");
    }

    protected override void ApplyTo(ImageItem image, int keyIndex, PipelineItem item, PipelineContext context)
    {
        RequireChannelFirst(image);
        var mode = SpatialModes.Interpolation(Component, "mode", _modes[keyIndex], Interpolation.Bilinear);
        var padding = SpatialModes.Padding(Component, "padding_mode", _paddings[keyIndex], GridPaddingMode.Border);
        var align = _alignCorners[keyIndex];
        var before = image.Affine;
        var shapeBefore = image.SpatialShape;
        var plan = SpacingTransform.Plan(before, shapeBefore, _pixdim, _diagonal, context.Semantics);
        if (!plan.IsIdentity)
        {
            image.Data = SpacingTransform.Resample(image.Data, before, plan.OutputAffine, plan.OutputShape, mode, padding, align, context.Semantics);
        }

        image.Affine = plan.OutputAffine;
        image.Applied.Add(new SpacingApplied(Name, before, shapeBefore, !plan.IsIdentity, mode, padding, align));
    }
}
