using System;
using System.Collections.Generic;

namespace MdaiClara.Engine.Bundles;

/// <summary>Turns byte offsets of a UTF-8 text into 1-based lines and columns counted in characters.</summary>
internal sealed class TextPositions
{
    private readonly byte[] _text;
    private readonly List<int> _lineStarts = new() { 0 };

    public TextPositions(byte[] text)
    {
        _text = text;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == (byte)'\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    /// <summary>The line and column of the byte at <paramref name="offset"/>.</summary>
    public (int Line, int Column) At(long offset)
    {
        var o = (int)Math.Clamp(offset, 0, _text.Length);
        var line = _lineStarts.BinarySearch(o);
        if (line < 0)
        {
            line = ~line - 1;
        }

        return (line + 1, Characters(_lineStarts[line], o) + 1);
    }

    /// <summary>The column of byte <paramref name="bytesIntoLine"/> of 0-based line <paramref name="line"/>.</summary>
    public int ColumnOf(int line, long bytesIntoLine)
    {
        if (line < 0 || line >= _lineStarts.Count)
        {
            return 1;
        }

        var start = _lineStarts[line];
        return Characters(start, (int)Math.Min(_text.Length, start + bytesIntoLine)) + 1;
    }

    private int Characters(int from, int to)
    {
        var n = 0;
        for (var i = from; i < to; i++)
        {
            if ((_text[i] & 0xC0) != 0x80)
            {
                n++;
            }
        }

        return n;
    }
}
