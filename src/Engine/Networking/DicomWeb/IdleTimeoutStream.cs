using System;
using System.IO;
using System.Threading;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Networking.DicomWeb;

/// <summary>
/// A read-only view of a response body whose every read must bring data within a timeout: a server that stops sending
/// without closing the connection becomes a DicomWebTimeout error instead of a hang. The caller's cancellation ends a
/// read at once.
/// </summary>
internal sealed class IdleTimeoutStream : Stream
{
    private readonly Stream _inner;
    private readonly TimeSpan _timeout;
    private readonly string _source;
    private readonly CancellationToken _cancellationToken;

    public IdleTimeoutStream(Stream inner, TimeSpan timeout, string source, CancellationToken cancellationToken)
    {
        _inner = inner;
        _timeout = timeout;
        _source = source;
        _cancellationToken = cancellationToken;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(_cancellationToken);
        idle.CancelAfter(_timeout);
        try
        {
            return _inner.ReadAsync(buffer.AsMemory(offset, count), idle.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException ex) when (!_cancellationToken.IsCancellationRequested)
        {
            throw new MdaiClaraException($"{_source} stopped sending for {_timeout.TotalSeconds:0.#} s in the middle of an answer.",
                ErrorIds.DicomWebTimeout, ErrorKind.ResourceUnavailable, _source, ex);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
