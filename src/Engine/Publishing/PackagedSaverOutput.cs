using System.Globalization;
using System.Linq;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Mdai;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Publishing;

/// <summary>
/// What the packaged interface code will read on MD.ai, taken from a smoke run: at the saver's stage (an MMAR's or a
/// bundle's SaveImaged), the data the saver is handed, written as MONAI's savers write it (channels last, trailing
/// axes squeezed, cast to its output_dtype, resampled or not: <see cref="SaverSemantics"/>) and read back with the
/// package's saved_output and the rules of mdai_clara_output.py (<see cref="SavedSegmentationReader"/>). Not MdaiClara's
/// own label map: that one takes the argmax of whatever comes out, which the generated code may refuse.
/// </summary>
public sealed class PackagedSaverOutput
{
    private readonly SavedSegmentationOutput _description;
    private readonly string _stage;
    private readonly string _key;

    /// <param name="config">The inference config whose saver writes the result.</param>
    /// <param name="description">The package's saved_output.</param>
    /// <param name="semantics">The MONAI version that runs the saver on MD.ai (0.8.1 in Clara 4.1; a bundle's own).</param>
    public PackagedSaverOutput(InferenceConfig config, SavedSegmentationOutput description, MonaiSemantics semantics = MonaiSemantics.Monai08)
    {
        var saver = SavedSegmentationDescriber.FindSaver(config) ?? throw new MdaiClaraException(
            $"{config.File} saves no label map, so the packaged code would find no result.", ErrorIds.MdaiOutputUnavailable, ErrorKind.InvalidData, config.File);
        _description = description;
        _key = SavedSegmentationDescriber.SavedKey(saver);
        _stage = StageName(config, saver);
        Saver = saver.Name;
        SaverSpec = saver;
        Semantics = SaverSemantics.Of(saver, semantics, saver.CanonicalName == "SegmentationSaver" ? "seg" : "trans");
    }

    /// <summary>The saver's name in the config.</summary>
    public string Saver { get; }

    /// <summary>The saver as the config has it.</summary>
    public ComponentSpec SaverSpec { get; }

    /// <summary>How the saver writes (its arguments with its MONAI's defaults).</summary>
    public SaverSemantics Semantics { get; }

    /// <summary>Said of a resampling the saver does and the smoke run judges on the saver's grid; null when none.</summary>
    public string? ResampleNote { get; private set; }

    /// <summary>The label map the packaged code makes of the saved file, on the saver's grid (null until the saver ran or when it refused).</summary>
    public Volume? Labels { get; private set; }

    /// <summary>The shape of the file the saver writes, e.g. "160x160x90x2".</summary>
    public string? SavedShape { get; private set; }

    /// <summary>What the packaged code logs about reading it (the argmax of one-hot or probabilities).</summary>
    public string? Note { get; private set; }

    /// <summary>Why the packaged code would refuse the saved file.</summary>
    public string? Refusal { get; private set; }

    /// <summary>The callback for ClaraInferenceSession.Run: acts at the saver's stage only.</summary>
    public void Observe(string stage, PipelineItem item)
    {
        if (stage != _stage)
        {
            return;
        }

        if (!item.TryGet(_key, out var image))
        {
            Refusal = $"{Saver} saves '{_key}', which the pipeline does not hold at that point, so it would write nothing";
            return;
        }

        if (Semantics.Unjudgeable is { } unjudgeable)
        {
            Refusal = unjudgeable;
            return;
        }

        using var scope = NewDisposeScope();
        var written = SavedSegmentationReader.Written(image.Data, Semantics.SqueezeEndDims);
        SavedShape = string.Join("x", written.shape.Select(n => n.ToString(CultureInfo.InvariantCulture)));
        var where = $"{image.FileName}_{Saver} ({SavedShape})";
        if (Semantics.IntegerOutput && _description.Content == SavedContent.Probabilities)
        {
            Refusal = $"{Saver} writes the class probabilities as {Semantics.OutputDtypeName} (its output_dtype), which cuts them to whole numbers (nearly all 0), so the packaged code's argmax would label nearly every voxel background: save them as float32, or end the postprocessing with AsDiscreted (argmax) before {Saver}";
            return;
        }

        if (Semantics.Resample && !OnOriginalGrid(image))
        {
            if (_description.Content == SavedContent.Labels && Semantics.Mode != "nearest")
            {
                Refusal = $"{Saver} resamples the label map to the input's grid (resample true) with {Semantics.Mode} interpolation, which makes fractional labels at every boundary: set its mode to nearest, or invert the preprocessing (Invertd with nearest_interp) and save without resampling";
                return;
            }

            ResampleNote = $"{Saver} resamples it ({Semantics.Mode}) to the input's grid, judged here on its own grid in world coordinates";
        }

        // As numpy's astype: floats to integers cut toward zero.
        written = written.to_type(Semantics.OutputDtype);
        try
        {
            var (labels, note) = SavedSegmentationReader.Labels(written, _description, where);
            Labels = VolumeTensors.ToVolume(labels, image.Affine, VoxelType.Int32, where);
            Note = note;
        }
        catch (MdaiClaraException ex)
        {
            Refusal = ex.Message;
        }
    }

    /// <summary>Whether the data is on the grid the input was loaded on (Invertd ran, or no spatial transform did): resampling there changes nothing.</summary>
    private static bool OnOriginalGrid(ImageItem image) =>
        image.SpatialShape.SequenceEqual(image.OriginalSpatialShape) && image.Affine.MaxAbsDifference(image.OriginalAffine) < 1e-3;

    /// <summary>
    /// The stage name ClaraInferenceSession.Run gives the saver: post_NN_&lt;name&gt;, NN counting the enabled
    /// post-transforms, then the handlers that become steps (TransformInverter, SegmentationSaver), as the session builds them.
    /// </summary>
    private static string StageName(InferenceConfig config, ComponentSpec saver)
    {
        var steps = config.PostTransforms.Where(t => !t.Disabled)
            .Concat(config.Handlers.Where(h => !h.Disabled && h.CanonicalName is "TransformInverter" or "SegmentationSaver"))
            .ToList();
        var index = steps.FindIndex(s => ReferenceEquals(s, saver));
        return $"post_{index:00}_{saver.Name}";
    }
}
