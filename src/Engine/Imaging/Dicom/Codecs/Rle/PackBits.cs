using System;

namespace MdaiClara.Engine.Imaging.Dicom.Codecs;

/// <summary>
/// The PackBits run-length scheme of DICOM RLE segments (PS3.5 G.3.1): a header byte n in 0..127 is followed by
/// n + 1 literal bytes; n in -127..-1 by one byte repeated 1 - n times; -128 is a no-op.
/// </summary>
internal static class PackBits
{
    /// <summary>
    /// Decodes <paramref name="source"/> until <paramref name="destination"/> is full or the source ends, and returns
    /// the number of bytes written. Bytes past a full destination (padding, overlong runs) are ignored.
    /// </summary>
    public static int Decode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int read = 0;
        int written = 0;
        while (written < destination.Length && read < source.Length)
        {
            int header = (sbyte)source[read++];
            if (header >= 0)
            {
                int count = Math.Min(header + 1, Math.Min(source.Length - read, destination.Length - written));
                source.Slice(read, count).CopyTo(destination.Slice(written));
                read += header + 1;
                written += count;
            }
            else if (header != -128)
            {
                if (read >= source.Length)
                {
                    break;
                }

                int count = Math.Min(1 - header, destination.Length - written);
                destination.Slice(written, count).Fill(source[read++]);
                written += count;
            }
        }

        return written;
    }

    /// <summary>The most bytes a segment of <paramref name="encodedLength"/> bytes can decode to (a two-byte run gives 128).</summary>
    public static long MaxDecodedLength(int encodedLength) => ((long)encodedLength + 1) / 2 * 128;
}
