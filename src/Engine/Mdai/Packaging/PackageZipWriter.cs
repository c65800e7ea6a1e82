using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.IO;

namespace MdaiClara.Engine.Mdai.Packaging;

/// <summary>One file for a package zip: its path in the zip, its size, how to open it, and where it comes from (for errors).</summary>
public sealed record PackageZipEntry(string Path, long Bytes, Func<Stream> Open, string Source)
{
    /// <summary>An entry whose content is generated in memory.</summary>
    public static PackageZipEntry FromBytes(string path, byte[] bytes) => new(path, bytes.LongLength, () => new MemoryStream(bytes, writable: false), path);
}

/// <summary>
/// Writes an MD.ai package zip, the same way for MMAR and bundle packages: deterministic (entries sorted by the caller,
/// fixed times and Unix permissions, model files stored), streamed, written to a temporary file and renamed. A file
/// of the source that cannot be read is reported through <c>unreadable</c> (the source's problem, not the target's).
/// </summary>
public static class PackageZipWriter
{
    /// <summary>Every entry's time: the same input must give the same bytes.</summary>
    private static readonly DateTimeOffset FixedTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] StoredExtensions = { ".ts", ".pt", ".pth", ".zip", ".gz", ".tgz", ".npz" };

    public static void Write(
        string zipPath,
        IReadOnlyList<PackageZipEntry> entries,
        IProgress<MdaiPackageProgress>? progress,
        Func<string, Exception, Exception> unreadable,
        CancellationToken cancellationToken)
    {
        var total = entries.Sum(e => e.Bytes);
        long done = 0;
        var buffer = new byte[1 << 20];
        try
        {
            // As Invoke-ClaraInference -OutputPath: a missing folder is made.
            AtomicFile.Write(zipPath, file =>
            {
                using var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: Encoding.UTF8);
                foreach (var e in entries)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var stored = StoredExtensions.Any(x => e.Path.EndsWith(x, StringComparison.OrdinalIgnoreCase));
                    var entry = zip.CreateEntry(e.Path, stored ? CompressionLevel.NoCompression : CompressionLevel.Optimal);
                    entry.LastWriteTime = FixedTime;

                    // Unix permissions (regular file; scripts executable), so the archive does not depend on the host's umask.
                    var mode = e.Path.EndsWith(".sh", StringComparison.Ordinal) ? 0b111_101_101 : 0b110_100_100;
                    entry.ExternalAttributes = (0x8000 | mode) << 16;
                    using var input = OpenSource(e.Open, e.Source);
                    using var output = entry.Open();
                    int read;
                    while ((read = ReadSource(input, buffer, e.Source)) > 0)
                    {
                        output.Write(buffer, 0, read);
                        done += read;
                        progress?.Report(new MdaiPackageProgress(done, total, e.Path));
                        cancellationToken.ThrowIfCancellationRequested();
                    }
                }
            }, createFolder: true);
        }
        catch (SourceReadFailure ex)
        {
            throw unreadable(ex.Entry, ex.InnerException!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MdaiClaraException($"Cannot write the package {zipPath}: {ex.Message.TrimEnd('.')}. Check that the folder exists, is writable and has space.", ErrorIds.MdaiPackageWriteFailed, ErrorKind.WriteError, zipPath, ex);
        }
    }

    /// <summary>Opens one source file for the zip; a failure is the source's, not the target's.</summary>
    private static Stream OpenSource(Func<Stream> open, string entry)
    {
        try
        {
            return open();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or MdaiClaraException { ErrorId: ErrorIds.MmarZipCorrupt })
        {
            throw new SourceReadFailure(entry, ex);
        }
    }

    /// <summary>Reads from one source file; a zipped source decodes as it is read, so a damaged entry fails here.</summary>
    private static int ReadSource(Stream input, byte[] buffer, string entry)
    {
        try
        {
            return input.Read(buffer, 0, buffer.Length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or MdaiClaraException { ErrorId: ErrorIds.MmarZipCorrupt })
        {
            throw new SourceReadFailure(entry, ex);
        }
    }

    /// <summary>Carries a read failure of the source past the write handler, to its own message.</summary>
    private sealed class SourceReadFailure(string entry, Exception inner) : Exception(inner.Message, inner)
    {
        public string Entry { get; } = entry;
    }
}
