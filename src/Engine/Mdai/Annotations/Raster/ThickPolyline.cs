using System;

namespace MdaiClara.Engine.Mdai.Annotations.Raster;

/// <summary>
/// cv2.polylines open with a thickness over 1 (lineType 8, shift 0), as MD.ai's client draws line annotations
/// (thickness 12): each segment a convex quadrilateral offset by half the thickness (in 16.16 fixed point, rounded
/// half to even) filled by <see cref="ConvexPolygonFill"/>, with round caps (filled circles of radius thickness/2)
/// at both ends of the first segment and the far end of each later one. One vertex draws nothing.
/// </summary>
internal static class ThickPolyline
{
    private const int XyShift = 16;
    private const long One = 1L << XyShift;

    /// <summary>C's DBL_EPSILON, OpenCV's test for a zero-length segment.</summary>
    private const double DblEpsilon = 2.220446049250313e-16;

    public static void Draw(MaskPlane plane, ReadOnlySpan<(int X, int Y)> vertices, int thickness, byte value)
    {
        for (var i = 1; i < vertices.Length; i++)
        {
            Segment(plane, vertices[i - 1], vertices[i], thickness, i == 1 ? 3 : 2, value);
        }
    }

    private static void Segment(MaskPlane plane, (int X, int Y) a, (int X, int Y) b, int thickness, int caps, byte value)
    {
        long p0x = (long)a.X << XyShift, p0y = (long)a.Y << XyShift, p1x = (long)b.X << XyShift, p1y = (long)b.Y << XyShift;
        var dx = (p0x - p1x) / (double)One;
        var dy = (p1y - p0y) / (double)One;
        var r = (dx * dx) + (dy * dy);
        var odd = thickness & 1;
        long half = (long)thickness << (XyShift - 1);
        if (Math.Abs(r) > DblEpsilon)
        {
            r = (half + (odd * One * 0.5)) / Math.Sqrt(r);
            long ox = (long)Math.Round(dy * r, MidpointRounding.ToEven);
            long oy = (long)Math.Round(dx * r, MidpointRounding.ToEven);
            ReadOnlySpan<(long X, long Y)> quad = [(p0x + ox, p0y + oy), (p0x - ox, p0y - oy), (p1x - ox, p1y - oy), (p1x + ox, p1y + oy)];
            ConvexPolygonFill.Fill(plane, quad, XyShift, value);
        }

        var radius = (half + (One >> 1)) >> XyShift;
        if ((caps & 1) != 0)
        {
            CircleFill.Fill(plane, (p0x + (One >> 1)) >> XyShift, (p0y + (One >> 1)) >> XyShift, radius, value);
        }

        if ((caps & 2) != 0)
        {
            CircleFill.Fill(plane, (p1x + (One >> 1)) >> XyShift, (p1y + (One >> 1)) >> XyShift, radius, value);
        }
    }
}
