using System;
using System.Linq;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Inference.Transforms;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Spatial;

/// <summary>
/// How MONAI's Orientation reorders a grid: spatial axis k of the output is input axis <see cref="Permutation"/>[k],
/// flipped where <see cref="Flip"/>[k] (flip applied to the input axis before the permutation, as MONAI does).
/// </summary>
/// <param name="Permutation">For each output spatial axis, the input spatial axis it comes from.</param>
/// <param name="Flip">For each output spatial axis, whether its input axis is reversed.</param>
/// <param name="OutputAffine">The affine of the reoriented grid (input affine · nibabel inv_ornt_aff).</param>
/// <param name="OutputShape">The spatial shape after reorientation.</param>
/// <param name="InputShape">The spatial shape before reorientation.</param>
public sealed record OrientationPlan(int[] Permutation, bool[] Flip, Affine OutputAffine, long[] OutputShape, long[] InputShape);

/// <summary>
/// MONAI <c>Orientation</c>: flips and permutes the spatial axes of a channel-first image so its axis codes become the
/// requested ones (nibabel io_orientation of the affine, nearest codes for oblique affines); never interpolates.
/// </summary>
/// <remarks>
/// The same in MONAI 0.5, 0.8.1 and 1.x, which all used nibabel's io_orientation taking voxel axes in the order 0, 1, 2
/// (nibabel before 5.4). 0.8.1 stores the new affine as float32 in its meta dict; it is kept in double here (the
/// difference is below 1e-6 mm).
/// </remarks>
public static class OrientationTransform
{
    private const string Component = "Orientation";

    /// <summary>
    /// The reorientation of a grid (<paramref name="input"/>, <paramref name="spatialShape"/>) to
    /// <paramref name="axcodes"/> ("RAS", "LPS", …; longer than the rank: cut, as "RAS" acts as "RA" on 2-D data),
    /// or to the closest canonical (RAS-like) orientation when <paramref name="asClosestCanonical"/>.
    /// </summary>
    public static OrientationPlan Plan(Affine input, long[] spatialShape, string? axcodes, bool asClosestCanonical, MonaiSemantics semantics)
    {
        ArgumentNullException.ThrowIfNull(spatialShape);
        if (!Enum.IsDefined(semantics))
        {
            throw new ArgumentOutOfRangeException(nameof(semantics));
        }

        var rank = spatialShape.Length;
        if (rank is not (2 or 3))
        {
            throw TransformErrors.Input(Component, $"the image has {rank} spatial dimensions; Orientation reorients 2-D or 3-D images (channel first)");
        }

        if (spatialShape.Any(s => s < 1))
        {
            throw TransformErrors.Input(Component, $"the spatial shape [{string.Join(", ", spatialShape)}] has an empty axis");
        }

        var affine = AffineMath.Reduce(input, rank);
        (int Axis, int Sign)[] current;
        try
        {
            current = VoxelAxisOrientation.Of(affine);
        }
        catch (InvalidOperationException)
        {
            throw TransformErrors.Input(Component, $"the image affine {input} is singular, so its voxel axes have no orientation");
        }

        var transform = asClosestCanonical ? current : ToCodes(current, axcodes, rank);
        var inverseOrientation = VoxelAxisOrientation.InverseAffine(transform, spatialShape);
        var outputAffine = AffineMath.Embed(AffineMath.Multiply(affine, inverseOrientation), input);

        // transform[i] says where input axis i goes; the plan is indexed by output axis.
        var permutation = new int[rank];
        var flip = new bool[rank];
        for (var inputAxis = 0; inputAxis < rank; inputAxis++)
        {
            permutation[transform[inputAxis].Axis] = inputAxis;
            flip[transform[inputAxis].Axis] = transform[inputAxis].Sign < 0;
        }

        var outputShape = permutation.Select(axis => spatialShape[axis]).ToArray();
        return new OrientationPlan(permutation, flip, outputAffine, outputShape, (long[])spatialShape.Clone());
    }

    /// <summary>
    /// Reorients <paramref name="image"/> [C, *plan.InputShape] to [C, *plan.OutputShape]. A pure layout change: the
    /// values and their dtype are kept (the result is a contiguous copy).
    /// </summary>
    public static Tensor Apply(Tensor image, OrientationPlan plan)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(plan);
        CheckShape(image, plan.InputShape, "the plan's input");
        using var scope = NewDisposeScope();
        var flipped = FlipDims(image, FlippedInputDims(plan));
        var order = new long[] { 0 }.Concat(plan.Permutation.Select(axis => (long)axis + 1)).ToArray();
        return Reorder(flipped, order).MoveToOuterDisposeScope();
    }

    /// <summary>Back to the input layout of <paramref name="plan"/> (Invertd): the reverse permutation, then the same flips.</summary>
    public static Tensor Invert(Tensor image, OrientationPlan plan)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(plan);
        CheckShape(image, plan.OutputShape, "the plan's output");
        using var scope = NewDisposeScope();
        var rank = plan.Permutation.Length;
        var order = new long[rank + 1];
        for (var k = 0; k < rank; k++)
        {
            order[plan.Permutation[k] + 1] = k + 1;
        }

        return FlipDims(Reorder(image, order), FlippedInputDims(plan)).MoveToOuterDisposeScope();
    }

    /// <summary>The tensor dims (channel first) of the input axes the plan flips.</summary>
    private static long[] FlippedInputDims(OrientationPlan plan) =>
        plan.Permutation.Where((_, k) => plan.Flip[k]).Select(axis => (long)axis + 1).ToArray();

    /// <summary>A flipped copy, or a plain copy when nothing is flipped (results never share storage with inputs).</summary>
    private static Tensor FlipDims(Tensor image, long[] dims) => dims.Length == 0 ? image.clone() : image.flip(dims);

    /// <summary>Permuted dims as a contiguous tensor.</summary>
    private static Tensor Reorder(Tensor image, long[] order) =>
        order.Select((dim, n) => dim == n).All(same => same) ? image : image.permute(order).contiguous();

    /// <summary>nibabel ornt_transform from the current orientation to <paramref name="axcodes"/>, with MONAI's checks.</summary>
    private static (int Axis, int Sign)[] ToCodes((int Axis, int Sign)[] current, string? axcodes, int rank)
    {
        if (string.IsNullOrEmpty(axcodes))
        {
            throw TransformErrors.Argument(Component, "axcodes", "is missing; give axis codes such as \"RAS\", or as_closest_canonical=true");
        }

        if (axcodes.Length < rank)
        {
            throw TransformErrors.Argument(Component, "axcodes", $"is \"{axcodes}\", fewer codes than the image's {rank} spatial dimensions");
        }

        var wanted = VoxelAxisOrientation.FromCodes(axcodes[..rank], out var problem)
            ?? throw TransformErrors.Argument(Component, "axcodes", $"is \"{axcodes}\", which {problem}");
        return VoxelAxisOrientation.Between(current, wanted)
            ?? throw TransformErrors.Argument(Component, "axcodes", $"is \"{axcodes}\", but the {rank}-D image's axes run along {VoxelAxisOrientation.ToCodes(current)}, so it cannot be reoriented to {axcodes[..rank]}");
    }

    private static void CheckShape(Tensor image, long[] spatialShape, string which)
    {
        if (image.dim() != spatialShape.Length + 1 || !image.shape.Skip(1).SequenceEqual(spatialShape))
        {
            throw TransformErrors.Input(Component, $"the image has shape [{string.Join(", ", image.shape)}] but {which} spatial shape is [{string.Join(", ", spatialShape)}] (channel first)");
        }
    }
}
