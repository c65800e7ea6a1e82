using MdaiClara.Engine.Logging;

namespace MdaiClara.Engine.Inference.Pipeline.Steps;

/// <summary>
/// SaveImage(d) / Clara 4.0's SegmentationSaver: marks where the config saves its result. MdaiClara writes the result
/// itself, always on the input's own grid, as &lt;name&gt;_seg.nii.gz (and &lt;name&gt;_prob.nii.gz) in the user's
/// output folder, so the arguments that shape MONAI's file (folder layout, postfix, dtype) are checked and reported,
/// not followed.
/// </summary>
public sealed class SaveImageStep : KeyedStep
{
    private readonly string _postfix;
    private readonly bool _separateFolder;

    public SaveImageStep(ComponentArguments args, string defaultPostfix)
        : base(args, "pred")
    {
        _postfix = args.String("output_postfix") ?? defaultPostfix;
        _separateFolder = args.Bool("separate_folder", true);
        args.Ignore(
            "output_dir", "output_ext", "resample", "mode", "padding_mode", "scale", "dtype", "output_dtype", "squeeze_end_dims",
            "data_root_dir", "print_log", "output_format", "writer", "channel_dim", "savepath_in_metadict", "batch_transform",
            "output_transform", "name", "output_name_formatter", "folder_layout");
    }

    protected override void ApplyTo(ImageItem image, int keyIndex, PipelineItem item, PipelineContext context)
    {
        // Only what this run does: no write is announced when no output folder was given.
        var ours = context.OutputDirectory is { } folder
            ? $"MdaiClara writes {InferenceInputs.SafeFileName(item.InputName)}_seg.nii.gz on the input's grid into {folder} instead"
            : "MdaiClara writes no file in this run (no output folder was given); the label map is on the result";
        context.Log.Verbose($"{Name}: MONAI would write {(_separateFolder ? $"{image.FileName}/" : string.Empty)}{image.FileName}_{_postfix}.nii.gz into the MMAR's output folder; {ours}.");
    }
}
