using System;

namespace MdaiClara.Engine.Mdai.Annotations.Raster;

/// <summary>
/// cv2.fillConvexPoly for lineType 8 (what cv2.rectangle with a negative thickness and OpenCV's thick lines use):
/// the outline drawn first (<see cref="BresenhamLine"/> for whole-pixel vertices, <see cref="SubpixelLine"/> for
/// fixed-point ones), then two edge walkers from the topmost vertex, one each way round, filling between them row by
/// row with x rounded to the nearest pixel; a walker's slope is the rounded fixed-point step to its next vertex below.
/// </summary>
internal static class ConvexPolygonFill
{
    private const int XyShift = 16;
    private const long One = 1L << XyShift;

    /// <summary>Fills the convex polygon <paramref name="vertices"/>, given in 1/2^<paramref name="shift"/> pixels, with <paramref name="value"/> in <paramref name="plane"/>.</summary>
    public static void Fill(MaskPlane plane, ReadOnlySpan<(long X, long Y)> vertices, int shift, byte value)
    {
        var n = vertices.Length;
        if (n == 0)
        {
            return;
        }

        long delta = (1L << shift) >> 1;
        var imin = 0;
        var (xmin, ymin) = vertices[0];
        var (xmax, ymax) = vertices[0];
        var (p0x, p0y) = (vertices[n - 1].X << (XyShift - shift), vertices[n - 1].Y << (XyShift - shift));
        for (var i = 0; i < n; i++)
        {
            var (vx, vy) = vertices[i];
            if (vy < ymin)
            {
                ymin = vy;
                imin = i;
            }

            ymax = Math.Max(ymax, vy);
            xmax = Math.Max(xmax, vx);
            xmin = Math.Min(xmin, vx);
            var (px, py) = (vx << (XyShift - shift), vy << (XyShift - shift));
            if (shift == 0)
            {
                BresenhamLine.Draw(plane, p0x >> XyShift, p0y >> XyShift, px >> XyShift, py >> XyShift, value);
            }
            else
            {
                SubpixelLine.Draw(plane, p0x, p0y, px, py, value);
            }

            (p0x, p0y) = (px, py);
        }

        xmin = (xmin + delta) >> shift;
        xmax = (xmax + delta) >> shift;
        ymin = (ymin + delta) >> shift;
        ymax = (ymax + delta) >> shift;
        if (n < 3 || (int)xmax < 0 || (int)ymax < 0 || (int)xmin >= plane.Columns || (int)ymin >= plane.Rows)
        {
            return;
        }

        ymax = Math.Min(ymax, plane.Rows - 1);
        Span<Walker> walker = stackalloc Walker[2];
        walker[0] = new Walker { Index = imin, Step = 1, X = -One, Dx = 0, YEnd = (int)ymin };
        walker[1] = new Walker { Index = imin, Step = n - 1, X = -One, Dx = 0, YEnd = (int)ymin };
        var edgesLeft = n;
        var y = (int)ymin;
        const long Round = One >> 1;
        do
        {
            for (var w = 0; w < 2; w++)
            {
                if (y < walker[w].YEnd)
                {
                    continue;
                }

                var idx0 = walker[w].Index;
                var idx = idx0 + walker[w].Step;
                if (idx >= n)
                {
                    idx -= n;
                }

                while (edgesLeft-- > 0)
                {
                    var ty = (int)((vertices[idx].Y + delta) >> shift);
                    if (ty > y)
                    {
                        var xs = vertices[idx0].X << (XyShift - shift);
                        var xe = vertices[idx].X << (XyShift - shift);
                        walker[w].YEnd = ty;
                        walker[w].Dx = (((xe - xs) * 2) + (ty - y)) / (2L * (ty - y));
                        walker[w].X = xs;
                        walker[w].Index = idx;
                        break;
                    }

                    idx0 = idx;
                    idx += walker[w].Step;
                    if (idx >= n)
                    {
                        idx -= n;
                    }
                }
            }

            if (edgesLeft < 0)
            {
                break;
            }

            if (y >= 0)
            {
                var (left, right) = walker[0].X > walker[1].X ? (1, 0) : (0, 1);
                var x1 = (int)((walker[left].X + Round) >> XyShift);
                var x2 = (int)((walker[right].X + Round) >> XyShift);
                if (x2 >= 0 && x1 < plane.Columns)
                {
                    plane.Span(y, Math.Max(x1, 0), Math.Min(x2, plane.Columns - 1), value);
                }
            }

            walker[0].X += walker[0].Dx;
            walker[1].X += walker[1].Dx;
        }
        while (++y <= ymax);
    }

    private struct Walker
    {
        public int Index;
        public int Step;
        public long X;
        public long Dx;
        public int YEnd;
    }
}
