using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace MdaiClara.Engine.Mmar;

/// <summary>An MMAR that is a folder on disk.</summary>
public sealed class FolderMmarSource : MmarFileSource
{
    private readonly string _root;
    private IReadOnlyList<string>? _files;

    public FolderMmarSource(string location, string rootPrefix)
    {
        Location = location;
        RootPrefix = rootPrefix;
        _root = rootPrefix.Length == 0 ? location : Path.Combine(location, rootPrefix.Replace('/', Path.DirectorySeparatorChar));
    }

    public override string Location { get; }

    public override MmarSourceKind Kind => MmarSourceKind.Folder;

    public override string RootPrefix { get; }

    /// <summary>The MMAR root folder on disk.</summary>
    public string RootPath => _root;

    public override IReadOnlyList<string> Files => _files ??= Enumerate();

    public override bool FileExists(string relativePath) => File.Exists(Resolve(relativePath));

    public override bool DirectoryExists(string relativePath) => Directory.Exists(Resolve(relativePath));

    public override long GetLength(string relativePath) => new FileInfo(Resolve(relativePath)).Length;

    public override Stream OpenRead(string relativePath) =>
        new FileStream(Resolve(relativePath), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.SequentialScan);

    public override string DisplayPath(string relativePath) => Resolve(relativePath);

    public override string? FileSystemPath(string relativePath) => Resolve(relativePath);

    private string Resolve(string relativePath)
    {
        var inside = NormalizeInside(relativePath) ?? throw new ArgumentException($"'{relativePath}' leaves the MMAR root.", nameof(relativePath));
        return inside.Length == 0 ? _root : Path.Combine(_root, inside.Replace('/', Path.DirectorySeparatorChar));
    }

    private IReadOnlyList<string> Enumerate()
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        return Directory.EnumerateFiles(_root, "*", options)
            .Select(f => Path.GetRelativePath(_root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
    }
}
