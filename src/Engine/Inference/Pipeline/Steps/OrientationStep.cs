using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Inference.Spatial;

namespace MdaiClara.Engine.Inference.Pipeline.Steps;

/// <summary>Orientation(d): flip/permute to <c>axcodes</c> (see <see cref="OrientationTransform"/>).</summary>
public sealed class OrientationStep : KeyedStep
{
    private readonly string? _axcodes;
    private readonly bool _closestCanonical;

    public OrientationStep(ComponentArguments args)
        : base(args, "image")
    {
        _axcodes = args.String("axcodes");
        _closestCanonical = args.Bool("as_closest_canonical", false);
        if (_axcodes is null && !_closestCanonical)
        {
            throw Transforms.TransformErrors.Argument(Component, "axcodes", "is missing and as_closest_canonical is false; Orientation needs one of them");
        }

        if (args.Raw("labels") is { } labels && ConfigObject.Format(labels).Replace(" ", string.Empty, System.StringComparison.Ordinal) != "[[L,R],[P,A],[I,S]]")
        {
            throw Transforms.TransformErrors.Argument(Component, "labels", $"is {ConfigObject.Format(labels)}; MdaiClara reads axcodes with MONAI's default labels (L/R, P/A, I/S) only");
        }
    }

    protected override void ApplyTo(ImageItem image, int keyIndex, PipelineItem item, PipelineContext context)
    {
        RequireChannelFirst(image);
        var before = image.Affine;
        var shapeBefore = image.SpatialShape;
        var plan = OrientationTransform.Plan(before, shapeBefore, _axcodes, _closestCanonical, context.Semantics);
        image.Data = OrientationTransform.Apply(image.Data, plan);
        image.Affine = plan.OutputAffine;
        image.Applied.Add(new OrientationApplied(Name, before, shapeBefore, plan));
    }
}
