namespace MdaiClara.Engine.Mdai.Annotations.Raster;

/// <summary>
/// The line OpenCV draws between 16.16 fixed-point end points for lineType 8 (its outline of a convex polygon given
/// with a sub-pixel shift, as thick lines are): clipped to the plane in fixed point, the end point set by rounding,
/// then one pixel per whole step of the major axis from the start point plus one half, the minor axis advanced by a
/// truncated fixed-point slope.
/// </summary>
internal static class SubpixelLine
{
    private const int Shift = 16;
    private const long One = 1L << Shift;
    private const long Half = One >> 1;

    public static void Draw(MaskPlane plane, long x1, long y1, long x2, long y2, byte value)
    {
        if (!LineClipping.Clip((long)plane.Columns << Shift, (long)plane.Rows << Shift, ref x1, ref y1, ref x2, ref y2))
        {
            return;
        }

        long dx = x2 - x1, dy = y2 - y1;
        var ax = dx < 0 ? -dx : dx;
        var ay = dy < 0 ? -dy : dy;
        long xStep = One, yStep = One;
        long count;
        if (ax > ay)
        {
            if (dx < 0)
            {
                dy = -dy;
                (x1, y1, x2, y2) = (x2, y2, x1, y1);
            }

            xStep = One;
            yStep = dy * One / (ax | 1);
            count = (x2 - x1) >> Shift;
        }
        else
        {
            if (dy < 0)
            {
                dx = -dx;
                (x1, y1, x2, y2) = (x2, y2, x1, y1);
            }

            xStep = dx * One / (ay | 1);
            yStep = One;
            count = (y2 - y1) >> Shift;
        }

        x1 += Half;
        y1 += Half;
        plane.PutClipped((int)((x2 + Half) >> Shift), (int)((y2 + Half) >> Shift), value);
        if (ax > ay)
        {
            x1 >>= Shift;
            for (; count >= 0; count--, x1++, y1 += yStep)
            {
                plane.PutClipped((int)x1, (int)(y1 >> Shift), value);
            }
        }
        else
        {
            y1 >>= Shift;
            for (; count >= 0; count--, y1++, x1 += xStep)
            {
                plane.PutClipped((int)(x1 >> Shift), (int)y1, value);
            }
        }

    }
}
