using System.Globalization;
using System.Linq;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Transforms;

/// <summary>Checks shared by the crop, pad and resize operations: tensor layout and per-axis arguments.</summary>
internal static class AxisArguments
{
    /// <summary>
    /// A per-axis argument for <paramref name="rank"/> spatial axes: one value means the same for every axis (MONAI's
    /// <c>ensure_tuple_rep</c>), otherwise there must be exactly one per axis.
    /// </summary>
    public static long[] Expand(long[]? values, int rank, string component, string argument)
    {
        if (values is null || values.Length == 0)
        {
            throw TransformErrors.Argument(component, argument, "needs one value, or one per spatial axis");
        }

        if (values.Length == 1)
        {
            return Enumerable.Repeat(values[0], rank).ToArray();
        }

        if (values.Length != rank)
        {
            throw TransformErrors.Argument(component, argument,
                $"has {values.Length} values for an image with {rank} spatial axes ({Describe(values)}); give one value or {rank}");
        }

        return (long[])values.Clone();
    }

    /// <summary>The spatial rank of a channel-first tensor [C, *spatial]; refuses tensors without a spatial axis.</summary>
    public static int SpatialRank(Tensor image, string component)
    {
        if (image.dim() < 2)
        {
            throw TransformErrors.Input(component,
                $"expects a channel-first image [C, *spatial], got a tensor of shape {Describe(image.shape)}");
        }

        return (int)image.dim() - 1;
    }

    /// <summary>The spatial shape of a channel-first tensor.</summary>
    public static long[] SpatialShape(Tensor image) => image.shape[1..];

    /// <summary>"[a, b, c]" for messages.</summary>
    public static string Describe(long[] values) =>
        "[" + string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]";

    /// <summary>"[a, b, c]" for messages.</summary>
    public static string Describe(double[] values) =>
        "[" + string.Join(", ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";
}
