using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Mmar;

/// <summary>
/// Finds the MMAR root in a folder or zip and opens it. Accepts the MMAR folder itself, a folder or zip
/// holding exactly one MMAR (an NGC download, or MD.ai's Clara 4.0 layout with config_mdai.json), and
/// rejects zips whose entries would escape their root before anything is read.
/// </summary>
public static partial class MmarLocator
{
    private const int MaxSearchDepth = 3;
    private const int MaxFoldersVisited = 5000;

    public static MmarFileSource Open(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                return new FolderMmarSource(path, FindFolderRoot(path));
            }

            if (!File.Exists(path))
            {
                throw new MdaiClaraException(
                    $"Cannot find an MMAR at '{path}': no such folder or file. Give the MMAR folder or its .zip.",
                    ErrorIds.MmarNotFound, ErrorKind.ObjectNotFound, path);
            }

            if (!HasZipSignature(path))
            {
                throw NotAnMmarFile(path);
            }

            return OpenZip(path);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new MdaiClaraException($"Cannot read '{path}': access is denied ({ex.Message.TrimEnd('.')}).", ErrorIds.MmarReadFailed, ErrorKind.SecurityError, path, ex);
        }
        catch (IOException ex)
        {
            throw new MdaiClaraException($"Cannot read '{path}': {ex.Message.TrimEnd('.')}.", ErrorIds.MmarReadFailed, ErrorKind.InvalidData, path, ex);
        }
    }

    private static bool HasZipSignature(string path)
    {
        Span<byte> head = stackalloc byte[4];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var n = stream.Length >= 4 ? stream.Read(head) : 0;
        // Local file header, or the end record of an empty zip.
        return n == 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
    }

    private static MdaiClaraException NotAnMmarFile(string path)
    {
        // A file inside an MMAR (config/environment.json, say): point at the MMAR folder instead.
        var hint = string.Empty;
        for (var dir = Path.GetDirectoryName(Path.GetFullPath(path)); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (LooksLikeMmarRoot(dir))
            {
                hint = $" It lies inside the MMAR '{dir}'; give that folder.";
                break;
            }
        }

        return new MdaiClaraException(
            $"'{path}' is a file but not a zip archive, so it is not an MMAR. Give the MMAR folder (the one holding config/) or its .zip.{hint}",
            ErrorIds.MmarNotRecognized, ErrorKind.InvalidData, path);
    }

    private static string FindFolderRoot(string folder)
    {
        if (LooksLikeMmarRoot(folder))
        {
            return string.Empty;
        }

        // MD.ai's Clara 4.0 layout: workspace/config_mdai.json names the MMAR folder beside it.
        var mdaiConfig = Path.Combine(folder, "config_mdai.json");
        if (File.Exists(mdaiConfig))
        {
            var parsed = JsonConfigParser.Parse("config_mdai.json", File.ReadAllBytes(mdaiConfig));
            if (parsed.RootObject?.GetString("root_folder") is { Length: > 0 } rootFolder
                && MmarFileSource.NormalizeInside(rootFolder) is { Length: > 0 } inside
                && LooksLikeMmarRoot(Path.Combine(folder, inside)))
            {
                return inside;
            }
        }

        var found = new List<string>();
        var queue = new Queue<(string Path, int Depth)>();
        queue.Enqueue((folder, 0));
        var visited = 0;
        while (queue.Count > 0 && visited++ < MaxFoldersVisited)
        {
            var (current, depth) = queue.Dequeue();
            if (depth > 0 && LooksLikeMmarRoot(current))
            {
                found.Add(Path.GetRelativePath(folder, current).Replace(Path.DirectorySeparatorChar, '/'));
                continue;
            }

            if (depth >= MaxSearchDepth)
            {
                continue;
            }

            IEnumerable<string> children;
            try
            {
                children = Directory.EnumerateDirectories(current).OrderBy(d => d, StringComparer.Ordinal).ToList();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var child in children)
            {
                if (!Path.GetFileName(child).StartsWith('.'))
                {
                    queue.Enqueue((child, depth + 1));
                }
            }
        }

        return PickRoot(folder, found, IsMonaiBundleFolder(folder));
    }

    private static string PickRoot(string location, List<string> candidates, bool monaiBundle = false)
    {
        if (candidates.Count == 0 && monaiBundle)
        {
            throw new MdaiClaraException(
                $"'{location}' is a MONAI bundle (it has configs/metadata.json), not a Clara Train MMAR. This version of MdaiClara opens Clara Train MMARs only; MONAI bundles come in a later version.",
                ErrorIds.MmarIsMonaiBundle, ErrorKind.InvalidData, location);
        }

        if (candidates.Count == 0)
        {
            throw new MdaiClaraException(
                $"'{location}' is not an MMAR: it has no config/ folder with Clara configuration files (environment.json, config_*.json), nor a single sub-folder that has one.",
                ErrorIds.MmarNotRecognized, ErrorKind.InvalidData, location);
        }

        static int Depth(string c) => c.Length == 0 ? 0 : c.Count(ch => ch == '/') + 1;
        var shallowest = candidates.Min(Depth);
        var best = candidates.Where(c => Depth(c) == shallowest).ToList();
        if (best.Count > 1)
        {
            throw new MdaiClaraException(
                $"'{location}' holds more than one MMAR ({string.Join(", ", best)}); open one of them.",
                ErrorIds.MmarNotRecognized, ErrorKind.InvalidData, location);
        }

        return best[0].TrimEnd('/');
    }

    /// <summary>A MONAI bundle: configs/metadata.json in the folder or in one folder below it (an unpacked download).</summary>
    private static bool IsMonaiBundleFolder(string folder)
    {
        try
        {
            return File.Exists(Path.Combine(folder, "configs", "metadata.json"))
                || Directory.EnumerateDirectories(folder).Any(d => File.Exists(Path.Combine(d, "configs", "metadata.json")));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool LooksLikeMmarRoot(string folder)
    {
        var config = Path.Combine(folder, "config");
        try
        {
            return Directory.Exists(config) && Directory.EnumerateFiles(config, "*.json").Any(f => !MmarFileSource.IsMacMetadata(Path.GetFileName(f)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A config folder that cannot be listed still marks the root; reading it then reports what is wrong.
            return true;
        }
    }

    private static ZipMmarSource OpenZip(string path)
    {
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException ex)
        {
            throw new MdaiClaraException(
                $"'{path}' is not a readable zip file ({ex.Message.TrimEnd('.')}). Give the MMAR folder, or re-download the .zip.",
                ErrorIds.MmarZipCorrupt, ErrorKind.InvalidData, path, ex);
        }
        catch (IOException ex)
        {
            throw new MdaiClaraException($"Cannot read '{path}': {ex.Message}", ErrorIds.MmarReadFailed, ErrorKind.InvalidData, path, ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new MdaiClaraException($"Cannot read '{path}': access is denied.", ErrorIds.MmarReadFailed, ErrorKind.SecurityError, path, ex);
        }

        try
        {
            var names = new List<string>();
            foreach (var entry in CentralDirectory(path, zip))
            {
                var name = entry.FullName.Replace('\\', '/');
                if (EscapesRoot(name))
                {
                    throw new MdaiClaraException(
                        $"'{path}' contains the entry '{entry.FullName}', which points outside the archive's folder; the zip was rejected and nothing was read from it. Re-create the zip from the MMAR folder.",
                        ErrorIds.MmarZipEntryEscapesRoot, ErrorKind.SecurityError, path);
                }

                names.Add(name);
            }

            var roots = names
                .Where(n => !n.Split('/').Any(MmarFileSource.IsMacMetadata))
                .Select(n => ConfigJsonEntry().Match(n))
                .Where(m => m.Success)
                .Select(m => m.Groups["root"].Value.TrimEnd('/'))
                .Distinct(StringComparer.Ordinal)
                .ToList();
            var prefix = RootNamedByConfigMdai(path, zip, roots) ?? PickRoot(path, roots, names.Any(n => BundleMetadataEntry().IsMatch(n)));
            return new ZipMmarSource(path, zip, prefix);
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The zip's entries. .NET reads the central directory only when they are first listed (not in OpenRead), so a
    /// damaged directory (a wrong offset, a truncated record) surfaces here.
    /// </summary>
    private static IReadOnlyList<ZipArchiveEntry> CentralDirectory(string path, ZipArchive zip)
    {
        try
        {
            return zip.Entries;
        }
        catch (InvalidDataException ex)
        {
            throw new MdaiClaraException(
                $"'{path}' is not a readable zip file: its central directory (the list of entries at the end of the zip) is damaged ({ZipEntryReadStream.ZipReason(ex)}). Give the MMAR folder, or re-download the .zip.",
                ErrorIds.MmarZipCorrupt, ErrorKind.InvalidData, path, ex);
        }
    }

    /// <summary>MD.ai's Clara 4.0 workspace, zipped: config_mdai.json beside the MMAR names its folder.</summary>
    private static string? RootNamedByConfigMdai(string zipPath, ZipArchive zip, List<string> roots)
    {
        foreach (var root in roots.Where(r => r.Length > 0))
        {
            var parent = root.Contains('/', StringComparison.Ordinal) ? root[..(root.LastIndexOf('/') + 1)] : string.Empty;
            var entry = zip.GetEntry(parent + "config_mdai.json");
            if (entry is null || entry.Length > MmarFileSource.MaxJsonBytes)
            {
                continue;
            }

            using var stream = ZipEntryReadStream.Open(entry.Open, zipPath, $"{zipPath}!/{entry.FullName}");
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var named = JsonConfigParser.Parse("config_mdai.json", buffer.ToArray()).RootObject?.GetString("root_folder");
            if (named is not null && MmarFileSource.NormalizeInside(named) is { Length: > 0 } inside && roots.Contains(parent + inside))
            {
                return parent + inside;
            }
        }

        return null;
    }

    /// <summary>True for absolute names, drive letters and '..' that climbs above the archive root.</summary>
    internal static bool EscapesRoot(string entryName)
    {
        var name = entryName.Replace('\\', '/');
        if (name.StartsWith('/') || DriveLetter().IsMatch(name) || name.Contains('\0', StringComparison.Ordinal))
        {
            return true;
        }

        return MmarFileSource.NormalizeInside(name) is null;
    }

    [GeneratedRegex(@"^(?<root>(?:[^/]+/)*?)config/[^/]+\.json$", RegexOptions.CultureInvariant)]
    private static partial Regex ConfigJsonEntry();

    [GeneratedRegex(@"^(?:[^/]+/)?configs/metadata\.json$", RegexOptions.CultureInvariant)]
    private static partial Regex BundleMetadataEntry();

    [GeneratedRegex(@"^[A-Za-z]:", RegexOptions.CultureInvariant)]
    private static partial Regex DriveLetter();
}
