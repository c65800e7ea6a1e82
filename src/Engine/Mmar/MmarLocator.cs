using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
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

        return OpenZip(path);
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

        return PickRoot(folder, found);
    }

    private static string PickRoot(string location, List<string> candidates)
    {
        if (candidates.Count == 0)
        {
            throw new MdaiClaraException(
                $"'{location}' is not an MMAR: it has no config/ folder with Clara configuration files (environment.json, config_*.json), nor a single sub-folder that has one.",
                ErrorIds.MmarNotRecognized, ErrorKind.InvalidData, location);
        }

        var shallowest = candidates.Min(c => c.Count(ch => ch == '/'));
        var best = candidates.Where(c => c.Count(ch => ch == '/') == shallowest).ToList();
        if (best.Count > 1)
        {
            throw new MdaiClaraException(
                $"'{location}' holds more than one MMAR ({string.Join(", ", best)}); open one of them.",
                ErrorIds.MmarNotRecognized, ErrorKind.InvalidData, location);
        }

        return best[0].Length == 0 ? string.Empty : best[0].TrimEnd('/');
    }

    private static bool LooksLikeMmarRoot(string folder)
    {
        var config = Path.Combine(folder, "config");
        return Directory.Exists(config) && Directory.EnumerateFiles(config, "*.json").Any();
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
            foreach (var entry in zip.Entries)
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
                .Select(n => ConfigJsonEntry().Match(n))
                .Where(m => m.Success)
                .Select(m => m.Groups["root"].Value)
                .Distinct(StringComparer.Ordinal)
                .ToList();
            var prefix = PickRoot(path, roots);
            return new ZipMmarSource(path, zip, prefix.Length == 0 ? string.Empty : prefix + "/");
        }
        catch
        {
            zip.Dispose();
            throw;
        }
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

    [GeneratedRegex(@"^[A-Za-z]:", RegexOptions.CultureInvariant)]
    private static partial Regex DriveLetter();
}
