using System;
using System.Linq;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Inference.Transforms;
using TorchSharp;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Spatial;

/// <summary>
/// Where MONAI's Spacing puts the output grid: its affine, its shape, and whether resampling is skipped
/// (<see cref="IsIdentity"/>: the data stay as they are, only cast to float32).
/// </summary>
/// <param name="OutputAffine">The affine MONAI records for the output (see <see cref="SpacingTransform.Plan"/>).</param>
/// <param name="OutputShape">The spatial shape of the output.</param>
/// <param name="IsIdentity">True when MONAI returns the input data unchanged.</param>
public sealed record SpacingPlan(Affine OutputAffine, long[] OutputShape, bool IsIdentity);

/// <summary>
/// MONAI <c>Spacing</c>: resample a channel-first image [C, *spatial] (spatial rank 2 or 3; a 4×4 affine whose unused
/// rows/columns are identity for rank 2) onto a grid with the requested voxel size, keeping its orientation, with
/// <c>grid_sample</c> on the tensor's device. Follows <see cref="MonaiSemantics"/>: short pixdim padding, output
/// origin, operation order of the shape computation and the align_corners grid differ between 0.8.1 and 1.x.
/// </summary>
/// <remarks>
/// Affines are kept in double precision. MONAI 0.8.1 stores the affine it computes as float32 in the meta dict; that
/// rounding (≤ 1e-6 mm here) is not reproduced.
/// </remarks>
public static class SpacingTransform
{
    private const string Component = "Spacing";

    /// <summary>
    /// The output grid for <paramref name="pixdim"/> on an input of <paramref name="spatialShape"/> with affine
    /// <paramref name="input"/>. A pixdim longer than the rank is cut; a shorter one is padded with 1.0 (0.8.1), its
    /// last value (1.x) or the original spacing (0.5); entries ≤ 0 keep the original spacing (0.5 refuses them).
    /// </summary>
    /// <remarks>
    /// When MONAI skips resampling (index transform within 1e-3 of the identity; 1.x also needs an unchanged shape)
    /// the plan says <see cref="SpacingPlan.IsIdentity"/>, its shape is the input shape, and its affine is the one
    /// MONAI records: the computed target affine in 0.5/0.8.1, the unchanged input affine in 1.x.
    /// </remarks>
    public static SpacingPlan Plan(Affine input, long[] spatialShape, double[] pixdim, bool diagonal, MonaiSemantics semantics)
    {
        var rank = CheckRank(spatialShape);
        ArgumentNullException.ThrowIfNull(pixdim);
        if (pixdim.Length == 0)
        {
            throw TransformErrors.Argument(Component, "pixdim", "is empty; give one voxel size per spatial axis");
        }

        if (pixdim.Any(p => !double.IsFinite(p)))
        {
            throw TransformErrors.Argument(Component, "pixdim", $"holds a value that is not a finite number ({Format(pixdim)})");
        }

        var source = AffineMath.Reduce(input, rank);
        var target = TargetAffine(source, spatialShape, pixdim, diagonal, semantics, out var outputShape);
        var indexTransform = IndexTransform(source, target, semantics);
        var sameShape = outputShape.SequenceEqual(spatialShape);
        var skip = semantics == MonaiSemantics.Monai1x
            ? sameShape && (AffineMath.AllClose(source, target, SpacingGeometry.IdentityTolerance) || SpacingGeometry.IsIdentity(indexTransform))
            : SpacingGeometry.IsIdentity(indexTransform);
        if (!skip)
        {
            return new SpacingPlan(AffineMath.Embed(target, input), outputShape, false);
        }

        var recorded = semantics == MonaiSemantics.Monai1x ? input : AffineMath.Embed(target, input);
        return new SpacingPlan(recorded, (long[])spatialShape.Clone(), true);
    }

    /// <summary>
    /// Spacing as MONAI runs it once planned: the data unchanged (as float32) when <paramref name="plan"/> says
    /// <see cref="SpacingPlan.IsIdentity"/>, else <see cref="Resample"/> from <paramref name="input"/> onto the plan's grid.
    /// </summary>
    public static Tensor Apply(Tensor image, Affine input, SpacingPlan plan, Interpolation mode, GridPaddingMode padding, bool alignCorners, MonaiSemantics semantics)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(plan);
        if (!plan.IsIdentity)
        {
            return Resample(image, input, plan.OutputAffine, plan.OutputShape, mode, padding, alignCorners, semantics);
        }

        _ = CheckImage(image);
        _ = SampleMode(mode);
        _ = PaddingMode(padding);
        using var scope = NewDisposeScope();
        return AsFloat32Copy(image).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Resamples <paramref name="image"/> (grid <paramref name="source"/>) onto the grid (<paramref name="target"/>,
    /// <paramref name="targetShape"/>); returns float32. It always resamples: whether MONAI would skip is for
    /// <see cref="Plan"/> (or <see cref="Invert"/>) to say.
    /// </summary>
    /// <remarks>
    /// Output voxel j takes the input value at index T·j, T = inv(source)·target (0.8.1 computes it as inv(A)·B,
    /// 1.x as solve(A, B)), sampled in float64 with <paramref name="mode"/> <see cref="Interpolation.Bilinear"/>
    /// (trilinear on 3-D data) or <see cref="Interpolation.Nearest"/> and the given padding. With
    /// <paramref name="alignCorners"/> 0.8.1 samples the same positions and only clamps differently; 1.x samples a
    /// stretched grid, i = (n_in − 1)/n_in · (T·(j·n_out/(n_out − 1) − ½) + ½) per axis. Nearest sampling of a volume
    /// rounds an index exactly halfway between two voxels away from zero, as the PyTorch of Clara 4.x and of the
    /// MONAI references did (PyTorch 2.1 changed 3-D grid_sample to round half to even); 2-D rounds half to even.
    /// </remarks>
    public static Tensor Resample(Tensor image, Affine source, Affine target, long[] targetShape, Interpolation mode, GridPaddingMode padding, bool alignCorners, MonaiSemantics semantics)
    {
        ArgumentNullException.ThrowIfNull(image);
        var rank = CheckImage(image);
        CheckTargetShape(targetShape, rank);
        var sampleMode = SampleMode(mode);
        var paddingMode = PaddingMode(padding);
        using var scope = NewDisposeScope();
        var indexTransform = IndexTransform(AffineMath.Reduce(source, rank), AffineMath.Reduce(target, rank), semantics);
        return GridResampler.Sample(image, indexTransform, targetShape, sampleMode, paddingMode, alignCorners, semantics).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Invertd's inverse of a Spacing: resamples <paramref name="image"/> (grid <paramref name="current"/>) back onto the
    /// original grid (<paramref name="original"/>, <paramref name="originalShape"/>) as the given MONAI version does.
    /// Returns float32; <see cref="PlanInverse"/> gives the grid (affine, shape) this produces.
    /// </summary>
    /// <remarks>
    /// 0.5/0.8.1 run Spacing(pixdim = column norms of <paramref name="original"/>) on the current affine with the
    /// output shape forced to <paramref name="originalShape"/>, so the result lands on a grid that keeps the current
    /// world position of voxel 0; they cannot invert a <paramref name="diagonal"/> Spacing. 1.x resamples onto
    /// <paramref name="original"/> itself. Both return the data unchanged when the index transform is the identity
    /// within 1e-3 (1.x: and the shape is unchanged). For Invertd's <c>nearest_interp=True</c> pass
    /// <see cref="Interpolation.Nearest"/> and <paramref name="alignCorners"/> false: both versions then also reset
    /// align_corners to its default (it matters in 1.x, where it stretches the grid); otherwise pass the forward mode,
    /// padding and align_corners.
    /// </remarks>
    public static Tensor Invert(Tensor image, Affine current, Affine original, long[] originalShape, Interpolation mode, GridPaddingMode padding, bool alignCorners, MonaiSemantics semantics, bool diagonal = false)
    {
        ArgumentNullException.ThrowIfNull(image);
        var rank = CheckImage(image);
        CheckTargetShape(originalShape, rank);
        var sampleMode = SampleMode(mode);
        var paddingMode = PaddingMode(padding);
        var currentShape = image.shape.Skip(1).ToArray();
        var grid = PlanInverse(current, currentShape, original, originalShape, semantics, diagonal);
        using var scope = NewDisposeScope();
        if (grid.IsIdentity)
        {
            return AsFloat32Copy(image).MoveToOuterDisposeScope();
        }

        // 0.8.1 resamples onto the grid it computed; 1.x onto the stored original affine (the plan holds it).
        var indexTransform = IndexTransform(AffineMath.Reduce(current, rank), AffineMath.Reduce(grid.OutputAffine, rank), semantics);
        return GridResampler.Sample(image, indexTransform, originalShape, sampleMode, paddingMode, alignCorners, semantics).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The grid <see cref="Invert"/> resamples onto: its affine (what MONAI records for the inverted data), its shape,
    /// and whether the data are left unchanged (then the shape is <paramref name="currentShape"/>).
    /// </summary>
    public static SpacingPlan PlanInverse(Affine current, long[] currentShape, Affine original, long[] originalShape, MonaiSemantics semantics, bool diagonal = false)
    {
        var rank = CheckRank(currentShape);
        CheckTargetShape(originalShape, rank);
        if (semantics == MonaiSemantics.Monai1x)
        {
            var from = AffineMath.Reduce(current, rank);
            var to = AffineMath.Reduce(original, rank);
            var sameShape = originalShape.SequenceEqual(currentShape);
            var unchanged = sameShape && (AffineMath.AllClose(from, to, SpacingGeometry.IdentityTolerance) || SpacingGeometry.IsIdentity(IndexTransform(from, to, semantics)));
            return unchanged
                ? new SpacingPlan(current, (long[])currentShape.Clone(), true)
                : new SpacingPlan(original, (long[])originalShape.Clone(), false);
        }

        if (diagonal)
        {
            throw TransformErrors.Argument(Component, "diagonal", $"is true, and {MonaiSemanticsVersions.Describe(semantics)} cannot invert a diagonal Spacing (Invertd raises there)");
        }

        // Spacing(pixdim = original spacing) on the current grid; its own shape is replaced by the original one.
        var originalSpacing = Enumerable.Range(0, 3).Select(axis => Math.Sqrt(original.Column(axis).Sum(v => v * v))).ToArray();
        var plan = Plan(current, currentShape, originalSpacing, false, semantics);
        return plan.IsIdentity ? plan : plan with { OutputShape = (long[])originalShape.Clone() };
    }

    /// <summary>The target affine (rank+1 square, origin set) and output shape of a Spacing.</summary>
    private static double[,] TargetAffine(double[,] source, long[] spatialShape, double[] pixdim, bool diagonal, MonaiSemantics semantics, out long[] outputShape)
    {
        var rank = spatialShape.Length;
        var spacing = SpacingGeometry.TargetSpacing(pixdim, AffineMath.ColumnNorms(source, rank), semantics, out var problem)
            ?? throw TransformErrors.Argument(Component, "pixdim", $"{problem} ({Format(pixdim)})");
        double[,] target;
        try
        {
            target = SpacingGeometry.ZoomAffine(source, spacing, diagonal);
            (outputShape, var origin) = SpacingGeometry.ShapeAndOrigin(spatialShape, source, target, semantics);
            for (var axis = 0; axis < rank; axis++)
            {
                target[axis, rank] = origin[axis];
            }
        }
        catch (InvalidOperationException)
        {
            throw TransformErrors.Input(Component, "the image affine is singular (its voxel axes do not span the space), so no voxel size can be derived from it");
        }

        return target;
    }

    /// <summary>Output voxel index → input voxel index, in each release's operation order.</summary>
    private static double[,] IndexTransform(double[,] source, double[,] target, MonaiSemantics semantics)
    {
        try
        {
            return semantics == MonaiSemantics.Monai1x
                ? AffineMath.Solve(source, target)
                : AffineMath.Multiply(AffineMath.Inverse(source), target);
        }
        catch (InvalidOperationException)
        {
            throw TransformErrors.Input(Component, "the image affine is singular (its voxel axes do not span the space)");
        }
    }

    private static Tensor AsFloat32Copy(Tensor image) =>
        image.dtype == ScalarType.Float32 ? image.clone() : image.to_type(ScalarType.Float32);

    private static GridSampleMode SampleMode(Interpolation mode) => mode switch
    {
        Interpolation.Nearest => GridSampleMode.Nearest,
        Interpolation.Bilinear => GridSampleMode.Bilinear,
        Interpolation.Trilinear or Interpolation.Linear =>
            throw TransformErrors.Argument(Component, "mode", $"is '{mode}', which Spacing does not take; use 'bilinear' (trilinear on 3-D data) or 'nearest'"),
        _ => throw TransformErrors.Argument(Component, "mode", $"is '{mode}'; Spacing resamples with 'bilinear' (trilinear on 3-D data) or 'nearest'"),
    };

    private static GridSamplePaddingMode PaddingMode(GridPaddingMode padding) => padding switch
    {
        GridPaddingMode.Zeros => GridSamplePaddingMode.Zeros,
        GridPaddingMode.Border => GridSamplePaddingMode.Border,
        GridPaddingMode.Reflection => GridSamplePaddingMode.Reflection,
        _ => throw TransformErrors.Argument(Component, "padding_mode", $"is '{padding}'; use 'zeros', 'border' or 'reflection'"),
    };

    private static int CheckRank(long[] spatialShape)
    {
        ArgumentNullException.ThrowIfNull(spatialShape);
        if (spatialShape.Length is not (2 or 3))
        {
            throw TransformErrors.Input(Component, $"the image has {spatialShape.Length} spatial dimensions; Spacing resamples 2-D or 3-D images (channel first)");
        }

        if (spatialShape.Any(s => s < 1))
        {
            throw TransformErrors.Input(Component, $"the spatial shape [{string.Join(", ", spatialShape)}] has an empty axis");
        }

        return spatialShape.Length;
    }

    private static int CheckImage(Tensor image)
    {
        if (image.dim() is not (3 or 4))
        {
            throw TransformErrors.Input(Component, $"the image has shape [{string.Join(", ", image.shape)}]; Spacing takes a channel-first 2-D or 3-D image [C, *spatial]");
        }

        return CheckRank(image.shape.Skip(1).ToArray());
    }

    private static void CheckTargetShape(long[] shape, int rank)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length != rank || shape.Any(s => s < 1))
        {
            throw TransformErrors.Argument(Component, "spatial_size", $"is [{string.Join(", ", shape)}]; it needs {rank} positive sizes for this image");
        }
    }

    private static string Format(double[] values) =>
        "[" + string.Join(", ", values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]";
}
