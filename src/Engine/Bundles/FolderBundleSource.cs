using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace MdaiClara.Engine.Bundles;

/// <summary>A bundle in a folder on disk.</summary>
public sealed class FolderBundleSource : BundleSource
{
    private const int MaxFiles = 100_000;
    private readonly string _root;

    internal FolderBundleSource(string location, string root)
    {
        Location = location;
        _root = Path.GetFullPath(root);
        Files = Directory.EnumerateFiles(_root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint })
            .Take(MaxFiles)
            .Select(f => Path.GetRelativePath(_root, f).Replace('\\', '/'))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
    }

    public override string Location { get; }

    public override BundleSourceKind Kind => BundleSourceKind.Folder;

    public override IReadOnlyList<string> Files { get; }

    public override long GetLength(string relativePath) => new FileInfo(Full(relativePath)).Length;

    public override byte[] ReadAllBytes(string relativePath, long maxBytes)
    {
        var full = Full(relativePath);
        var length = new FileInfo(full).Length;
        return length > maxBytes ? throw TooLarge(full, length, maxBytes) : File.ReadAllBytes(full);
    }

    public override Stream OpenRead(string relativePath) => File.OpenRead(Full(relativePath));

    public override string DisplayPath(string relativePath) => Path.Combine(_root, NormalizeInside(relativePath) ?? relativePath);

    public override string? FileSystemPath(string relativePath) => NormalizeInside(relativePath) is { } p ? Path.Combine(_root, p) : null;

    private string Full(string relativePath) =>
        NormalizeInside(relativePath) is { } p && File.Exists(Path.Combine(_root, p)) ? Path.Combine(_root, p) : throw Missing(Location, relativePath);
}
