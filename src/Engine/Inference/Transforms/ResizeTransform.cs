using System;
using MdaiClara.Engine.Inference.Spatial;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Transforms;

/// <summary>MONAI <c>Resize</c>: F.interpolate to a spatial size (size_mode "all" or "longest"), on the input's device.</summary>
public static class ResizeTransform
{
    /// <summary>The output spatial size for an input of <paramref name="spatialShape"/> (entries ≤ 0 keep the input's).</summary>
    public static long[] OutputShape(long[] spatialShape, long[] spatialSize, string sizeMode) => throw new NotImplementedException();

    public static Tensor Resize(Tensor image, long[] spatialSize, string sizeMode, Interpolation mode, bool? alignCorners, bool antiAliasing, double[]? antiAliasingSigma, MonaiSemantics semantics) =>
        throw new NotImplementedException();
}
