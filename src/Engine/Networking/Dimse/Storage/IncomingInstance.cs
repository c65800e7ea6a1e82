using System;
using System.IO;

namespace MdaiClara.Engine.Networking.Dimse.Storage;

/// <summary>
/// The temporary file a C-STORE data set is streamed into while it arrives. A write that fails (disk full, folder gone)
/// is remembered rather than thrown, and the rest of the data set is discarded as it arrives, so the association stays
/// in step and the sender gets a failure status for that instance instead of a torn connection.
/// </summary>
internal sealed class IncomingInstance : Stream
{
    private readonly FileStream? _file;

    /// <summary>A data set bound for <paramref name="file"/>, or, when the file could not be created, one discarded with <paramref name="failure"/> remembered.</summary>
    public IncomingInstance(FileStream? file, Exception? failure = null)
    {
        _file = file;
        Failure = file is null ? failure ?? new IOException("no temporary file") : null;
    }

    /// <summary>The temporary file, or null when none could be created.</summary>
    public string? TemporaryPath => _file?.Name;

    /// <summary>The first write failure, if any.</summary>
    public Exception? Failure { get; private set; }

    public long BytesReceived { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => BytesReceived;

    public override long Position { get => BytesReceived; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        BytesReceived += buffer.Length;
        if (Failure is not null)
        {
            return;
        }

        try
        {
            _file!.Write(buffer);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Failure = ex;
        }
    }

    /// <summary>Flushes and closes the file; a failure to do so is remembered like a write failure.</summary>
    public void Close(bool flush)
    {
        try
        {
            if (flush && Failure is null)
            {
                _file!.Flush();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Failure ??= ex;
        }
        finally
        {
            _file?.Dispose();
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file?.Dispose();
        }

        base.Dispose(disposing);
    }
}
