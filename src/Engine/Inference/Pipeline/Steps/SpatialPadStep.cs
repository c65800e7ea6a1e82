using System.Linq;
using MdaiClara.Engine.Inference.Transforms;

namespace MdaiClara.Engine.Inference.Pipeline.Steps;

/// <summary>SpatialPad(d): pad each spatial axis up to <c>spatial_size</c>.</summary>
public sealed class SpatialPadStep : KeyedStep
{
    private readonly long[] _size;
    private readonly string _method;
    private readonly string?[] _modes;
    private readonly double _value;

    public SpatialPadStep(ComponentArguments args)
        : base(args, "image")
    {
        _size = args.Longs("spatial_size") ?? throw TransformErrors.Argument(Component, "spatial_size", "is missing");
        _method = args.String("method") ?? "symmetric";
        _modes = Keys.Select((_, k) => args.PerKeyString("mode", k, Keys.Length)).ToArray();
        _value = args.Double("value", 0);
        args.Ignore("pad_kwargs", "np_kwargs", "lazy");
    }

    protected override void ApplyTo(ImageItem image, int keyIndex, PipelineItem item, PipelineContext context)
    {
        RequireChannelFirst(image);
        var before = image.Affine;
        var shapeBefore = image.SpatialShape;
        var size = _size.Length == 1 ? Enumerable.Repeat(_size[0], shapeBefore.Length).ToArray() : _size;
        var (padded, padBefore) = SpatialPadTransform.Pad(image.Data, size, _method, _modes[keyIndex] ?? "constant", _value);
        image.Data = padded;
        if (context.Semantics == MonaiSemantics.Monai1x)
        {
            image.Affine = CropForegroundStep.Shift(before, padBefore.Select(p => -p).ToArray());
        }

        image.Applied.Add(new PadApplied(Name, before, shapeBefore, padBefore));
    }
}
