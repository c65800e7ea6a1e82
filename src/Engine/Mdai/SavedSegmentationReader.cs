using System.Linq;
using MdaiClara.Engine.Errors;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Mdai;

/// <summary>
/// The saved segmentation as MD.ai will have it, in C#: the array MONAI 0.8.1's NiftiSaver writes for a prediction
/// (<see cref="Written"/>), and the label map the generated interface code makes of it (<see cref="Labels"/>, the rules
/// of mdai_clara_output.py, which tests/mdai/saved_output_rules.py checks against this class case by case). The smoke
/// run of Publish-MdaiModel judges the packaged code with these, not with MdaiClara's own reading of the prediction.
/// </summary>
public static class SavedSegmentationReader
{
    /// <summary>How far a float label may be from a whole number (mdai_clara_output.LABEL_TOLERANCE).</summary>
    public const double LabelTolerance = 1e-3;

    /// <summary>
    /// What MONAI 0.8.1's NiftiSaver.save writes for a channel-first prediction: axes of length 1 appended up to
    /// (C, x, y, z), the channel moved last, trailing axes of length 1 dropped (squeeze_end_dims), stored as float32
    /// (its output_dtype).
    /// </summary>
    public static Tensor Written(Tensor channelFirst, bool squeezeEndDims = true)
    {
        var data = channelFirst;
        while (data.dim() < 4)
        {
            data = data.unsqueeze(-1);
        }

        data = data.movedim(new long[] { 0 }, new long[] { -1 });
        while (squeezeEndDims && data.dim() > 0 && data.shape[^1] == 1)
        {
            data = data.squeeze(-1);
        }

        return data.to_type(ScalarType.Float32);
    }

    /// <summary>
    /// One int64 label per voxel (x, y, z) from the saved array, and a note the interface code logs, or the error it raises.
    /// </summary>
    /// <param name="saved">The array as the file holds it (nibabel's order: x, y, z[, C]).</param>
    /// <param name="description">The package's saved_output.</param>
    /// <param name="where">The file, for messages.</param>
    public static (Tensor Labels, string? Note) Labels(Tensor saved, SavedSegmentationOutput description, string where)
    {
        if (description.Content == SavedContent.Labels)
        {
            return (WholeLabels(OneValuePerVoxel(saved, where), where), null);
        }

        var volume = ChannelsLast(saved, description, where);
        var labels = volume.argmax(-1).to_type(ScalarType.Int64);
        var what = description.Content == SavedContent.OneHot ? "a one-hot volume" : "class probabilities";
        return (labels, $"The model output {where} is {what} of {volume.shape[^1]} classes, shape {string.Join("x", saved.shape)}; each voxel's label is the channel holding its maximum (argmax), as MONAI's AsDiscrete(argmax=True) makes it.");
    }

    private static Tensor OneValuePerVoxel(Tensor data, string where)
    {
        var shape = data.shape;
        while (data.dim() > 3 && data.shape[^1] == 1)
        {
            data = data.squeeze(-1);
        }

        if (data.dim() == 2)
        {
            data = data.unsqueeze(-1);
        }

        if (data.dim() != 3)
        {
            throw new MdaiClaraException(
                $"The model output {where} has shape {Shape(shape)}, but the MMAR's post-transforms end with a label map (one value per voxel), as the package's saved_output in mdai_clara.json says; the MMAR's output no longer matches its package. Regenerate the package from the MMAR as it is.",
                ErrorIds.MdaiOutputUnavailable, ErrorKind.InvalidData, where);
        }

        return data;
    }

    private static Tensor WholeLabels(Tensor data, string where)
    {
        if (data.is_floating_point())
        {
            // In the file's own precision, as numpy compares them.
            var rounded = data.round();
            if (!(data - rounded).abs().lt(LabelTolerance).all().item<bool>())
            {
                throw new MdaiClaraException(
                    $"The model output {where} holds fractional values (e.g. probabilities, or labels resampled with interpolation), not labels. Does the MMAR's post-processing end with argmax (AsDiscreted), and does Invertd use nearest_interp?",
                    ErrorIds.MdaiOutputUnavailable, ErrorKind.InvalidData, where);
            }

            data = rounded;
        }

        return data.to_type(ScalarType.Int64);
    }

    private static Tensor ChannelsLast(Tensor data, SavedSegmentationOutput description, string where)
    {
        var last = description.ChannelAxis == SavedChannelAxis.Last;
        var c = description.Channels?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "C";
        var shaped = data.dim() == 4 && (description.Channels is null || data.shape[last ? 3 : 0] == description.Channels);
        if (!shaped)
        {
            throw new MdaiClaraException(
                $"The model output {where} has shape {Shape(data.shape)}, but the MMAR's saver writes {(description.Content == SavedContent.OneHot ? "a one-hot volume" : "class probabilities")} {(last ? $"(x, y, z, {c})" : $"({c}, x, y, z)")}, channels {(last ? "last" : "first")} as MONAI 0.8.1's NiftiSaver writes them (saved_output in mdai_clara.json); the MMAR's output no longer matches its package. Regenerate the package from the MMAR as it is.",
                ErrorIds.MdaiOutputUnavailable, ErrorKind.InvalidData, where);
        }

        return last ? data : data.movedim(new long[] { 0 }, new long[] { -1 });
    }

    private static string Shape(long[] shape) => "(" + string.Join(", ", shape.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))) + ")";
}
