using System;

namespace MdaiClara.Engine.Mdai.Annotations.Raster;

/// <summary>
/// cv2.fillPoly as MD.ai's client calls it (int32 vertices, lineType 8, shift 0, one polygon a call), reimplemented
/// from its documented behaviour and checked pixel for pixel against Debian's OpenCV 4.6 (tests/fixtures/annotations):
/// <list type="bullet">
/// <item>every edge, horizontal ones included, is first drawn as an 8-connected line (<see cref="BresenhamLine"/>), so the
/// outline is always set, even for a one-vertex or collinear polygon;</item>
/// <item>then scanlines: an edge covers rows y0 ≤ y &lt; y1 (its top row, not its bottom one), its x runs in 16.16 fixed
/// point from its top vertex by a truncated slope; at each row the crossings are sorted and filled pairwise
/// (even–odd: a self-intersecting polygon's doubly covered parts are left out, only the outline keeps them), from the
/// first crossing rounded up to the second rounded down;</item>
/// <item>edges with ends off the plane are followed unclipped (4.6 does not yet take x from the clipped segment, as
/// later OpenCV releases do), only the outline line and the spans are clipped.</item>
/// </list>
/// </summary>
public static class PolygonFill
{
    private const int Shift = 16;
    private const long One = 1L << Shift;

    /// <summary>Fills one polygon with <paramref name="value"/>.</summary>
    public static void Fill(MaskPlane plane, ReadOnlySpan<(int X, int Y)> polygon, byte value)
    {
        if (polygon.Length == 0)
        {
            return;
        }

        var buffer = _edges ??= new Edge[64];
        if (buffer.Length < polygon.Length)
        {
            buffer = _edges = new Edge[Math.Max(polygon.Length, buffer.Length * 2)];
        }

        var count = Collect(plane, polygon, value, buffer);
        FillEdges(plane, buffer.AsSpan(0, count), value);
    }

    [ThreadStatic]
    private static Edge[]? _edges;

    [ThreadStatic]
    private static long[]? _activeX;

    [ThreadStatic]
    private static int[]? _active;

    private struct Edge
    {
        public int Y0;
        public int Y1;
        public long X;
        public long Dx;
    }

    /// <summary>Draws the outline and collects the non-horizontal edges (top vertex, slope) into <paramref name="edges"/>; returns how many.</summary>
    private static int Collect(MaskPlane plane, ReadOnlySpan<(int X, int Y)> polygon, byte value, Edge[] edges)
    {
        var count = 0;
        var (px, py) = polygon[^1];
        foreach (var (qx, qy) in polygon)
        {
            BresenhamLine.Draw(plane, px, py, qx, qy, value);
            if (py != qy)
            {
                var dx = (((long)qx - px) << Shift) / ((long)qy - py);
                edges[count++] = py < qy
                    ? new Edge { Y0 = py, Y1 = qy, Dx = dx, X = (long)px << Shift }
                    : new Edge { Y0 = qy, Y1 = py, Dx = dx, X = (long)qx << Shift };
            }

            (px, py) = (qx, qy);
        }

        return count;
    }

    private static void FillEdges(MaskPlane plane, Span<Edge> edges, byte value)
    {
        if (edges.Length < 2)
        {
            return;
        }

        int yMin = int.MaxValue, yMax = int.MinValue;
        long xMin = long.MaxValue, xMax = -1;
        foreach (ref var e in edges)
        {
            var xEnd = e.X + ((long)(e.Y1 - e.Y0) * e.Dx);
            yMin = Math.Min(yMin, e.Y0);
            yMax = Math.Max(yMax, e.Y1);
            xMin = Math.Min(xMin, Math.Min(e.X, xEnd));
            xMax = Math.Max(xMax, Math.Max(e.X, xEnd));
        }

        if (yMax < 0 || yMin >= plane.Rows || xMax < 0 || xMin >= ((long)plane.Columns << Shift))
        {
            return;
        }

        edges.Sort(static (a, b) => a.Y0.CompareTo(b.Y0));
        var active = _active is { } a0 && a0.Length >= edges.Length ? a0 : _active = new int[Math.Max(edges.Length, 64)];
        var activeX = _activeX is { } x0 && x0.Length >= edges.Length ? x0 : _activeX = new long[Math.Max(edges.Length, 64)];
        var live = 0;
        var next = 0;
        var columns = plane.Columns;
        var last = Math.Min(yMax, plane.Rows);
        for (var y = Math.Max(yMin, 0); y < last; y++)
        {
            // Edges whose bottom row is reached leave; those whose top row is reached (or passed, above the plane) join.
            var kept = 0;
            for (var n = 0; n < live; n++)
            {
                if (edges[active[n]].Y1 > y)
                {
                    active[kept] = active[n];
                    activeX[kept++] = activeX[n];
                }
            }

            live = kept;
            for (; next < edges.Length && edges[next].Y0 <= y; next++)
            {
                ref var e = ref edges[next];
                if (e.Y1 > y)
                {
                    active[live] = next;
                    activeX[live++] = e.X + ((long)(y - e.Y0) * e.Dx);
                }
            }

            // Nearly sorted from the row before: insertion sort by x.
            for (var n = 1; n < live; n++)
            {
                var (ix, xv) = (active[n], activeX[n]);
                var m = n - 1;
                for (; m >= 0 && activeX[m] > xv; m--)
                {
                    active[m + 1] = active[m];
                    activeX[m + 1] = activeX[m];
                }

                active[m + 1] = ix;
                activeX[m + 1] = xv;
            }

            for (var n = 0; n + 1 < live; n += 2)
            {
                var x1 = (int)((activeX[n] + One - 1) >> Shift);
                var x2 = (int)(activeX[n + 1] >> Shift);
                if (x1 < columns && x2 >= 0)
                {
                    plane.Span(y, Math.Max(x1, 0), Math.Min(x2, columns - 1), value);
                }
            }

            for (var n = 0; n < live; n++)
            {
                activeX[n] += edges[active[n]].Dx;
            }
        }
    }
}
