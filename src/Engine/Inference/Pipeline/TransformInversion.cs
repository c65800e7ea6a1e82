using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Inference.Spatial;
using MdaiClara.Engine.Inference.Transforms;

namespace MdaiClara.Engine.Inference.Pipeline;

/// <summary>
/// Invertd's replay: the invertible operations recorded on the source image, newest first, undone on another image
/// (the prediction), which ends on the source's loaded grid. Intensity and type transforms have no inverse and are
/// skipped, as in MONAI.
/// </summary>
public static class TransformInversion
{
    /// <param name="target">The image to bring back (channel-first; its affine is the source's current one).</param>
    /// <param name="operations">The source's <see cref="ImageItem.Applied"/>.</param>
    /// <param name="nearest">Invertd's nearest_interp: resample with nearest instead of each transform's own mode.</param>
    /// <param name="semantics">The MONAI version whose inverses are reproduced.</param>
    public static void Replay(ImageItem target, IReadOnlyList<AppliedOperation> operations, bool nearest, MonaiSemantics semantics)
    {
        foreach (var op in operations.Reverse())
        {
            var current = target.Affine;
            switch (op)
            {
                case SpacingApplied s when s.Resampled:
                    // MONAI's Invertd with nearest_interp also resets align_corners to False (0.8.1 and 1.x alike).
                    target.Data = SpacingTransform.Invert(target.Data, current, s.AffineBefore, s.SpatialShapeBefore, nearest ? Interpolation.Nearest : s.Mode, s.Padding, !nearest && s.AlignCorners, semantics);
                    break;
                case OrientationApplied o:
                    target.Data = OrientationTransform.Invert(target.Data, o.Plan);
                    break;
                case CropApplied c:
                    target.Data = CropForegroundTransform.Invert(target.Data, c.Box, c.SpatialShapeBefore);
                    break;
                case PadApplied p:
                    target.Data = SpatialPadTransform.Invert(target.Data, p.PadBefore, p.SpatialShapeBefore);
                    break;
                case ResizeApplied r:
                    target.Data = ResizeTransform.Resize(target.Data, r.SpatialShapeBefore, "all", nearest ? Interpolation.Nearest : r.Mode, r.AlignCorners, false, null, semantics);
                    break;
            }

            target.Affine = op.AffineBefore;
        }
    }
}
