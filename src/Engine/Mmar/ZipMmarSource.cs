using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace MdaiClara.Engine.Mmar;

/// <summary>
/// An MMAR inside a zip file. Entries are validated when the zip is opened (see <see cref="MmarLocator"/>);
/// the archive stays open until disposed.
/// </summary>
public sealed class ZipMmarSource : MmarFileSource
{
    private readonly ZipArchive _zip;
    private readonly Dictionary<string, ZipArchiveEntry> _entries;

    private readonly string _entryPrefix;

    internal ZipMmarSource(string location, ZipArchive zip, string rootPrefix)
    {
        Location = location;
        RootPrefix = rootPrefix.TrimEnd('/');
        _entryPrefix = RootPrefix.Length == 0 ? string.Empty : RootPrefix + "/";
        _zip = zip;
        _entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            var name = entry.FullName.Replace('\\', '/');
            if (name.EndsWith('/') || !name.StartsWith(_entryPrefix, StringComparison.Ordinal) || name.Split('/').Any(IsMacMetadata))
            {
                continue;
            }

            var relative = NormalizeInside(name[_entryPrefix.Length..]);
            if (!string.IsNullOrEmpty(relative))
            {
                _entries[relative] = entry;
            }
        }

        Files = _entries.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
    }

    public override string Location { get; }

    public override MmarSourceKind Kind => MmarSourceKind.Zip;

    public override string RootPrefix { get; }

    public override IReadOnlyList<string> Files { get; }

    public override bool FileExists(string relativePath) => Find(relativePath) is not null;

    public override long GetLength(string relativePath) => (Find(relativePath) ?? throw Missing(relativePath)).Length;

    public override Stream OpenRead(string relativePath)
    {
        var entry = Find(relativePath) ?? throw Missing(relativePath);
        return ZipEntryReadStream.Open(entry.Open, Location, DisplayPath(relativePath));
    }

    public override string DisplayPath(string relativePath) => $"{Location}!/{_entryPrefix}{NormalizeInside(relativePath) ?? relativePath}";

    public override byte[]? TryReadBesideRoot(string fileName, long maxBytes)
    {
        if (RootPrefix.Length == 0)
        {
            return null;
        }

        var parent = RootPrefix.Contains('/', StringComparison.Ordinal) ? RootPrefix[..(RootPrefix.LastIndexOf('/') + 1)] : string.Empty;
        var entry = _zip.Entries.FirstOrDefault(e => e.FullName.Replace('\\', '/') == parent + fileName);
        if (entry is null || entry.Length > maxBytes)
        {
            return null;
        }

        using var stream = ZipEntryReadStream.Open(entry.Open, Location, $"{Location}!/{entry.FullName}");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    public override string? FileSystemPath(string relativePath) => null;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _zip.Dispose();
        }
    }

    private ZipArchiveEntry? Find(string relativePath)
    {
        var key = NormalizeInside(relativePath);
        return key is not null && _entries.TryGetValue(key, out var e) ? e : null;
    }

    private FileNotFoundException Missing(string relativePath) => new($"{DisplayPath(relativePath)} does not exist in the zip.");
}
