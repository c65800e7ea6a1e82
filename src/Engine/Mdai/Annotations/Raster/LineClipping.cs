namespace MdaiClara.Engine.Mdai.Annotations.Raster;

/// <summary>
/// Clips a segment to a width × height box the way OpenCV's clipLine does (Cohen–Sutherland, one pass per axis, the
/// new end point from the other end by a double-precision ratio truncated to an integer). The exact arithmetic
/// matters: fillPoly draws and fills from the clipped points, so a different rounding moves pixels.
/// </summary>
internal static class LineClipping
{
    /// <summary>Clips (x1, y1)–(x2, y2) in place; true when some part lies inside [0, width) × [0, height).</summary>
    public static bool Clip(long width, long height, ref long x1, ref long y1, ref long x2, ref long y2)
    {
        if (width <= 0 || height <= 0)
        {
            return false;
        }

        long right = width - 1, bottom = height - 1;
        var c1 = Code(x1, y1, right, bottom);
        var c2 = Code(x2, y2, right, bottom);
        if ((c1 & c2) == 0 && (c1 | c2) != 0)
        {
            if ((c1 & 12) != 0)
            {
                long a = c1 < 8 ? 0 : bottom;
                x1 += (long)((double)(a - y1) * (x2 - x1) / (y2 - y1));
                y1 = a;
                c1 = (x1 < 0 ? 1 : 0) + (x1 > right ? 2 : 0);
            }

            if ((c2 & 12) != 0)
            {
                long a = c2 < 8 ? 0 : bottom;
                x2 += (long)((double)(a - y2) * (x2 - x1) / (y2 - y1));
                y2 = a;
                c2 = (x2 < 0 ? 1 : 0) + (x2 > right ? 2 : 0);
            }

            if ((c1 & c2) == 0 && (c1 | c2) != 0)
            {
                if (c1 != 0)
                {
                    long a = c1 == 1 ? 0 : right;
                    y1 += (long)((double)(a - x1) * (y2 - y1) / (x2 - x1));
                    x1 = a;
                    c1 = 0;
                }

                if (c2 != 0)
                {
                    long a = c2 == 1 ? 0 : right;
                    y2 += (long)((double)(a - x2) * (y2 - y1) / (x2 - x1));
                    x2 = a;
                    c2 = 0;
                }
            }
        }

        return (c1 | c2) == 0;
    }

    private static int Code(long x, long y, long right, long bottom) =>
        (x < 0 ? 1 : 0) + (x > right ? 2 : 0) + (y < 0 ? 4 : 0) + (y > bottom ? 8 : 0);
}
