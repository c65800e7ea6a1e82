using System;

namespace MdaiClara.Engine.Mdai.Annotations.Raster;

/// <summary>
/// cv2.circle filled (thickness −1, lineType 8, shift 0): the midpoint circle walked over one octant, each step filling
/// the four rows it reaches between the mirrored x extents, clipped to the plane.
/// </summary>
internal static class CircleFill
{
    public static void Fill(MaskPlane plane, long cx, long cy, long radius, byte value)
    {
        long err = 0, dx = radius, dy = 0, plus = 1, minus = (radius << 1) - 1;
        while (dx >= dy)
        {
            Row(plane, cy - dy, cx - dx, cx + dx, value);
            Row(plane, cy + dy, cx - dx, cx + dx, value);
            Row(plane, cy - dx, cx - dy, cx + dy, value);
            Row(plane, cy + dx, cx - dy, cx + dy, value);
            dy++;
            err += plus;
            plus += 2;
            if (err > 0)
            {
                err -= minus;
                dx--;
                minus -= 2;
            }
        }
    }

    private static void Row(MaskPlane plane, long y, long x0, long x1, byte value)
    {
        if (y >= 0 && y < plane.Rows && x0 < plane.Columns && x1 >= 0)
        {
            plane.Span((int)y, (int)Math.Max(x0, 0), (int)Math.Min(x1, plane.Columns - 1), value);
        }
    }
}
