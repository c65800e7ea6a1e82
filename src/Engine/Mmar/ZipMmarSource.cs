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

    internal ZipMmarSource(string location, ZipArchive zip, string rootPrefix)
    {
        Location = location;
        RootPrefix = rootPrefix;
        _zip = zip;
        _entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            var name = entry.FullName.Replace('\\', '/');
            if (name.EndsWith('/') || !name.StartsWith(rootPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var relative = NormalizeInside(name[rootPrefix.Length..]);
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

    public override Stream OpenRead(string relativePath) => (Find(relativePath) ?? throw Missing(relativePath)).Open();

    public override string DisplayPath(string relativePath) => $"{Location}!/{RootPrefix}{NormalizeInside(relativePath) ?? relativePath}";

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
