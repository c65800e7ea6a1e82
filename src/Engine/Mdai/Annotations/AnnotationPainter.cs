using System;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Mdai.Annotations.Raster;

namespace MdaiClara.Engine.Mdai.Annotations;

/// <summary>
/// Draws one annotation into a plane exactly as mdai-client-py's load_mask (mdai/visualize.py) does with OpenCV:
/// vertices to int32 by truncation toward zero (numpy's cast); mask: each foreground polygon filled (cv2.fillPoly,
/// one call each), then each background polygon cleared; polygon and freeform: one fillPoly; bbox: int() of x, y,
/// width and height, then a filled cv2.rectangle from (x, y) to (x + width, y + height), both corners included;
/// location: a filled circle of radius 7; line: an open polyline 12 pixels thick with round caps.
/// </summary>
public static class AnnotationPainter
{
    /// <summary>Radius of the disc MD.ai's client draws for a location.</summary>
    public const int LocationRadius = 7;

    /// <summary>Thickness of the polyline MD.ai's client draws for a line.</summary>
    public const int LineThickness = 12;

    /// <summary>Draws <paramref name="data"/> as <paramref name="mode"/> with <paramref name="value"/>.</summary>
    /// <returns>False when the data does not fit the mode (nothing drawn); the caller names it.</returns>
    /// <exception cref="MdaiClaraException">MdaiAnnotationVertexInvalid: a coordinate beyond int32.</exception>
    public static bool Draw(MaskPlane plane, MdaiAnnotationMode mode, MdaiAnnotationData? data, byte value = 1)
    {
        switch (mode, data)
        {
            case (MdaiAnnotationMode.Mask, MdaiMaskData mask):
                foreach (var polygon in mask.Foreground)
                {
                    PolygonFill.Fill(plane, ToInt32(polygon), value);
                }

                foreach (var polygon in mask.Background)
                {
                    PolygonFill.Fill(plane, ToInt32(polygon), 0);
                }

                return true;
            case (MdaiAnnotationMode.Polygon or MdaiAnnotationMode.Freeform, MdaiVerticesData vertices):
                PolygonFill.Fill(plane, ToInt32(vertices.Vertices), value);
                return true;
            case (MdaiAnnotationMode.Line, MdaiVerticesData line):
                ThickPolyline.Draw(plane, ToInt32(line.Vertices), LineThickness, value);
                return true;
            case (MdaiAnnotationMode.Bbox, MdaiBoxData box):
                {
                    long x = Int(box.X), y = Int(box.Y), x2 = x + Int(box.Width), y2 = y + Int(box.Height);
                    ReadOnlySpan<(long X, long Y)> corners = [(x, y), (x2, y), (x2, y2), (x, y2)];
                    ConvexPolygonFill.Fill(plane, corners, 0, value);
                    return true;
                }

            case (MdaiAnnotationMode.Location, MdaiLocationData point):
                CircleFill.Fill(plane, Int(point.X), Int(point.Y), LocationRadius, value);
                return true;
            default:
                return false;
        }
    }

    /// <summary>numpy's float → int32 cast as MD.ai's client applies it: truncation toward zero.</summary>
    public static (int X, int Y)[] ToInt32(System.Collections.Generic.IReadOnlyList<MdaiPoint> polygon)
    {
        var points = new (int X, int Y)[polygon.Count];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = (Int(polygon[i].X), Int(polygon[i].Y));
        }

        return points;
    }

    private static int Int(double v) => v is > -2147483649.0 and < 2147483648.0
        ? (int)Math.Truncate(v)
        : throw new MdaiClaraException(
            FormattableString.Invariant($"The coordinate {v} lies beyond the int32 range OpenCV draws in; MD.ai's client would wrap it. Fix the annotation in MD.ai."),
            ErrorIds.MdaiAnnotationVertexInvalid,
            ErrorKind.InvalidData,
            v);
}
