using System;
using System.IO;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.IO;

namespace MdaiClara.Engine.Mmar;

/// <summary>
/// The stream of one zip entry, read through: a corrupt entry (damaged compressed data, a wrong checksum) surfaces
/// while reading as an <see cref="InvalidDataException"/>; this turns it into <see cref="ErrorIds.MmarZipCorrupt"/>
/// naming the zip and the entry, wherever the entry is read (analysis, hashing, model loading, packaging).
/// </summary>
internal sealed class ZipEntryReadStream : ForwardReadStream
{
    private readonly string _zipPath;
    private readonly string _entryDisplay;

    private ZipEntryReadStream(Stream inner, string zipPath, string entryDisplay)
        : base(inner)
    {
        _zipPath = zipPath;
        _entryDisplay = entryDisplay;
    }

    /// <summary>Opens <paramref name="open"/>'s stream, mapping a failure to open (unsupported method, bad local header) as well.</summary>
    public static Stream Open(Func<Stream> open, string zipPath, string entryDisplay)
    {
        try
        {
            return new ZipEntryReadStream(open(), zipPath, entryDisplay);
        }
        catch (Exception ex) when (ex is InvalidDataException or NotSupportedException)
        {
            throw Corrupt(zipPath, entryDisplay, ex);
        }
    }

    /// <summary>The error for a zip whose entry <paramref name="entryDisplay"/> cannot be read.</summary>
    public static MdaiClaraException Corrupt(string zipPath, string entryDisplay, Exception ex) => new(
        $"The zip '{zipPath}' is damaged: its entry {entryDisplay} cannot be read ({ZipReason(ex)}). Re-download the .zip or re-create it from the MMAR folder.",
        ErrorIds.MmarZipCorrupt, ErrorKind.InvalidData, zipPath, ex);

    /// <summary>.NET's zip messages are short statements of fact ("Block type is invalid"); keep them, without the trailing period.</summary>
    internal static string ZipReason(Exception ex) => ex.Message.Split('\n')[0].Trim().TrimEnd('.');

    public override int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return Inner.Read(buffer, offset, count);
        }
        catch (InvalidDataException ex)
        {
            throw Corrupt(_zipPath, _entryDisplay, ex);
        }
    }

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return Inner.Read(buffer);
        }
        catch (InvalidDataException ex)
        {
            throw Corrupt(_zipPath, _entryDisplay, ex);
        }
    }
}
