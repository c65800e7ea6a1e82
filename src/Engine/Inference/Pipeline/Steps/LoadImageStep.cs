using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Inference.Transforms;

namespace MdaiClara.Engine.Inference.Pipeline.Steps;

/// <summary>
/// LoadImage(d): reads each key's <see cref="InputSource"/> (the input of this run) into an image. The reader is chosen
/// by content (the config's <c>reader</c> is noted, not obeyed: DICOM is always ordered by geometry); <c>dtype</c> other
/// than float32 is honoured; 1.x <c>ensure_channel_first</c> is honoured.
/// </summary>
public sealed class LoadImageStep : KeyedStep
{
    private readonly string? _reader;
    private readonly string? _dtype;
    private readonly bool _ensureChannelFirst;

    public LoadImageStep(ComponentArguments args)
        : base(args, "image")
    {
        _reader = args.String("reader");
        _dtype = args.String("dtype");
        _ensureChannelFirst = args.Bool("ensure_channel_first", false);
        args.Ignore("image_only", "simple_keys", "prune_meta_pattern", "prune_meta_sep", "overwriting", "expanduser", "reader_kwargs");
    }

    public override void Apply(PipelineItem item, PipelineContext context)
    {
        foreach (var key in Keys)
        {
            if (!item.Sources.TryGetValue(key, out var source))
            {
                context.Log.Verbose($"{Name}: the input has no '{key}'; skipped for that key.");
                continue;
            }

            if (_reader is not null)
            {
                context.Log.Verbose($"{Name}: reader '{_reader}' requested; MdaiClara reads {source.Name} by its content (NIfTI as nibabel, DICOM ordered by ImagePositionPatient, pictures as PIL).");
            }

            var image = ImageLoader.Load(source, context.Device, context.CancellationToken, context.Log);
            if (_dtype is not null)
            {
                image.Data = image.Data.to_type(DataTypes.Parse(Component, "dtype", _dtype));
            }

            if (_ensureChannelFirst)
            {
                ChannelSteps.MoveChannelFirst(image);
            }

            item[key] = image;
        }
    }

    protected override void ApplyTo(ImageItem image, int keyIndex, PipelineItem item, PipelineContext context) =>
        throw TransformErrors.Input(Component, "LoadImage reads sources, not images");
}
