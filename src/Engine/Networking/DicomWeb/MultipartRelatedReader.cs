using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Networking.DicomWeb;

/// <summary>
/// Reads a multipart/related body (RFC 2046, RFC 2387) part by part from a stream, without holding a whole part in
/// memory: each part's body is copied to a destination as it arrives (with the part's Content-Length when it has one,
/// else by scanning for the delimiter). Memory stays at one buffer whatever the sizes. A body that breaks the syntax
/// is a DicomWebResponseInvalid error saying what was expected where; one that ends before the closing delimiter is a
/// DicomWebTransferInterrupted error.
/// </summary>
public sealed class MultipartRelatedReader
{
    private const int BufferSize = 256 * 1024;
    private const int MaxHeaderBytes = 64 * 1024;
    private readonly Stream _stream;
    private readonly string _source;
    private readonly byte[] _dashBoundary;
    private readonly byte[] _delimiter;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _started;
    private bool _finished;
    private bool _bodyPending;
    private long _offset;

    public MultipartRelatedReader(Stream stream, string boundary, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(boundary);
        _stream = stream;
        _source = source;
        _dashBoundary = Encoding.ASCII.GetBytes("--" + boundary);
        _delimiter = Encoding.ASCII.GetBytes("\r\n--" + boundary);
    }

    /// <summary>The current part's headers (names case-insensitive).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; private set; } = new Dictionary<string, string>();

    /// <summary>Bytes consumed from the stream so far.</summary>
    public long Offset => _offset + _start;

    /// <summary>Moves to the next part and reads its headers; false at the closing delimiter.</summary>
    public bool MoveNext(CancellationToken cancellationToken)
    {
        if (_finished)
        {
            return false;
        }

        if (_bodyPending)
        {
            CopyBodyTo(Stream.Null, cancellationToken);
        }

        if (!_started)
        {
            SkipPreamble(cancellationToken);
            _started = true;
        }

        // After a delimiter: "--" closes the body; otherwise optional transport padding, then CRLF.
        Ensure(2, "the end of a boundary line");
        if (_buffer[_start] == (byte)'-' && _buffer[_start + 1] == (byte)'-')
        {
            _start += 2;
            _finished = true;
            return false;
        }

        var line = ReadLine("a boundary line");
        if (line.Trim().Length != 0)
        {
            throw Malformed($"unexpected text '{Shorten(line)}' after a boundary");
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var headerBytes = 0;
        while (true)
        {
            var header = ReadLine("the headers of a part");
            headerBytes += header.Length + 2;
            if (headerBytes > MaxHeaderBytes)
            {
                throw Malformed($"a part's headers run past {MaxHeaderBytes / 1024} KiB without an empty line");
            }

            if (header.Length == 0)
            {
                break;
            }

            var colon = header.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw Malformed($"the part header '{Shorten(header)}' has no name: value form");
            }

            headers[header[..colon].Trim()] = header[(colon + 1)..].Trim();
        }

        Headers = headers;
        _bodyPending = true;
        return true;
    }

    /// <summary>The current part's Content-Length, when it has a valid one.</summary>
    public long? ContentLength =>
        Headers.TryGetValue("Content-Length", out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>Copies the current part's body to <paramref name="destination"/>; returns its length.</summary>
    public long CopyBodyTo(Stream destination, CancellationToken cancellationToken)
    {
        if (!_bodyPending)
        {
            throw new InvalidOperationException("No part is current: call MoveNext first.");
        }

        _bodyPending = false;
        return ContentLength is { } length ? CopyCounted(destination, length, cancellationToken) : CopyScanned(destination, cancellationToken);
    }

    private long CopyCounted(Stream destination, long length, CancellationToken cancellationToken)
    {
        var left = length;
        while (left > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_start == _end && !Fill())
            {
                throw Truncated($"in the middle of a part ({length - left} of its {length} bytes came)");
            }

            var n = (int)Math.Min(left, _end - _start);
            destination.Write(_buffer, _start, n);
            _start += n;
            left -= n;
        }

        Ensure(_delimiter.Length, "the boundary after a part");
        if (!_buffer.AsSpan(_start, _delimiter.Length).SequenceEqual(_delimiter))
        {
            throw Malformed($"a part's {length} bytes (its Content-Length) are not followed by the boundary");
        }

        _start += _delimiter.Length;
        return length;
    }

    private long CopyScanned(Stream destination, CancellationToken cancellationToken)
    {
        long copied = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var window = _buffer.AsSpan(_start, _end - _start);
            var at = window.IndexOf(_delimiter);
            if (at >= 0)
            {
                destination.Write(_buffer, _start, at);
                copied += at;
                _start += at + _delimiter.Length;
                return copied;
            }

            // Keep a tail that could be the start of a delimiter split across reads.
            var safe = window.Length - (_delimiter.Length - 1);
            if (safe > 0)
            {
                destination.Write(_buffer, _start, safe);
                copied += safe;
                _start += safe;
            }

            if (!Fill())
            {
                throw Truncated($"in the middle of a part ({copied} bytes came, no boundary after them)");
            }
        }
    }

    private void SkipPreamble(CancellationToken cancellationToken)
    {
        var scanned = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var window = _buffer.AsSpan(_start, _end - _start);
            var at = window.IndexOf(_dashBoundary);
            if (at >= 0)
            {
                _start += at + _dashBoundary.Length;
                return;
            }

            var drop = Math.Max(0, window.Length - (_dashBoundary.Length - 1));
            _start += drop;
            scanned += drop;
            if (scanned > MaxHeaderBytes)
            {
                throw Malformed($"no boundary in its first {MaxHeaderBytes / 1024} KiB (the boundary its Content-Type names is not in the body)");
            }

            if (!Fill())
            {
                throw scanned == 0 && _end == _start ? Truncated("before its first part (the body is empty)") : Malformed("the boundary its Content-Type names is not in the body");
            }
        }
    }

    private string ReadLine(string what)
    {
        var searchedTo = 0;
        while (true)
        {
            var window = _buffer.AsSpan(_start, _end - _start);
            var at = window[searchedTo..].IndexOf("\r\n"u8);
            if (at >= 0)
            {
                var line = Encoding.ASCII.GetString(window[..(searchedTo + at)]);
                _start += searchedTo + at + 2;
                return line;
            }

            searchedTo = Math.Max(0, window.Length - 1);
            if (window.Length > MaxHeaderBytes)
            {
                throw Malformed($"a line in {what} runs past {MaxHeaderBytes / 1024} KiB");
            }

            if (!Fill())
            {
                throw Truncated($"in {what}");
            }
        }
    }

    private void Ensure(int count, string what)
    {
        while (_end - _start < count)
        {
            if (!Fill())
            {
                throw Truncated($"before {what}");
            }
        }
    }

    /// <summary>Reads more into the buffer (moving what is left to its start); false at the end of the stream.</summary>
    private bool Fill()
    {
        if (_eof)
        {
            return false;
        }

        if (_start > 0)
        {
            var left = _end - _start;
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, left);
            _offset += _start;
            _start = 0;
            _end = left;
        }

        if (_end == _buffer.Length)
        {
            throw Malformed("a header line is longer than the read buffer");
        }

        var n = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (n == 0)
        {
            _eof = true;
            return false;
        }

        _end += n;
        return true;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";

    private MdaiClaraException Malformed(string why) => new(
        $"{_source} sent a multipart/related body that cannot be read: {why} (at byte {Offset}).",
        ErrorIds.DicomWebResponseInvalid, ErrorKind.InvalidData, _source);

    private MdaiClaraException Truncated(string where) => new(
        $"The answer from {_source} ended {where}, at byte {Offset}: the connection was closed before the last instance.",
        ErrorIds.DicomWebTransferInterrupted, ErrorKind.ResourceUnavailable, _source);
}
