using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace MdaiClara.Engine.Mmar;

/// <summary>
/// An MMAR that is a folder on disk. Symbolic links are followed only when their target stays inside the MMAR;
/// a link that leaves it is listed in <see cref="MmarFileSource.Skipped"/> and never read. Files are read up to
/// their reported length only, and empty ones are never opened, so FIFOs and device nodes cannot hang a read.
/// </summary>
public sealed class FolderMmarSource : MmarFileSource
{
    private const int MaxEntries = 200_000;
    private readonly string _root;
    private Dictionary<string, string>? _realPaths;
    private HashSet<string>? _directories;
    private List<string>? _files;
    private List<SkippedEntry>? _skipped;

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

    public override IReadOnlyList<string> Files
    {
        get
        {
            Enumerate();
            return _files!;
        }
    }

    public override IReadOnlyList<SkippedEntry> Skipped
    {
        get
        {
            Enumerate();
            return _skipped!;
        }
    }

    public override bool FileExists(string relativePath)
    {
        Enumerate();
        var key = NormalizeInside(relativePath);
        return key is not null && _realPaths!.ContainsKey(key);
    }

    public override bool DirectoryExists(string relativePath)
    {
        Enumerate();
        var key = NormalizeInside(relativePath);
        return key is not null && (key.Length == 0 || _directories!.Contains(key));
    }

    public override long GetLength(string relativePath) => new FileInfo(RealPath(relativePath)).Length;

    public override Stream OpenRead(string relativePath)
    {
        var real = RealPath(relativePath);
        var length = new FileInfo(real).Length;
        if (length == 0)
        {
            // Never open what reports no length: it may be a FIFO or a device that would block or never end.
            return new MemoryStream(Array.Empty<byte>(), writable: false);
        }

        return new BoundedStream(new FileStream(real, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.SequentialScan), length);
    }

    public override string DisplayPath(string relativePath) =>
        NormalizeInside(relativePath) is { Length: > 0 } inside ? Path.Combine(_root, inside.Replace('/', Path.DirectorySeparatorChar)) : _root;

    public override string? FileSystemPath(string relativePath) => FileExists(relativePath) ? RealPath(relativePath) : DisplayPath(relativePath);

    public override byte[]? TryReadBesideRoot(string fileName, long maxBytes)
    {
        if (RootPrefix.Length == 0)
        {
            return null;
        }

        var path = Path.Combine(Location, fileName);
        var info = new FileInfo(path);
        return info.Exists && info.Length > 0 && info.Length <= maxBytes ? File.ReadAllBytes(path) : null;
    }

    private string RealPath(string relativePath)
    {
        Enumerate();
        var key = NormalizeInside(relativePath);
        if (key is null || !_realPaths!.TryGetValue(key, out var real))
        {
            throw new FileNotFoundException($"{DisplayPath(relativePath)} does not exist in the MMAR.");
        }

        return real;
    }

    private void Enumerate()
    {
        if (_files is not null)
        {
            return;
        }

        var realPaths = new Dictionary<string, string>(StringComparer.Ordinal);
        var directories = new HashSet<string>(StringComparer.Ordinal);
        var skipped = new List<SkippedEntry>();
        var rootReal = RealDirectory(_root);
        var visited = new HashSet<string>(StringComparer.Ordinal) { rootReal };
        var pending = new Stack<(string Path, string Relative)>();
        pending.Push((rootReal, string.Empty));
        while (pending.Count > 0 && realPaths.Count < MaxEntries)
        {
            var (dir, relativeDir) = pending.Pop();
            IEnumerable<FileSystemInfo> entries;
            try
            {
                entries = new DirectoryInfo(dir).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                skipped.Add(new SkippedEntry(relativeDir.Length == 0 ? "." : relativeDir, $"the folder cannot be read ({ex.Message.TrimEnd('.')})"));
                continue;
            }

            foreach (var entry in entries)
            {
                var relative = relativeDir.Length == 0 ? entry.Name : relativeDir + "/" + entry.Name;
                if (IsMacMetadata(entry.Name))
                {
                    continue;
                }

                string real;
                try
                {
                    real = entry.LinkTarget is null ? entry.FullName : Path.GetFullPath(entry.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? entry.FullName);
                }
                catch (IOException ex)
                {
                    skipped.Add(new SkippedEntry(relative, $"the link cannot be resolved ({ex.Message.TrimEnd('.')})"));
                    continue;
                }

                if (!IsUnder(real, rootReal))
                {
                    skipped.Add(new SkippedEntry(relative, $"it is a link to {real}, outside the MMAR", IsLinkOutside: true));
                    continue;
                }

                if (Directory.Exists(real))
                {
                    if (visited.Add(RealDirectory(real)))
                    {
                        directories.Add(relative);
                        pending.Push((real, relative));
                    }
                }
                else if (File.Exists(real))
                {
                    realPaths[relative] = real;
                }
                else
                {
                    skipped.Add(new SkippedEntry(relative, "the link points at nothing"));
                }
            }
        }

        _realPaths = realPaths;
        _directories = directories;
        _skipped = skipped;
        _files = realPaths.Keys.OrderBy(f => f, StringComparer.Ordinal).ToList();
    }

    private static string RealDirectory(string path)
    {
        var info = new DirectoryInfo(path);
        var target = info.LinkTarget is null ? info.FullName : info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.FullName;
        return Path.GetFullPath(target).TrimEnd(Path.DirectorySeparatorChar);
    }

    private static bool IsUnder(string path, string root)
    {
        var full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        return full == root || full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }
}
