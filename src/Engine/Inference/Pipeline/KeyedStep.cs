using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference.Transforms;

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
        IsDictionary = args.IsDictionaryTransform;
        Keys = IsDictionary ? args.Keys() : new[] { args.DefaultKey ?? defaultKey };
        args.Ignore("meta_keys", "meta_key_postfix", "allow_missing_keys", "keys", "fields");
    }

    public string Name { get; }

    /// <summary>Name and config location, for messages.</summary>
    protected string Component { get; }

    protected bool IsDictionary { get; }

    protected string[] Keys { get; }

    /// <summary>True when the step works on <paramref name="key"/>.</summary>
    public bool Handles(string key) => System.Array.IndexOf(Keys, key) >= 0;

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

            try
            {
                ApplyTo(image, k, item, context);
            }
            catch (MdaiClaraException ex) when (ex.ErrorId is ErrorIds.TransformInputInvalid or ErrorIds.TransformArgumentInvalid && !ex.Message.Contains(Component, System.StringComparison.Ordinal))
            {
                // The operations know their arguments, not where the config writes them: say which transform of which file.
                throw new MdaiClaraException($"{Component}, key '{Keys[k]}': {ex.Message}", ex.ErrorId, ex.Kind, Component, ex);
            }
        }
    }

    /// <summary>Spatial transforms need the channel axis first, as in MONAI; say so before an operation trips over the shape.</summary>
    protected void RequireChannelFirst(ImageItem image)
    {
        if (!image.ChannelFirst)
        {
            throw TransformErrors.Input(Component, $"the image [{string.Join(", ", image.Data.shape)}] has no channel axis yet; put EnsureChannelFirstd (or AddChanneld) before {Name}, as MONAI needs");
        }
    }

    protected abstract void ApplyTo(ImageItem image, int keyIndex, PipelineItem item, PipelineContext context);
}
