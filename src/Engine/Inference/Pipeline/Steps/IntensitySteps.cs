using MdaiClara.Engine.Inference.Transforms;

namespace MdaiClara.Engine.Inference.Pipeline.Steps;

/// <summary>ScaleIntensityRange(d): window a_min…a_max onto b_min…b_max (see <see cref="IntensityTransforms"/>).</summary>
public sealed class ScaleIntensityRangeStep : KeyedStep
{
    private readonly double _aMin;
    private readonly double _aMax;
    private readonly double? _bMin;
    private readonly double? _bMax;
    private readonly bool _clip;

    public ScaleIntensityRangeStep(ComponentArguments args)
        : base(args, "image")
    {
        _aMin = args.DoubleOrNull("a_min") ?? throw TransformErrors.Argument(Component, "a_min", "is missing");
        _aMax = args.DoubleOrNull("a_max") ?? throw TransformErrors.Argument(Component, "a_max", "is missing");
        _bMin = args.DoubleOrNull("b_min");
        _bMax = args.DoubleOrNull("b_max");
        _clip = args.Bool("clip", false);
        args.Ignore("dtype");
    }

    protected override void ApplyTo(ImageItem image, int keyIndex, PipelineItem item, PipelineContext context) =>
        image.Data = IntensityTransforms.ScaleIntensityRange(image.Data, _aMin, _aMax, _bMin, _bMax, _clip);
}

/// <summary>ScaleIntensity(d): min–max rescale to minv…maxv, or by a factor.</summary>
public sealed class ScaleIntensityStep : KeyedStep
{
    private readonly double? _minv;
    private readonly double? _maxv;
    private readonly double? _factor;
    private readonly bool _channelWise;

    public ScaleIntensityStep(ComponentArguments args)
        : base(args, "image")
    {
        // MONAI's defaults are 0 and 1; an explicit null switches to the factor.
        _minv = args.IsPresent("minv") ? args.DoubleOrNull("minv") : 0.0;
        _maxv = args.IsPresent("maxv") ? args.DoubleOrNull("maxv") : 1.0;
        _factor = args.DoubleOrNull("factor");
        _channelWise = args.Bool("channel_wise", false);
        args.Ignore("dtype");
    }

    protected override void ApplyTo(ImageItem image, int keyIndex, PipelineItem item, PipelineContext context) =>
        image.Data = IntensityTransforms.ScaleIntensity(image.Data, _minv, _maxv, _factor, _channelWise);
}

/// <summary>NormalizeIntensity(d): zero mean, unit (population) std over all or non-zero voxels.</summary>
public sealed class NormalizeIntensityStep : KeyedStep
{
    private readonly double[]? _subtrahend;
    private readonly double[]? _divisor;
    private readonly bool _nonzero;
    private readonly bool _channelWise;

    public NormalizeIntensityStep(ComponentArguments args)
        : base(args, "image")
    {
        _subtrahend = args.Doubles("subtrahend");
        _divisor = args.Doubles("divisor");
        _nonzero = args.Bool("nonzero", false);
        _channelWise = args.Bool("channel_wise", false);
        args.Ignore("dtype");
    }

    protected override void ApplyTo(ImageItem image, int keyIndex, PipelineItem item, PipelineContext context) =>
        image.Data = IntensityTransforms.NormalizeIntensity(image.Data, _subtrahend, _divisor, _nonzero, _channelWise, context.Semantics);
}
