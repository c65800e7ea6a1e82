using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Mmar;

namespace MdaiClara.Engine.Inference.Pipeline;

/// <summary>
/// A transform applied to each of its keys (MONAI's dictionary transforms; an array transform acts on the default key
/// of its stage: "image" before the inferer, "pred" after). A key the input does not have is skipped with a note:
/// inference runs often reuse validation configs whose transforms also name "label".
/// </summary>
public abstract class KeyedStep : IPipelineStep
{
    protected KeyedStep(ComponentArguments args, string defaultKey)
    {
        Name = args.Name;
        Component = args.Component;
        IsDictionary = ComponentSpec.Canonicalize(args.Name).EndsWith('d');
        Keys = IsDictionary ? args.Keys() : new[] { defaultKey };
        args.Ignore("meta_keys", "meta_key_postfix", "allow_missing_keys", "keys", "fields");
    }

    public string Name { get; }

    /// <summary>Name and config location, for messages.</summary>
    protected string Component { get; }

    protected bool IsDictionary { get; }

    protected string[] Keys { get; }

    public virtual void Apply(PipelineItem item, PipelineContext context)
    {
        for (var k = 0; k < Keys.Length; k++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (!item.TryGet(Keys[k], out var image))
            {
                context.Log.Verbose($"{Name}: the input has no '{Keys[k]}'; skipped for that key.");
                continue;
            }

            ApplyTo(image, k, item, context);
        }
    }

    protected abstract void ApplyTo(ImageItem image, int keyIndex, PipelineItem item, PipelineContext context);
}
