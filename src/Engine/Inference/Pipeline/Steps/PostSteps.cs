using System.Linq;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Inference.Transforms;

namespace MdaiClara.Engine.Inference.Pipeline.Steps;

/// <summary>Activations(d): sigmoid or softmax over channels (per key).</summary>
public sealed class ActivationsStep : KeyedStep
{
    private readonly bool[] _sigmoid;
    private readonly bool[] _softmax;

    public ActivationsStep(ComponentArguments args)
        : base(args, "pred")
    {
        _sigmoid = Keys.Select((_, k) => args.PerKeyBool("sigmoid", k, Keys.Length, false)).ToArray();
        _softmax = Keys.Select((_, k) => args.PerKeyBool("softmax", k, Keys.Length, false)).ToArray();
        if (args.Raw("other") is not null)
        {
            throw TransformErrors.Argument(Component, "other", "is a Python callable; MdaiClara evaluates no Python (use sigmoid or softmax)");
        }

        if (_sigmoid.Zip(_softmax).Any(p => p.First && p.Second))
        {
            throw TransformErrors.Argument(Component, "sigmoid/softmax", "are both true; MONAI refuses that too");
        }
    }

    /// <summary>True when any key goes through a sigmoid (independent classes).</summary>
    public bool Sigmoid => _sigmoid.Any(s => s);

    /// <summary>True when <paramref name="key"/> goes through a sigmoid or a softmax.</summary>
    public bool Activates(string key) => System.Array.IndexOf(Keys, key) is var k and >= 0 && (_sigmoid[k] || _softmax[k]);

    protected override void ApplyTo(ImageItem image, int keyIndex, PipelineItem item, PipelineContext context) =>
        image.Data = PostTransforms.Activations(image.Data, _sigmoid[keyIndex], _softmax[keyIndex]);
}

/// <summary>
/// AsDiscrete(d): argmax, one-hot, threshold, rounding, with the pre-0.8 argument names (to_onehot=true + n_classes or
/// num_classes, threshold_values + logit_thresh) mapped as MONAI's deprecation shims map them.
/// </summary>
public sealed class AsDiscreteStep : KeyedStep
{
    private readonly bool[] _argmax;
    private readonly int?[] _toOnehot;
    private readonly double?[] _threshold;
    private readonly string? _rounding;

    public AsDiscreteStep(ComponentArguments args)
        : base(args, "pred")
    {
        var keys = Keys.Length;
        _argmax = Keys.Select((_, k) => args.PerKeyBool("argmax", k, keys, false)).ToArray();
        var classes = args.IntOrNull("n_classes") ?? args.IntOrNull("num_classes");
        _toOnehot = Keys.Select((_, k) => PerKey(args.Raw("to_onehot"), k, keys) switch
        {
            null => (int?)null,
            bool b => b ? classes ?? throw TransformErrors.Argument(Component, "to_onehot", "is true but neither n_classes nor num_classes says how many classes") : null,
            long n => (int)n,
            var other => throw TransformErrors.Argument(Component, "to_onehot", $"is {ConfigObject.Format(other)}; it must be a number of classes (or true with n_classes)"),
        }).ToArray();
        var legacyThreshold = args.Bool("threshold_values", false);
        var logitThreshold = args.Double("logit_thresh", 0.5);
        _threshold = Keys.Select((_, k) => PerKey(args.Raw("threshold"), k, keys) switch
        {
            null => legacyThreshold ? logitThreshold : (double?)null,
            bool b => b ? logitThreshold : null,
            long n => n,
            double d => d,
            var other => throw TransformErrors.Argument(Component, "threshold", $"is {ConfigObject.Format(other)}; it must be a number"),
        }).ToArray();
        args.Ignore("dim", "keepdim", "dtype");
        _rounding = args.String("rounding");
    }

    protected override void ApplyTo(ImageItem image, int keyIndex, PipelineItem item, PipelineContext context) =>
        image.Data = PostTransforms.AsDiscrete(image.Data, _argmax[keyIndex], _toOnehot[keyIndex], _threshold[keyIndex], _rounding);

    /// <summary>A value, or its entry for key <paramref name="index"/> when the config gives one per key (MONAI's dictionary transforms accept both).</summary>
    private static object? PerKey(object? value, int index, int keys) =>
        value is object?[] list ? (list.Length == keys ? list[index] : list.Length == 1 ? list[0] : list) : value;
}

/// <summary>KeepLargestConnectedComponent(d).</summary>
public sealed class KeepLargestConnectedComponentStep : KeyedStep
{
    private readonly int[]? _appliedLabels;
    private readonly bool? _isOnehot;
    private readonly bool _independent;
    private readonly int? _connectivity;
    private readonly int? _numComponents;

    public KeepLargestConnectedComponentStep(ComponentArguments args)
        : base(args, "pred")
    {
        _appliedLabels = args.Longs("applied_labels")?.Select(l => (int)l).ToArray();
        _isOnehot = args.Raw("is_onehot") is null ? null : args.Bool("is_onehot", false);
        _independent = args.Bool("independent", true);
        _connectivity = args.IntOrNull("connectivity");
        _numComponents = args.IntOrNull("num_components");
    }

    protected override void ApplyTo(ImageItem image, int keyIndex, PipelineItem item, PipelineContext context)
    {
        if (_appliedLabels is null && context.Semantics != MonaiSemantics.Monai1x)
        {
            throw TransformErrors.Argument(Component, "applied_labels", $"is required by {MonaiSemanticsVersions.Describe(context.Semantics)}");
        }

        image.Data = PostTransforms.KeepLargestConnectedComponent(image.Data, _appliedLabels, _isOnehot, _independent, _connectivity, _numComponents, context.Semantics);
    }
}
