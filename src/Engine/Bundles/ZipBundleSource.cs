using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Bundles;

/// <summary>A bundle inside a zip (as the Model Zoo ships them: one top folder holding configs/ and models/).</summary>
public sealed class ZipBundleSource : BundleSource
{
    private readonly ZipArchive _zip;
    private readonly Dictionary<string, ZipArchiveEntry> _entries = new(StringComparer.Ordinal);
    private readonly string _prefix;

    private ZipBundleSource(string location, ZipArchive zip, string prefix, List<string> escaping)
    {
        Location = location;
        _zip = zip;
        _prefix = prefix;
        foreach (var entry in zip.Entries)
        {
            var name = entry.FullName.Replace('\\', '/');
            if (name.EndsWith('/') || !name.StartsWith(prefix, StringComparison.Ordinal) || name.Split('/').Any(p => p is "__MACOSX" || p.StartsWith("._", StringComparison.Ordinal)))
            {
                continue;
            }

            if (NormalizeInside(name[prefix.Length..]) is { Length: > 0 } relative)
            {
                _entries[relative] = entry;
            }
        }

        Files = _entries.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
        EscapingEntries = escaping;
    }

    public override string Location { get; }

    public override BundleSourceKind Kind => BundleSourceKind.Zip;

    public override IReadOnlyList<string> Files { get; }

    internal static ZipBundleSource OpenZip(string path)
    {
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException ex)
        {
            throw new MdaiClaraException($"'{path}' is neither a folder nor a readable .zip ({ex.Message.TrimEnd('.')}); give the bundle folder or its .zip.",
                ErrorIds.BundleZipCorrupt, ErrorKind.InvalidData, path, ex);
        }

        try
        {
            var names = zip.Entries.Select(e => e.FullName.Replace('\\', '/')).ToList();
            var escaping = names.Where(n => NormalizeInside(n) is null).ToList();
            var roots = names
                .Where(n => NormalizeInside(n) is not null)
                .Select(n => n.EndsWith(BundleLayout.MetadataFile, StringComparison.Ordinal) ? n[..^BundleLayout.MetadataFile.Length]
                    : BundleLayout.InferenceConfigCandidates.FirstOrDefault(c => n.EndsWith(c, StringComparison.Ordinal)) is { } c ? n[..^c.Length] : null)
                .Where(r => r is not null && (r.Length == 0 || r.EndsWith('/')))
                .Select(r => r!)
                .Distinct()
                .OrderBy(r => r.Count(ch => ch == '/'))
                .ThenBy(r => r, StringComparer.Ordinal)
                .ToList();
            if (roots.Count == 0)
            {
                throw new MdaiClaraException($"The zip '{path}' is not a MONAI bundle: no entry is {BundleLayout.MetadataFile} or configs/inference.json|yaml.",
                    ErrorIds.BundleNotRecognized, ErrorKind.InvalidArgument, path);
            }

            if (roots.Count > 1 && roots[0].Count(ch => ch == '/') == roots[1].Count(ch => ch == '/'))
            {
                throw new MdaiClaraException($"The zip '{path}' holds more than one MONAI bundle ({string.Join(", ", roots.Select(r => r.Length == 0 ? "/" : r))}); zip one bundle per file.",
                    ErrorIds.BundleNotRecognized, ErrorKind.InvalidArgument, path);
            }

            return new ZipBundleSource(path, zip, roots[0], escaping);
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    public override long GetLength(string relativePath) => Find(relativePath).Length;

    public override byte[] ReadAllBytes(string relativePath, long maxBytes)
    {
        var entry = Find(relativePath);
        if (entry.Length > maxBytes)
        {
            throw TooLarge(DisplayPath(relativePath), entry.Length, maxBytes);
        }

        try
        {
            using var stream = entry.Open();
            using var buffer = new MemoryStream((int)entry.Length);
            var chunk = new byte[81920];
            int n;
            while ((n = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + n > maxBytes)
                {
                    throw TooLarge(DisplayPath(relativePath), buffer.Length + n, maxBytes);
                }

                buffer.Write(chunk, 0, n);
            }

            return buffer.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw new MdaiClaraException($"The zip '{Location}' is damaged: its entry {entry.FullName} cannot be read ({ex.Message.TrimEnd('.')}). Re-download the bundle.",
                ErrorIds.BundleZipCorrupt, ErrorKind.InvalidData, Location, ex);
        }
    }

    public override Stream OpenRead(string relativePath) => Find(relativePath).Open();

    public override string DisplayPath(string relativePath) => $"{Location}!/{_prefix}{NormalizeInside(relativePath) ?? relativePath}";

    public override string? FileSystemPath(string relativePath) => null;

    public override void Dispose()
    {
        _zip.Dispose();
        base.Dispose();
    }

    private ZipArchiveEntry Find(string relativePath) =>
        NormalizeInside(relativePath) is { } p && _entries.TryGetValue(p, out var e) ? e : throw Missing(Location, relativePath);
}
