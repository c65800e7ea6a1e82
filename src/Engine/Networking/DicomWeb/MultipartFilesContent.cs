using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MdaiClara.Engine.Networking.DicomWeb;

/// <summary>
/// A STOW-RS request body: files as the parts of a multipart/related; type="application/dicom" body, each streamed
/// from disk as the request is sent (never all in memory), with a Content-Length computed up front.
/// </summary>
internal sealed class MultipartFilesContent : HttpContent
{
    private readonly IReadOnlyList<string> _files;
    private readonly byte[] _partHeader;
    private readonly byte[] _close;

    public MultipartFilesContent(IReadOnlyList<string> files)
    {
        _files = files;
        var boundary = "mdaiclara-" + Guid.NewGuid().ToString("N");
        _partHeader = Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Type: application/dicom\r\n\r\n");
        _close = Encoding.ASCII.GetBytes($"--{boundary}--\r\n");
        Headers.TryAddWithoutValidation("Content-Type", $"multipart/related; type=\"application/dicom\"; boundary={boundary}");
    }

    protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        foreach (var file in _files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            stream.Write(_partHeader);
            using (var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
            {
                source.CopyTo(stream, 1 << 16);
            }

            stream.Write("\r\n"u8);
        }

        stream.Write(_close);
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        foreach (var file in _files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await stream.WriteAsync(_partHeader, cancellationToken).ConfigureAwait(false);
            var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous);
            await using (source.ConfigureAwait(false))
            {
                await source.CopyToAsync(stream, 1 << 16, cancellationToken).ConfigureAwait(false);
            }

            await stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        }

        await stream.WriteAsync(_close, cancellationToken).ConfigureAwait(false);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = _files.Sum(f => _partHeader.Length + new FileInfo(f).Length + 2) + _close.Length;
        return true;
    }
}
