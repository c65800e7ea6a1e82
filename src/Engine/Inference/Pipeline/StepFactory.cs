using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference.Pipeline.Steps;
using MdaiClara.Engine.Logging;

namespace MdaiClara.Engine.Inference.Pipeline;

/// <summary>Binds one transform of a config to its step; an unknown name is an error that names it and where it is.</summary>
public static class StepFactory
{
    /// <param name="spec">The component as the config writes it.</param>
    /// <param name="log">Where unknown arguments are reported.</param>
    /// <param name="defaultKey">The key an array (non-dictionary) transform works on: "image" before the inferer, "pred" after.</param>
    public static IPipelineStep Create(ComponentSpec spec, IEngineLog? log, string defaultKey = "image")
    {
        if (spec.IsCustomCode)
        {
            throw new MdaiClaraException(
                $"{spec.File}: {spec.Name} is custom Python code (a \"path\" component); MdaiClara runs MONAI's own transforms only.",
                ErrorIds.TransformUnknown, ErrorKind.InvalidData, spec.Name);
        }

        var args = new ComponentArguments(spec) { DefaultKey = defaultKey };
        var name = spec.CanonicalName;
        var baseName = Transforms.TransformCatalog.BaseName(name);
        IPipelineStep step = baseName switch
        {
            "LoadImage" => new LoadImageStep(args),
            "EnsureChannelFirst" => new ChannelSteps(args, alwaysAdd: false),
            "AddChannel" => new ChannelSteps(args, alwaysAdd: true),
            "Spacing" => new SpacingStep(args),
            "Orientation" => new OrientationStep(args),
            "ScaleIntensityRange" => new ScaleIntensityRangeStep(args),
            "ScaleIntensity" => new ScaleIntensityStep(args),
            "NormalizeIntensity" => new NormalizeIntensityStep(args),
            "CropForeground" => new CropForegroundStep(args),
            "SpatialPad" => new SpatialPadStep(args),
            "Resize" => new ResizeStep(args),
            "ToTensor" or "EnsureType" => new TypeStep(args, castRequired: false),
            "CastToType" => new TypeStep(args, castRequired: true),
            "Activations" => new ActivationsStep(args),
            "AsDiscrete" => new AsDiscreteStep(args),
            "KeepLargestConnectedComponent" => new KeepLargestConnectedComponentStep(args),
            "Invert" => new InvertStep(args),
            "SaveImage" => new SaveImageStep(args, "trans"),
            _ => throw Unknown(spec),
        };

        foreach (var unread in args.Unread)
        {
            log.Warning($"{args.Component}: the argument '{unread}' is not one MdaiClara knows for {spec.Name}; it was ignored.");
        }

        return step;
    }

    private static MdaiClaraException Unknown(ComponentSpec spec) => new(
        $"{spec.File}{(spec.Location is { } at ? $":{at.Line}:{at.Column}" : string.Empty)}: the transform {spec.Name} is not one MdaiClara implements ({string.Join(", ", Transforms.TransformCatalog.SupportedTransforms)}).",
        ErrorIds.TransformUnknown, ErrorKind.InvalidData, spec.Name);
}
