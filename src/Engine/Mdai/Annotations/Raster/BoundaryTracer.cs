using System;
using System.Collections.Generic;

namespace MdaiClara.Engine.Mdai.Annotations.Raster;

/// <summary>
/// Follows the outer border of one 8-connected pixel region (Moore-neighbour tracing, clockwise in image
/// coordinates, stopped by Jacob's criterion) and returns it as a closed polygon through the border pixels' centres,
/// runs in one direction merged into one edge. Horizontal, vertical and 45° runs keep OpenCV's fill exact (their
/// fixed-point slopes are whole), so merging them changes no pixel.
/// </summary>
internal static class BoundaryTracer
{
    // Clockwise with y pointing down: E, SE, S, SW, W, NW, N, NE.
    private static readonly int[] Dx = [1, 1, 0, -1, -1, -1, 0, 1];
    private static readonly int[] Dy = [0, 1, 1, 1, 0, -1, -1, -1];

    /// <param name="startX">The region's first pixel in raster order (topmost, then leftmost).</param>
    /// <param name="startY">Its row.</param>
    /// <param name="inRegion">Whether a pixel belongs to the region (false outside the plane).</param>
    public static List<(int X, int Y)> Trace(int startX, int startY, Func<int, int, bool> inRegion)
    {
        var path = new List<(int X, int Y)> { (startX, startY) };
        var (x, y) = (startX, startY);
        var search = 5; // from the west neighbour (background: the start is the region's first pixel), clockwise
        var firstDirection = -1;
        for (var guard = 0; guard < 1 << 30; guard++)
        {
            var moved = -1;
            for (var n = 0; n < 8; n++)
            {
                var d = (search + n) & 7;
                if (inRegion(x + Dx[d], y + Dy[d]))
                {
                    moved = d;
                    break;
                }
            }

            if (moved < 0)
            {
                return path; // a lone pixel
            }

            if (x == startX && y == startY)
            {
                if (firstDirection < 0)
                {
                    firstDirection = moved;
                }
                else if (moved == firstDirection)
                {
                    path.RemoveAt(path.Count - 1); // the start again: the polygon closes by itself
                    return Simplify(path);
                }
            }

            (x, y) = (x + Dx[moved], y + Dy[moved]);
            path.Add((x, y));
            search = (moved & 1) == 0 ? (moved + 7) & 7 : (moved + 6) & 7;
        }

        throw new InvalidOperationException("A border did not close.");
    }

    /// <summary>Drops the vertices inside straight runs (same step before and after).</summary>
    private static List<(int X, int Y)> Simplify(List<(int X, int Y)> path)
    {
        if (path.Count < 3)
        {
            return path;
        }

        var kept = new List<(int X, int Y)>(path.Count / 2);
        for (var i = 0; i < path.Count; i++)
        {
            var prev = path[(i + path.Count - 1) % path.Count];
            var here = path[i];
            var next = path[(i + 1) % path.Count];
            if ((here.X - prev.X, here.Y - prev.Y) != (next.X - here.X, next.Y - here.Y))
            {
                kept.Add(here);
            }
        }

        return kept.Count == 0 ? [path[0]] : kept;
    }
}
