using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Inference.Spatial;
using MdaiClara.Engine.Inference.Transforms;

namespace MdaiClara.Engine.Inference.Pipeline;

/// <summary>
/// An invertible operation as recorded on an image (what Invertd replays backwards): the transform's name and the
/// geometry before it, plus what its inverse needs.
/// </summary>
public abstract record AppliedOperation(string Transform, Affine AffineBefore, long[] SpatialShapeBefore);

/// <summary>A Spacing resample (skipped resamples are recorded too: their inverse is a no-op).</summary>
public sealed record SpacingApplied(string Transform, Affine AffineBefore, long[] SpatialShapeBefore, bool Resampled, Interpolation Mode, GridPaddingMode Padding, bool AlignCorners)
    : AppliedOperation(Transform, AffineBefore, SpatialShapeBefore);

/// <summary>An Orientation flip/permute.</summary>
public sealed record OrientationApplied(string Transform, Affine AffineBefore, long[] SpatialShapeBefore, OrientationPlan Plan)
    : AppliedOperation(Transform, AffineBefore, SpatialShapeBefore);

/// <summary>A crop (CropForeground) to a box.</summary>
public sealed record CropApplied(string Transform, Affine AffineBefore, long[] SpatialShapeBefore, CropBox Box)
    : AppliedOperation(Transform, AffineBefore, SpatialShapeBefore);

/// <summary>A SpatialPad.</summary>
public sealed record PadApplied(string Transform, Affine AffineBefore, long[] SpatialShapeBefore, long[] PadBefore)
    : AppliedOperation(Transform, AffineBefore, SpatialShapeBefore);

/// <summary>A Resize.</summary>
public sealed record ResizeApplied(string Transform, Affine AffineBefore, long[] SpatialShapeBefore, Interpolation Mode, bool? AlignCorners)
    : AppliedOperation(Transform, AffineBefore, SpatialShapeBefore);
