using System;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Transforms;

/// <summary>MONAI <c>SpatialPad</c>: pads each spatial axis up to <c>spatial_size</c> (never crops).</summary>
public static class SpatialPadTransform
{
    /// <summary>Pads (method "symmetric": half before, rest after; "end": all after) with mode "constant" (value) or F.pad's others; returns the padding added before each axis.</summary>
    public static (Tensor Padded, long[] PadBefore) Pad(Tensor image, long[] spatialSize, string method, string mode, double value) =>
        throw new NotImplementedException();

    /// <summary>Invertd: removes the padding again.</summary>
    public static Tensor Invert(Tensor image, long[] padBefore, long[] originalSpatialShape) => throw new NotImplementedException();
}
