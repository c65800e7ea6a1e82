using System.Globalization;
using System.Linq;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Mdai;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Publishing;

/// <summary>
/// What the packaged interface code will read on MD.ai, taken from a smoke run: at the MMAR's saver stage, the data the
/// saver is handed, written as MONAI 0.8.1's NiftiSaver writes it and read back with the package's saved_output and the
/// rules of mdai_clara_output.py (<see cref="SavedSegmentationReader"/>). Not MdaiClara's own label map: that one takes
/// the argmax of whatever comes out, which the generated code may refuse.
/// </summary>
public sealed class PackagedSaverOutput
{
    private readonly SavedSegmentationOutput _description;
    private readonly string _stage;
    private readonly string _key;
    private readonly bool _squeezeEndDims;

    public PackagedSaverOutput(InferenceConfig config, SavedSegmentationOutput description)
    {
        var saver = SavedSegmentationDescriber.FindSaver(config) ?? throw new MdaiClaraException(
            $"{config.File} saves no label map, so the packaged code would find no result.", ErrorIds.MdaiOutputUnavailable, ErrorKind.InvalidData, config.File);
        _description = description;
        _key = SavedSegmentationDescriber.SavedKey(saver);
        _squeezeEndDims = !(saver.Args.TryGetValue("squeeze_end_dims", out var squeeze) && squeeze is false);
        _stage = StageName(config, saver);
        Saver = saver.Name;
    }

    /// <summary>The saver's name in the config.</summary>
    public string Saver { get; }

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

        using var scope = NewDisposeScope();
        var written = SavedSegmentationReader.Written(image.Data, _squeezeEndDims);
        SavedShape = string.Join("x", written.shape.Select(n => n.ToString(CultureInfo.InvariantCulture)));
        var where = $"{image.FileName}_{Saver} ({SavedShape})";
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
