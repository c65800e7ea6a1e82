using System;
using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Imaging;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Pipeline;

/// <summary>
/// One image flowing through a pipeline, as MONAI 0.8.1 keeps it in a data dictionary (array + <c>&lt;key&gt;_meta_dict</c>
/// + <c>&lt;key&gt;_transforms</c>) or 1.x in a MetaTensor: the tensor (channel-first once EnsureChannelFirst ran), its
/// affine, what it was loaded as, and the invertible operations applied to it, oldest first.
/// </summary>
public sealed class ImageItem : IDisposable
{
    private Tensor _data;

    public ImageItem(Tensor data, Affine affine, int spatialRank, string? channelDim, string fileName)
    {
        _data = data;
        Affine = affine;
        SpatialRank = spatialRank;
        OriginalAffine = affine;
        OriginalChannelDim = channelDim;
        FileName = fileName;
        OriginalSpatialShape = data.shape.Take(spatialRank).ToArray();
    }

    /// <summary>The tensor: [*spatial] or [*spatial, C] as loaded, [C, *spatial] after EnsureChannelFirst/AddChannel.</summary>
    public Tensor Data
    {
        get => _data;
        set
        {
            if (!ReferenceEquals(value, _data))
            {
                _data.Dispose();
                _data = value;
            }
        }
    }

    /// <summary>Voxel index → RAS+ mm of the current data (MONAI's meta "affine").</summary>
    public Affine Affine { get; set; }

    /// <summary>Spatial dimensions (2 for a radiograph, 3 for a volume).</summary>
    public int SpatialRank { get; }

    /// <summary>The affine as loaded (MONAI's "original_affine").</summary>
    public Affine OriginalAffine { get; }

    /// <summary>The spatial shape as loaded (MONAI's "spatial_shape").</summary>
    public long[] OriginalSpatialShape { get; }

    /// <summary>Where the loaded data kept its channels: null = no channel axis ("no_channel"), else the axis ("-1").</summary>
    public string? OriginalChannelDim { get; }

    /// <summary>True once the channel axis is first.</summary>
    public bool ChannelFirst { get; set; }

    /// <summary>The input's name as MONAI's "filename_or_obj" (saving derives output names from it).</summary>
    public string FileName { get; }

    /// <summary>The volume the data came from, when it came from one (DICOM series keep their per-slice geometry there).</summary>
    public Volume? SourceVolume { get; init; }

    /// <summary>Invertible operations applied so far, oldest first (MONAI's "&lt;key&gt;_transforms" / applied_operations).</summary>
    public List<AppliedOperation> Applied { get; } = new();

    /// <summary>True once Invertd brought this image back to the source's loaded grid.</summary>
    public bool Inverted { get; set; }

    /// <summary>The current spatial shape (requires channel-first data).</summary>
    public long[] SpatialShape => ChannelFirst ? Data.shape.Skip(1).ToArray() : Data.shape.Take(SpatialRank).ToArray();

    /// <summary>A new item for a derived tensor (the prediction) that shares this one's geometry and history.</summary>
    public ImageItem Derive(Tensor data) => new(data, Affine, SpatialRank, OriginalChannelDim, FileName, this);

    public void Dispose() => _data.Dispose();

    public override string ToString() => $"[{string.Join(", ", Data.shape)}] {Data.dtype} on {Data.device}, {AxisCodes.Of(Affine)}";

    private ImageItem(Tensor data, Affine affine, int spatialRank, string? channelDim, string fileName, ImageItem template)
    {
        _data = data;
        Affine = affine;
        SpatialRank = spatialRank;
        OriginalAffine = template.OriginalAffine;
        OriginalSpatialShape = template.OriginalSpatialShape;
        OriginalChannelDim = channelDim;
        FileName = fileName;
        SourceVolume = template.SourceVolume;
        ChannelFirst = true;
    }
}
