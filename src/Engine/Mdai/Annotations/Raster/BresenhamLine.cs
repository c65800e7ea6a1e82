using System;

namespace MdaiClara.Engine.Mdai.Annotations.Raster;

/// <summary>
/// The 8-connected integer line OpenCV draws for lineType 8 with shift 0 (its LineIterator, left to right): end points
/// outside the plane are first clipped with <see cref="LineClipping"/>, the line then runs from its left end (or its
/// first end when vertical), one pixel per step along the major axis, stepping the minor axis while the error term
/// is negative (error starts at dx − 2·dy).
/// </summary>
internal static class BresenhamLine
{
    public static void Draw(MaskPlane plane, long x1, long y1, long x2, long y2, byte value)
    {
        var inside = (ulong)x1 < (ulong)plane.Columns && (ulong)x2 < (ulong)plane.Columns && (ulong)y1 < (ulong)plane.Rows && (ulong)y2 < (ulong)plane.Rows;
        if (!inside)
        {
            // OpenCV clips the int Point pair: values beyond int are saturated first.
            (x1, y1, x2, y2) = (Saturate(x1), Saturate(y1), Saturate(x2), Saturate(y2));
            if (!LineClipping.Clip(plane.Columns, plane.Rows, ref x1, ref y1, ref x2, ref y2))
            {
                return;
            }
        }

        int px = (int)x1, py = (int)y1;
        long dx = x2 - x1, dy = y2 - y1;
        if (dx < 0)
        {
            dx = -dx;
            dy = -dy;
            (px, py) = ((int)x2, (int)y2);
        }

        var stepY = 1;
        if (dy < 0)
        {
            dy = -dy;
            stepY = -1;
        }

        var vertical = dy > dx;
        if (vertical)
        {
            (dx, dy) = (dy, dx);
        }

        var error = dx - (dy + dy);
        var count = dx + 1;
        var columns = plane.Columns;
        var pixels = plane.Pixels;
        for (long n = 0; n < count; n++)
        {
            pixels[(py * columns) + px] = value;
            var minor = error < 0;
            error += -(dy + dy) + (minor ? dx + dx : 0);
            if (vertical)
            {
                py += stepY;
                px += minor ? 1 : 0;
            }
            else
            {
                px += 1;
                py += minor ? stepY : 0;
            }
        }
    }

    private static long Saturate(long v) => Math.Clamp(v, int.MinValue, int.MaxValue);
}
