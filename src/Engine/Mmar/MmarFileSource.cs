using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.IO;

namespace MdaiClara.Engine.Mmar;

/// <summary>
/// Read-only access to the files of one MMAR, whether it is a folder or a zip. Paths are relative to the
/// MMAR root with '/' separators. Nothing is ever extracted to disk.
/// </summary>
public abstract class MmarFileSource : IDisposable
{
    /// <summary>Config files larger than this are refused (no MMAR config comes close; guards memory).</summary>
    public const long MaxJsonBytes = 64L * 1024 * 1024;

    /// <summary>The folder or zip file the user named.</summary>
    public abstract string Location { get; }

    public abstract MmarSourceKind Kind { get; }

    /// <summary>Where the MMAR root sits inside <see cref="Location"/> ('' when at the top).</summary>
    public abstract string RootPrefix { get; }

    /// <summary>Every file of the MMAR, relative to its root, sorted ordinally.</summary>
    public abstract IReadOnlyList<string> Files { get; }

    /// <summary>Entries that were not listed because they cannot be read safely (links leaving the MMAR, unreadable folders).</summary>
    public virtual IReadOnlyList<SkippedEntry> Skipped => Array.Empty<SkippedEntry>();

    public abstract bool FileExists(string relativePath);

    public virtual bool DirectoryExists(string relativePath)
    {
        var prefix = relativePath.TrimEnd('/') + "/";
        return Files.Any(f => f.StartsWith(prefix, StringComparison.Ordinal));
    }

    public abstract long GetLength(string relativePath);

    public abstract Stream OpenRead(string relativePath);

    /// <summary>A path a user can read in a message: a file-system path, or <c>zip!/entry</c>.</summary>
    public abstract string DisplayPath(string relativePath);

    /// <summary>The real file-system path when the MMAR is a folder; null inside a zip.</summary>
    public abstract string? FileSystemPath(string relativePath);

    /// <summary>
    /// Reads a file that sits beside the MMAR root (MD.ai's Clara 4.0 layout keeps config_mdai.json there); null when
    /// the MMAR is at the top of its folder or zip, or the file is absent or too large.
    /// </summary>
    public abstract byte[]? TryReadBesideRoot(string fileName, long maxBytes);

    public byte[] ReadAllBytes(string relativePath, long maxBytes)
    {
        var length = GetLength(relativePath);
        if (length > maxBytes)
        {
            throw new MdaiClaraException(
                $"{DisplayPath(relativePath)} is {length:N0} bytes, more than the {maxBytes:N0} bytes allowed for this kind of file.",
                ErrorIds.MmarFileTooLarge, ErrorKind.InvalidData, DisplayPath(relativePath));
        }

        using var stream = OpenRead(relativePath);
        using var buffer = new MemoryStream((int)length);
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    public IEnumerable<string> FilesUnder(string folder)
    {
        var prefix = folder.TrimEnd('/') + "/";
        return Files.Where(f => f.StartsWith(prefix, StringComparison.Ordinal));
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>Finder and Windows leave these beside real files (AppleDouble "._x", __MACOSX/, Thumbs.db); they are not part of an MMAR.</summary>
    internal static bool IsMacMetadata(string name) =>
        name.StartsWith("._", StringComparison.Ordinal) || name is "__MACOSX" or ".DS_Store" or "Thumbs.db";

    /// <summary>Normalises a relative path to '/' separators and rejects anything that leaves the root.</summary>
    internal static string? NormalizeInside(string path)
    {
        var parts = new List<string>();
        foreach (var raw in path.Replace('\\', '/').Split('/'))
        {
            if (raw.Length == 0 || raw == ".")
            {
                continue;
            }

            if (raw == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(raw);
        }

        return string.Join('/', parts);
    }
}

/// <summary>An entry of a folder MMAR that was left out, and why.</summary>
public sealed record SkippedEntry(string RelativePath, string Reason, bool IsLinkOutside = false);

/// <summary>Reads at most the length a file reported when it was opened.</summary>
internal sealed class BoundedStream : ForwardReadStream
{
    private long _remaining;

    public BoundedStream(Stream inner, long length)
        : base(inner)
    {
        _remaining = length;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_remaining <= 0)
        {
            return 0;
        }

        var n = Inner.Read(buffer, offset, (int)Math.Min(count, _remaining));
        _remaining -= n;
        return n;
    }
}
