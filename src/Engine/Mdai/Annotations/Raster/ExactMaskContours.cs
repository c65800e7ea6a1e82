using System;
using System.Collections.Generic;
using System.Linq;

namespace MdaiClara.Engine.Mdai.Annotations.Raster;

/// <summary>
/// A binary mask as MD.ai mask data (foreground and background polygons) that gives the mask back pixel for pixel
/// when drawn as MD.ai draws it: every foreground polygon filled, then every background polygon cleared (cv2.fillPoly,
/// see <see cref="PolygonFill"/>). MD.ai's own convert_mask_data (findContours RETR_TREE) is not exact: its hole
/// contours run through the foreground pixels around each hole, so clearing them eats the hole's rim, and islands
/// inside holes are cleared after they were drawn. Here instead:
/// <list type="number">
/// <item>each 8-connected part of the mask is one foreground polygon, its outer border;</item>
/// <item>whatever those polygons cover beyond the mask (holes, and any pixel the fill rule adds) is cleared by
/// background polygons traced on those pixels themselves, so a background polygon never touches a mask pixel;</item>
/// <item>every polygon is checked by drawing it: a region whose border does not fill back to exactly itself (a hole
/// with an island inside, a pinched shape) is split in half by rows and tried again, down to single-row runs, which
/// are always exact; foreground pixels the borders missed get polygons of their own the same way.</item>
/// </list>
/// The whole result is drawn once more and compared with the mask before it is returned.
/// </summary>
public static class ExactMaskContours
{
    /// <summary>Foreground and background polygons (int pixel vertices) for <paramref name="mask"/> (non-zero = inside).</summary>
    public static (List<(int X, int Y)[]> Foreground, List<(int X, int Y)[]> Background) FromMask(MaskPlane mask)
    {
        var (w, h) = (mask.Columns, mask.Rows);
        var inMask = new bool[w * h];
        for (var i = 0; i < inMask.Length; i++)
        {
            inMask[i] = mask.Pixels[i] != 0;
        }

        var marks = new Marks(w * h);
        var foreground = new List<(int X, int Y)[]>();
        var covered = new MaskPlane(w, h);
        foreach (var region in Regions(i => inMask[i], marks, w, 0, h - 1))
        {
            var border = Border(region, marks, w, h).ToArray();
            foreground.Add(border);
            PolygonFill.Fill(covered, border, 1);
        }

        // Foreground the borders did not cover (never seen, but the fill rule is OpenCV's, not ours): exact pieces.
        var missed = new bool[w * h];
        var anyMissed = false;
        for (var i = 0; i < missed.Length; i++)
        {
            missed[i] = inMask[i] && covered.Pixels[i] == 0;
            anyMissed |= missed[i];
        }

        if (anyMissed)
        {
            foreach (var polygon in ExactPieces(missed, marks, w, h))
            {
                foreground.Add(polygon);
                PolygonFill.Fill(covered, polygon, 1);
            }
        }

        var extra = new bool[w * h];
        for (var i = 0; i < extra.Length; i++)
        {
            extra[i] = covered.Pixels[i] != 0 && !inMask[i];
        }

        var background = ExactPieces(extra, marks, w, h);
        Verify(mask, foreground, background);
        return (foreground, background);
    }

    /// <summary>Polygons each filling exactly a part of <paramref name="set"/>, together all of it.</summary>
    private static List<(int X, int Y)[]> ExactPieces(bool[] set, Marks marks, int w, int h)
    {
        var result = new List<(int X, int Y)[]>();
        var pending = new Stack<List<int>>(Regions(i => set[i], marks, w, 0, h - 1));
        while (pending.Count > 0)
        {
            var region = pending.Pop();
            var border = Border(region, marks, w, h).ToArray();
            if (FillsExactly(border, region, w))
            {
                result.Add(border);
                continue;
            }

            var top = region.Min(i => i / w);
            var bottom = region.Max(i => i / w);
            if (top == bottom)
            {
                // One row: each run is a two-point polygon, whose outline is the run itself.
                foreach (var run in Runs(region, w))
                {
                    result.Add(run);
                }

                continue;
            }

            // Border() just gave this region's pixels their own owner id: split it in two by rows and search each half.
            var middle = (top + bottom) / 2;
            var owner = marks.NextOwner;
            var owners = marks.Owner;
            foreach (var part in Regions(i => owners[i] == owner, marks, w, top, middle).Concat(Regions(i => owners[i] == owner, marks, w, middle + 1, bottom)))
            {
                pending.Push(part);
            }
        }

        return result;
    }

    /// <summary>
    /// 8-connected regions of the pixels <paramref name="inSet"/> accepts within rows top..bottom, each as pixel indices,
    /// first pixel first in raster order. <paramref name="marks"/> (one int a pixel, shared) records what was visited;
    /// each call takes a fresh stamp, so nothing the size of the plane is allocated per call.
    /// </summary>
    private static List<List<int>> Regions(Func<int, bool> inSet, Marks marks, int w, int top, int bottom)
    {
        var stamp = ++marks.Stamp;
        var seen = marks.Seen;
        var regions = new List<List<int>>();
        var queue = new Queue<int>();
        for (var start = top * w; start < (bottom + 1) * w; start++)
        {
            if (seen[start] == stamp || !inSet(start))
            {
                continue;
            }

            var region = new List<int>();
            seen[start] = stamp;
            queue.Enqueue(start);
            while (queue.Count > 0)
            {
                var i = queue.Dequeue();
                region.Add(i);
                var (x, y) = (i % w, i / w);
                for (var dy = -1; dy <= 1; dy++)
                {
                    var ny = y + dy;
                    if (ny < top || ny > bottom)
                    {
                        continue;
                    }

                    for (var dx = -1; dx <= 1; dx++)
                    {
                        var nx = x + dx;
                        if (nx < 0 || nx >= w)
                        {
                            continue;
                        }

                        var n = (ny * w) + nx;
                        if (seen[n] != stamp && inSet(n))
                        {
                            seen[n] = stamp;
                            queue.Enqueue(n);
                        }
                    }
                }
            }

            regions.Add(region);
        }

        return regions;
    }

    /// <summary>Per-pixel visit stamps shared by the region searches of one mask.</summary>
    private sealed class Marks(int size)
    {
        public int[] Seen { get; } = new int[size];

        public int Stamp { get; set; }

        /// <summary>Per-pixel region ids, for membership tests without a set.</summary>
        public int[] Owner { get; } = new int[size];

        public int NextOwner { get; set; }
    }

    private static List<(int X, int Y)> Border(List<int> region, Marks marks, int w, int h)
    {
        var owner = ++marks.NextOwner;
        foreach (var i in region)
        {
            marks.Owner[i] = owner;
        }

        var first = region[0];
        var owners = marks.Owner;
        return BoundaryTracer.Trace(first % w, first / w, (x, y) => x >= 0 && x < w && y >= 0 && y < h && owners[(y * w) + x] == owner);
    }

    /// <summary>Whether the polygon, drawn alone, sets exactly the region's pixels.</summary>
    private static bool FillsExactly((int X, int Y)[] polygon, List<int> region, int w)
    {
        int x0 = int.MaxValue, y0 = int.MaxValue, x1 = int.MinValue, y1 = int.MinValue;
        foreach (var i in region)
        {
            var (x, y) = (i % w, i / w);
            (x0, y0, x1, y1) = (Math.Min(x0, x), Math.Min(y0, y), Math.Max(x1, x), Math.Max(y1, y));
        }

        foreach (var (x, y) in polygon)
        {
            (x0, y0, x1, y1) = (Math.Min(x0, x), Math.Min(y0, y), Math.Max(x1, x), Math.Max(y1, y));
        }

        var local = new MaskPlane(x1 - x0 + 1, y1 - y0 + 1);
        PolygonFill.Fill(local, polygon.Select(p => (p.X - x0, p.Y - y0)).ToArray(), 1);
        if (local.Count() != region.Count)
        {
            return false;
        }

        foreach (var i in region)
        {
            if (local[(i % w) - x0, (i / w) - y0] == 0)
            {
                return false;
            }
        }

        return true;
    }

    private static IEnumerable<(int X, int Y)[]> Runs(List<int> row, int w)
    {
        var xs = row.Select(i => i % w).Order().ToList();
        var y = row[0] / w;
        var start = xs[0];
        for (var n = 1; n <= xs.Count; n++)
        {
            if (n == xs.Count || xs[n] != xs[n - 1] + 1)
            {
                var end = xs[n - 1];
                yield return start == end ? [(start, y)] : [(start, y), (end, y)];
                if (n < xs.Count)
                {
                    start = xs[n];
                }
            }
        }
    }

    private static void Verify(MaskPlane mask, List<(int X, int Y)[]> foreground, List<(int X, int Y)[]> background)
    {
        var drawn = new MaskPlane(mask.Columns, mask.Rows);
        foreach (var polygon in foreground)
        {
            PolygonFill.Fill(drawn, polygon, 1);
        }

        foreach (var polygon in background)
        {
            PolygonFill.Fill(drawn, polygon, 0);
        }

        for (var i = 0; i < drawn.Pixels.Length; i++)
        {
            if ((drawn.Pixels[i] != 0) != (mask.Pixels[i] != 0))
            {
                throw new InvalidOperationException($"The contours do not give the mask back at pixel ({i % mask.Columns}, {i / mask.Columns}); this is a bug in MdaiClara.");
            }
        }
    }
}
