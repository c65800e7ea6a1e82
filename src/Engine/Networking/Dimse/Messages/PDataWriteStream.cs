using System;
using System.Buffers.Binary;
using System.IO;
using MdaiClara.Engine.Networking.Dimse.Pdus;

namespace MdaiClara.Engine.Networking.Dimse.Messages;

/// <summary>
/// A write-only stream that carries one data set (or command) as P-DATA-TF PDUs on one presentation context: bytes
/// are gathered into a buffer of the peer's maximum fragment and each full buffer leaves as one PDU (one socket write,
/// header included); <see cref="Complete"/> sends what is left with the last-fragment bit. Nothing larger than one
/// PDU is ever held, so an instance of any size streams from its file.
/// </summary>
public sealed class PDataWriteStream : Stream
{
    private const int HeaderLength = 12; // PDU header (6) + PDV length (4) + context id (1) + control header (1)
    private readonly PduStream _pdus;
    private readonly byte _context;
    private readonly bool _isCommand;
    private readonly string _step;
    private readonly byte[] _buffer;
    private int _filled;
    private bool _completed;
    private long _written;

    public PDataWriteStream(PduStream pdus, byte presentationContextId, bool isCommand, int maxFragment, string step)
    {
        _pdus = pdus;
        _context = presentationContextId;
        _isCommand = isCommand;
        _step = step;
        _buffer = new byte[HeaderLength + maxFragment];
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_completed;

    public override long Length => _written;

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        while (!buffer.IsEmpty)
        {
            if (_filled == _buffer.Length - HeaderLength)
            {
                // A full fragment leaves only when more follows, so the last one can carry the last-fragment bit.
                Send(last: false);
            }

            var n = Math.Min(buffer.Length, _buffer.Length - HeaderLength - _filled);
            buffer[..n].CopyTo(_buffer.AsSpan(HeaderLength + _filled));
            _filled += n;
            _written += n;
            buffer = buffer[n..];
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Copies <paramref name="count"/> bytes of <paramref name="source"/> straight into the fragment buffer (no intermediate copy).</summary>
    public void WriteFrom(Stream source, long count)
    {
        while (count > 0)
        {
            if (_filled == _buffer.Length - HeaderLength)
            {
                Send(last: false);
            }

            var room = (int)Math.Min(count, _buffer.Length - HeaderLength - _filled);
            var n = source.Read(_buffer, HeaderLength + _filled, room);
            if (n == 0)
            {
                throw new EndOfStreamException($"the source ended {count} bytes early");
            }

            _filled += n;
            _written += n;
            count -= n;
        }
    }

    /// <summary>Sends the final fragment (possibly empty) with the last-fragment bit set.</summary>
    public void Complete()
    {
        if (!_completed)
        {
            Send(last: true);
            _completed = true;
        }
    }

    public override void Flush()
    {
        // Fragments leave when full or on Complete; flushing early would only make smaller PDUs.
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void Send(bool last)
    {
        var pdv = _filled + 2;
        _buffer[0] = (byte)PduType.DataTransfer;
        _buffer[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(2), (uint)(pdv + 4));
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(6), (uint)pdv);
        _buffer[10] = _context;
        _buffer[11] = (byte)((_isCommand ? 1 : 0) | (last ? 2 : 0));
        _pdus.WriteEncoded(_buffer.AsSpan(0, HeaderLength + _filled), _step);
        _filled = 0;
    }
}
