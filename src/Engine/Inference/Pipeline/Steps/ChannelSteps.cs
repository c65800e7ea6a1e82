using MdaiClara.Engine.Inference.Transforms;

namespace MdaiClara.Engine.Inference.Pipeline.Steps;

/// <summary>EnsureChannelFirst(d) (channel axis from the loaded meta: none → new axis, last → first) and AddChannel(d) (always a new axis).</summary>
public sealed class ChannelSteps : KeyedStep
{
    private readonly bool _always;

    public ChannelSteps(ComponentArguments args, bool alwaysAdd)
        : base(args, "image")
    {
        _always = alwaysAdd;
        args.Ignore("strict_check", "channel_dim");
    }

    /// <summary>Puts the channel axis first as EnsureChannelFirst does (no-op when already first).</summary>
    public static void MoveChannelFirst(ImageItem image)
    {
        if (image.ChannelFirst)
        {
            return;
        }

        image.Data = image.OriginalChannelDim is null || image.Data.dim() == image.SpatialRank
            ? image.Data.unsqueeze(0)
            : image.Data.movedim(new long[] { -1 }, new long[] { 0 }).contiguous();
        image.ChannelFirst = true;
    }

    protected override void ApplyTo(ImageItem image, int keyIndex, PipelineItem item, PipelineContext context)
    {
        if (_always)
        {
            if (image.ChannelFirst)
            {
                throw TransformErrors.Input(Component, $"the image already has a channel axis ({image}); AddChannel would add a second one");
            }

            image.Data = image.Data.unsqueeze(0);
            image.ChannelFirst = true;
            return;
        }

        MoveChannelFirst(image);
    }
}
