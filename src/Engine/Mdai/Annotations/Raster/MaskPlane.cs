using System;

namespace MdaiClara.Engine.Mdai.Annotations.Raster;

/// <summary>
/// One image plane of a mask, a byte a pixel, row-major (rows × columns, x = column, y = row), as the numpy array
/// MD.ai's client draws into. Writes outside the plane are clipped by the painters, never by the plane.
/// </summary>
public sealed class MaskPlane
{
    public MaskPlane(int columns, int rows)
    {
        if (columns < 1 || rows < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(columns), $"A mask plane needs at least one row and one column, not {rows} × {columns}.");
        }

        Columns = columns;
        Rows = rows;
        Pixels = new byte[checked(columns * rows)];
    }

    public MaskPlane(int columns, int rows, byte[] pixels)
    {
        if (columns < 1 || rows < 1 || pixels.Length != (long)columns * rows)
        {
            throw new ArgumentException($"{pixels.Length} pixels do not make a {rows} × {columns} plane.", nameof(pixels));
        }

        Columns = columns;
        Rows = rows;
        Pixels = pixels;
    }

    /// <summary>Width (x).</summary>
    public int Columns { get; }

    /// <summary>Height (y).</summary>
    public int Rows { get; }

    /// <summary>The pixels themselves (not a copy), row-major.</summary>
    public byte[] Pixels { get; }

    public byte this[int x, int y]
    {
        get => Pixels[(y * Columns) + x];
        set => Pixels[(y * Columns) + x] = value;
    }

    /// <summary>Sets x0..x1 (inclusive, already inside the plane) of row y.</summary>
    internal void Span(int y, int x0, int x1, byte value)
    {
        if (x1 >= x0)
        {
            Pixels.AsSpan((y * Columns) + x0, x1 - x0 + 1).Fill(value);
        }
    }

    /// <summary>Sets one pixel when it lies inside the plane.</summary>
    internal void PutClipped(long x, long y, byte value)
    {
        if ((ulong)x < (ulong)Columns && (ulong)y < (ulong)Rows)
        {
            Pixels[(y * Columns) + x] = value;
        }
    }

    /// <summary>How many pixels are not zero.</summary>
    public long Count()
    {
        long n = 0;
        foreach (var p in Pixels)
        {
            if (p != 0)
            {
                n++;
            }
        }

        return n;
    }

    public void Clear() => Array.Clear(Pixels);
}
