using System;
using System.Collections.Generic;

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

        var edges = new List<Edge>(polygon.Length);
        Collect(plane, polygon, value, edges);
        FillEdges(plane, edges, value);
    }

    private struct Edge
    {
        public int Y0;
        public int Y1;
        public long X;
        public long Dx;
    }

    private static void Collect(MaskPlane plane, ReadOnlySpan<(int X, int Y)> polygon, byte value, List<Edge> edges)
    {
        var (px, py) = polygon[^1];
        foreach (var (qx, qy) in polygon)
        {
            long x0 = px, y0 = py, x1 = qx, y1 = qy;
            BresenhamLine.Draw(plane, x0, y0, x1, y1, value);

            if (py != qy)
            {
                var dx = ((x1 - x0) << Shift) / (y1 - y0);
                edges.Add(py < qy
                    ? new Edge { Y0 = py, Y1 = qy, Dx = dx, X = x0 << Shift }
                    : new Edge { Y0 = qy, Y1 = py, Dx = dx, X = x1 << Shift });
            }

            (px, py) = (qx, qy);
        }
    }

    private static void FillEdges(MaskPlane plane, List<Edge> edges, byte value)
    {
        if (edges.Count < 2)
        {
            return;
        }

        int yMin = int.MaxValue, yMax = int.MinValue;
        long xMin = long.MaxValue, xMax = -1;
        foreach (var e in edges)
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
        var active = new List<int>();
        var xs = new List<long>();
        var next = 0;
        var first = Math.Max(yMin, 0);
        var last = Math.Min(yMax, plane.Rows);
        for (var y = first; y < last; y++)
        {
            active.RemoveAll(i => edges[i].Y1 <= y);
            while (next < edges.Count && edges[next].Y0 <= y)
            {
                if (edges[next].Y1 > y)
                {
                    active.Add(next);
                }

                next++;
            }

            xs.Clear();
            foreach (var i in active)
            {
                var e = edges[i];
                xs.Add(e.X + ((long)(y - e.Y0) * e.Dx));
            }

            xs.Sort();
            for (var n = 0; n + 1 < xs.Count; n += 2)
            {
                var x1 = (int)((xs[n] + One - 1) >> Shift);
                var x2 = (int)(xs[n + 1] >> Shift);
                if (x1 < plane.Columns && x2 >= 0)
                {
                    plane.Span(y, Math.Max(x1, 0), Math.Min(x2, plane.Columns - 1), value);
                }
            }
        }
    }
}
