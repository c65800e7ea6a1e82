namespace MdaiClara.Engine.Inference.Pipeline.Steps;

/// <summary>
/// ToTensor(d), EnsureType(d), CastToType(d): container conversions (a no-op here: data are tensors on the run's
/// device already) and, where a dtype is given, a cast.
/// </summary>
public sealed class TypeStep : KeyedStep
{
    private readonly string? _dtype;

    public TypeStep(ComponentArguments args, bool castRequired)
        : base(args, "image")
    {
        _dtype = args.String("dtype");
        if (castRequired && _dtype is null)
        {
            _dtype = "float32";
        }

        if (_dtype is not null)
        {
            DataTypes.Parse(Component, "dtype", _dtype);
        }

        args.Ignore("data_type", "device", "wrap_sequence", "track_meta", "track_meta_dict");
    }

    protected override void ApplyTo(ImageItem image, int keyIndex, PipelineItem item, PipelineContext context)
    {
        if (_dtype is not null)
        {
            image.Data = image.Data.to_type(DataTypes.Parse(Component, "dtype", _dtype));
        }
    }
}
