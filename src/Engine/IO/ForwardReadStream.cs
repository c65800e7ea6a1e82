using System;
using System.IO;

namespace MdaiClara.Engine.IO;

/// <summary>
/// A read-only, forward-only stream over another stream, which it owns and disposes: the base of the wrappers that
/// change how reading behaves (a length bound, error mapping) and nothing else. Subclasses override Read.
/// </summary>
internal abstract class ForwardReadStream : Stream
{
    protected ForwardReadStream(Stream inner)
    {
        Inner = inner;
    }

    protected Stream Inner { get; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
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
            Inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
