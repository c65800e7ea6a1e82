using System;
using System.IO;
using System.IO.Compression;

namespace MdaiClara.Engine.Imaging.Nifti;

/// <summary>
/// One opened NIfTI file (a .nii, or one half of a .hdr/.img pair), decompressing on the fly when it starts with
/// the gzip magic, whatever its name says. Tracks the uncompressed position so offsets can be honoured without
/// seeking in a gzip stream.
/// </summary>
internal sealed class NiftiInput : IDisposable
{
    /// <summary>The largest expansion deflate allows (about 1032:1), so a gzip file of n bytes never holds more than this many times n.</summary>
    public const long MaxDeflateRatio = 1032;

    private static readonly byte[] GzipMagic = { 0x1f, 0x8b };

    private readonly Stream _raw;
    private readonly Stream _stream;
    private readonly bool _ownsRaw;

    private NiftiInput(Stream raw, Stream stream, bool compressed, long storedLength, string file, bool ownsRaw)
    {
        _raw = raw;
        _stream = stream;
        Compressed = compressed;
        StoredLength = storedLength;
        File = file;
        _ownsRaw = ownsRaw;
    }

    public string File { get; }

    public bool Compressed { get; }

    /// <summary>Bytes on disk (compressed size for gzip).</summary>
    public long StoredLength { get; }

    /// <summary>Bytes read so far from the uncompressed content.</summary>
    public long Position { get; private set; }

    /// <summary>The most uncompressed bytes this input can hold: its length, or the deflate bound for gzip.</summary>
    public long MaxContentLength => Compressed ? (StoredLength > long.MaxValue / MaxDeflateRatio ? long.MaxValue : StoredLength * MaxDeflateRatio) : StoredLength;

    /// <summary>Opens a file for sequential reading with a large buffer.</summary>
    public static NiftiInput OpenFile(string path)
    {
        // Look before opening: a FIFO or device reports length 0 and would block or never end.
        var length = new FileInfo(path).Length;
        if (length < 4)
        {
            throw NiftiErrors.Truncated(path, "a header", 348, length);
        }

        var raw = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        try
        {
            return Open(raw, path, ownsRaw: true);
        }
        catch
        {
            raw.Dispose();
            throw;
        }
    }

    /// <summary>Wraps a seekable stream positioned at the start of a file.</summary>
    public static NiftiInput Open(Stream raw, string file, bool ownsRaw)
    {
        var start = raw.Position;
        Span<byte> magic = stackalloc byte[2];
        var got = raw.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        raw.Position = start;
        var storedLength = raw.Length - start;
        if (got == 2 && magic.SequenceEqual(GzipMagic))
        {
            var gzip = new GZipStream(raw, CompressionMode.Decompress, leaveOpen: true);
            return new NiftiInput(raw, gzip, compressed: true, storedLength, file, ownsRaw);
        }

        return new NiftiInput(raw, raw, compressed: false, storedLength, file, ownsRaw);
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the content ends; returns the bytes read.</summary>
    public int ReadFully(Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = _stream.Read(buffer[total..]);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        Position += total;
        return total;
    }

    /// <summary>Moves forward to uncompressed offset <paramref name="offset"/>; false if the content ends first.</summary>
    public bool SkipTo(long offset)
    {
        if (offset <= Position)
        {
            return offset == Position;
        }

        if (!Compressed)
        {
            if (offset > StoredLength)
            {
                return false;
            }

            _raw.Seek(offset - Position, SeekOrigin.Current);
            Position = offset;
            return true;
        }

        var scratch = new byte[(int)Math.Min(1 << 16, offset - Position)];
        while (Position < offset)
        {
            var want = (int)Math.Min(scratch.Length, offset - Position);
            if (ReadFully(scratch.AsSpan(0, want)) < want)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// For gzip: reads one byte past the data so the decompressor reaches the trailer and verifies its CRC-32 and
    /// length (a damaged stream then throws <see cref="InvalidDataException"/>). Trailing bytes, if any, are ignored.
    /// </summary>
    public void VerifyCompressedTrailer()
    {
        if (Compressed)
        {
            Span<byte> one = stackalloc byte[1];
            _stream.Read(one);
        }
    }

    public void Dispose()
    {
        if (!ReferenceEquals(_stream, _raw))
        {
            _stream.Dispose();
        }

        if (_ownsRaw)
        {
            _raw.Dispose();
        }
    }
}
