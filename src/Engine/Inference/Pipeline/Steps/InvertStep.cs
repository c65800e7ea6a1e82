using System.Linq;
using MdaiClara.Engine.Inference.Transforms;

namespace MdaiClara.Engine.Inference.Pipeline.Steps;

/// <summary>
/// Invertd: undoes the pre-transforms recorded on <c>orig_keys</c> (default: the same keys) on each key, so the
/// prediction lands on the input's own grid. <c>transform</c> must be the pre-transforms (Clara writes "@pre_transforms").
/// </summary>
public sealed class InvertStep : KeyedStep
{
    private readonly string[] _origKeys;
    private readonly bool[] _nearest;

    public InvertStep(ComponentArguments args)
        : base(args, "pred")
    {
        var transform = args.Raw("transform");
        if (transform is string t && !t.TrimStart('@').Equals("pre_transforms", System.StringComparison.Ordinal) && !t.Contains("preprocessing", System.StringComparison.Ordinal))
        {
            throw TransformErrors.Argument(Component, "transform", $"is '{t}'; MdaiClara inverts the pre-transforms (\"@pre_transforms\") only");
        }

        var orig = args.Raw("orig_keys") switch
        {
            string s => new[] { s },
            object?[] list => list.OfType<string>().ToArray(),
            _ => Keys,
        };
        _origKeys = orig.Length == 1 ? Enumerable.Repeat(orig[0], Keys.Length).ToArray()
            : orig.Length == Keys.Length ? orig
            : throw TransformErrors.Argument(Component, "orig_keys", $"has {orig.Length} keys for {Keys.Length} keys");
        _nearest = Keys.Select((_, k) => args.PerKeyBool("nearest_interp", k, Keys.Length, true)).ToArray();
        if (args.Raw("post_func") is string postFunc && !string.IsNullOrWhiteSpace(postFunc))
        {
            throw TransformErrors.Argument(Component, "post_func", $"is '{postFunc}', a Python callable; MdaiClara evaluates no Python");
        }

        args.Ignore("orig_meta_keys", "meta_keys", "meta_key_postfix", "collate_fn", "to_tensor", "device", "allow_missing_keys");
    }

    protected override void ApplyTo(ImageItem image, int keyIndex, PipelineItem item, PipelineContext context)
    {
        if (!item.TryGet(_origKeys[keyIndex], out var source))
        {
            throw TransformErrors.Input(Component, $"the input has no '{_origKeys[keyIndex]}' (orig_keys) whose transforms could be inverted");
        }

        TransformInversion.Replay(image, source.Applied, _nearest[keyIndex], context.Semantics);
        image.Inverted = true;
    }
}
