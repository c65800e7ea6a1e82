using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Bundles;

/// <summary>Where a bundle was opened from.</summary>
public enum BundleSourceKind
{
    Folder,
    Zip,
}

/// <summary>
/// The files of a MONAI bundle, in a folder or a zip, by paths relative to the bundle root (the folder holding
/// configs/). Nothing is executed or unpickled; reads are capped.
/// </summary>
public abstract class BundleSource : IDisposable
{
    /// <summary>The largest config file read (the Model Zoo's largest is under 100 kB).</summary>
    public const long MaxConfigBytes = 16L * 1024 * 1024;

    /// <summary>The path given (folder or zip).</summary>
    public abstract string Location { get; }

    public abstract BundleSourceKind Kind { get; }

    /// <summary>Every file of the bundle, relative to its root, with '/' separators, in ordinal order.</summary>
    public abstract IReadOnlyList<string> Files { get; }

    /// <summary>Zip entries that would land outside the bundle root ('..', absolute names); never read.</summary>
    public IReadOnlyList<string> EscapingEntries { get; protected init; } = Array.Empty<string>();

    public bool FileExists(string relativePath) => NormalizeInside(relativePath) is { } p && Files.Contains(p, StringComparer.Ordinal);

    public abstract long GetLength(string relativePath);

    /// <summary>The file's bytes; refuses files longer than <paramref name="maxBytes"/>.</summary>
    public abstract byte[] ReadAllBytes(string relativePath, long maxBytes);

    /// <summary>A stream over the file (for hashing and loading large model files).</summary>
    public abstract Stream OpenRead(string relativePath);

    /// <summary>How a user finds the file: a full path, or zip!/entry.</summary>
    public abstract string DisplayPath(string relativePath);

    /// <summary>The file's path on disk (null inside a zip).</summary>
    public abstract string? FileSystemPath(string relativePath);

    public virtual void Dispose() => GC.SuppressFinalize(this);

    /// <summary>A relative path with '/' separators and no '.' parts; null when it is absolute or climbs out of the root.</summary>
    public static string? NormalizeInside(string relativePath)
    {
        var p = relativePath.Replace('\\', '/');
        if (p.StartsWith('/') || (p.Length > 1 && p[1] == ':'))
        {
            return null;
        }

        var parts = new List<string>();
        foreach (var part in p.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        return string.Join('/', parts);
    }

    /// <summary>Opens a bundle folder (or a folder holding exactly one bundle) or a bundle .zip.</summary>
    public static BundleSource Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            if (Directory.Exists(path))
            {
                return new FolderBundleSource(path, FindFolderRoot(path));
            }

            if (!File.Exists(path))
            {
                throw new MdaiClaraException($"Cannot find a MONAI bundle at '{path}': no such folder or file. Give the bundle folder (the one holding configs/) or its .zip.",
                    ErrorIds.BundleNotFound, ErrorKind.ObjectNotFound, path);
            }

            return ZipBundleSource.OpenZip(path);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new MdaiClaraException($"Cannot read '{path}': access is denied ({ex.Message.TrimEnd('.')}).", ErrorIds.BundleReadFailed, ErrorKind.SecurityError, path, ex);
        }
        catch (IOException ex)
        {
            throw new MdaiClaraException($"Cannot read '{path}': {ex.Message.TrimEnd('.')}.", ErrorIds.BundleReadFailed, ErrorKind.InvalidData, path, ex);
        }
    }

    /// <summary>True when a configs/ folder relative to a root holds a metadata or inference config.</summary>
    internal static bool LooksLikeBundle(Func<string, bool> exists) =>
        (exists(BundleLayout.MetadataFile) || BundleLayout.InferenceConfigCandidates.Any(exists));

    private static string FindFolderRoot(string path)
    {
        if (LooksLikeBundle(rel => File.Exists(Path.Combine(path, rel))))
        {
            return path;
        }

        var candidates = Directory.EnumerateDirectories(path)
            .Where(d => LooksLikeBundle(rel => File.Exists(Path.Combine(d, rel))))
            .Take(2)
            .ToList();
        return candidates.Count == 1
            ? candidates[0]
            : throw new MdaiClaraException(
                candidates.Count == 0
                    ? $"'{path}' is not a MONAI bundle: it has no {BundleLayout.MetadataFile} or configs/inference.json|yaml, nor a single sub-folder that has."
                    : $"'{path}' holds more than one MONAI bundle ({string.Join(", ", candidates.Select(Path.GetFileName))}); give one of them.",
                ErrorIds.BundleNotRecognized, ErrorKind.InvalidArgument, path);
    }

    protected static MdaiClaraException Missing(string location, string relativePath) =>
        new($"The bundle '{location}' has no file {relativePath}.", ErrorIds.BundleReadFailed, ErrorKind.ObjectNotFound, relativePath);

    protected static MdaiClaraException TooLarge(string display, long length, long max) =>
        new($"{display} is {length:N0} bytes, more than the {max:N0} bytes a bundle file read here may have.", ErrorIds.BundleFileTooLarge, ErrorKind.InvalidData, display);
}
