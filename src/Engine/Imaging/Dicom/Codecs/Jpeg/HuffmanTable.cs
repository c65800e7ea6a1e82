using System;

namespace MdaiClara.Engine.Imaging.Dicom.Codecs;

/// <summary>
/// One Huffman table of a DHT segment, built for decoding (ITU T.81 Annex C and F.2.2.3): codes of up to
/// <see cref="LookupBits"/> bits resolve with one table look-up, longer ones by comparing against the largest code
/// of each length.
/// </summary>
internal sealed class HuffmanTable
{
    /// <summary>Codes up to this long decode with a single look-up; 9 bits covers nearly every code of real tables.</summary>
    public const int LookupBits = 9;

    private const int MaxCodeLength = 16;

    /// <summary>Indexed by the next <see cref="LookupBits"/> bits: (code length &lt;&lt; 8) | symbol, or 0 for a longer code.</summary>
    private readonly ushort[] lookup = new ushort[1 << LookupBits];

    /// <summary>Largest code of each length (index 1..16), or -1 when there is none.</summary>
    private readonly int[] maxCode = new int[MaxCodeLength + 2];

    /// <summary>Added to a code of each length to give the index of its symbol in <see cref="symbols"/>.</summary>
    private readonly int[] symbolOffset = new int[MaxCodeLength + 1];

    private readonly byte[] symbols;

    private HuffmanTable(byte[] symbols)
    {
        this.symbols = symbols;
    }

    public ReadOnlySpan<ushort> Lookup => lookup;

    /// <summary>
    /// Builds a table from the 16 code-length counts and the symbols of a DHT segment. Throws when the counts
    /// describe more codes than fit in 16 bits.
    /// </summary>
    public static HuffmanTable Create(ReadOnlySpan<byte> countsPerLength, ReadOnlySpan<byte> symbolsInCodeOrder, int tableClass, int tableId)
    {
        var table = new HuffmanTable(symbolsInCodeOrder.ToArray());
        int code = 0;
        int index = 0;
        for (int length = 1; length <= MaxCodeLength; length++)
        {
            int count = countsPerLength[length - 1];

            // Canonical codes of one length must fit in that many bits; more means the counts are impossible.
            if (code + count > (1 << length))
            {
                throw CodecErrors.JpegCorrupt(
                    $"Huffman table {(tableClass == 0 ? "DC" : "AC")}{tableId} defines more codes of length {length} than fit in {length} bits.");
            }

            table.symbolOffset[length] = index - code;
            for (int i = 0; i < count; i++, code++, index++)
            {
                if (length <= LookupBits)
                {
                    int shift = LookupBits - length;
                    var entry = (ushort)((length << 8) | table.symbols[index]);
                    table.lookup.AsSpan(code << shift, 1 << shift).Fill(entry);
                }
            }

            table.maxCode[length] = count > 0 ? code - 1 : -1;
            code <<= 1;
        }

        table.maxCode[MaxCodeLength + 1] = int.MaxValue;
        return table;
    }

    /// <summary>
    /// Resolves a code longer than <see cref="LookupBits"/> bits. <paramref name="next16Bits"/> holds the next 16
    /// bits of the stream, most significant first. Returns (length &lt;&lt; 8) | symbol, or -1 for a code the table lacks.
    /// </summary>
    public int DecodeLong(int next16Bits)
    {
        for (int length = LookupBits + 1; length <= MaxCodeLength; length++)
        {
            int code = next16Bits >> (MaxCodeLength - length);
            if (code <= maxCode[length])
            {
                return (length << 8) | symbols[code + symbolOffset[length]];
            }
        }

        return -1;
    }
}
