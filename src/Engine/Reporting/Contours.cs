namespace MdaiClara.Engine.Reporting;

/// <summary>
/// Draws a mask's outline into an RGBA picture: the mask's own edge pixels (a 4-neighbour outside the mask or the
/// picture), and with <c>outerRing</c> also the pixels just outside it, for a two-pixel line that a one-pixel line
/// drawn later on the same edge does not hide.
/// </summary>
internal static class Contours
{
    public static void Draw(byte[] rgba, int width, int height, bool[] mask, (byte R, byte G, byte B) color, bool outerRing)
    {
        var edge = new bool[mask.Length];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var p = (y * width) + x;
                var inside = mask[p];
                var differs = Differs(mask, width, height, x, y, inside);
                edge[p] = inside ? differs : outerRing && differs;
            }
        }

        for (var p = 0; p < edge.Length; p++)
        {
            if (edge[p])
            {
                rgba[p * 4] = color.R;
                rgba[(p * 4) + 1] = color.G;
                rgba[(p * 4) + 2] = color.B;
            }
        }
    }

    /// <summary>True when a 4-neighbour of (x, y) is on the other side of the mask; outside the picture counts as outside the mask.</summary>
    private static bool Differs(bool[] mask, int width, int height, int x, int y, bool inside)
    {
        bool At(int cx, int cy) => cx >= 0 && cy >= 0 && cx < width && cy < height && mask[(cy * width) + cx];
        return At(x - 1, y) != inside || At(x + 1, y) != inside || At(x, y - 1) != inside || At(x, y + 1) != inside;
    }
}
