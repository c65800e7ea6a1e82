using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Mdai.Packaging;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MdaiClara.Engine.Publishing;

/// <summary>
/// The checks of a written package's zip that every package kind shares (the "Verify package" check of an MMAR's and a
/// bundle's publication): the hash, the required layout, every written entry read to its end (which checks its CRC)
/// with its size, config files parsed, and no image data but what include patterns name. Each adds what it finds to a
/// list of problems in the user's terms.
/// </summary>
internal static class PackageZipChecks
{
    public const string CheckName = "Verify package";

    public static void Hash(string zip, string sha256, List<string> problems)
    {
        if (MdaiPackageBuilder.Sha256Of(zip) != sha256)
        {
            problems.Add("its SHA-256 changed after writing");
        }
    }

    public static Dictionary<string, ZipArchiveEntry> Entries(ZipArchive archive) =>
        archive.Entries.GroupBy(e => e.FullName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    public static void Required(IReadOnlyDictionary<string, ZipArchiveEntry> entries, IEnumerable<string> required, List<string> problems)
    {
        foreach (var path in required.Where(p => !entries.ContainsKey(p)))
        {
            problems.Add($"{path} is missing");
        }
    }

    /// <summary>Every entry the writer wrote is there and holds the bytes written (reading it to its end also checks its CRC).</summary>
    public static void Written(IReadOnlyDictionary<string, ZipArchiveEntry> entries, IEnumerable<MdaiPackageEntry> files, List<string> problems)
    {
        var buffer = new byte[1 << 16];
        foreach (var file in files)
        {
            if (!entries.TryGetValue(file.Path, out var entry))
            {
                problems.Add($"{file.Path} is missing");
                continue;
            }

            long read = 0;
            try
            {
                using var stream = entry.Open();
                int n;
                while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    read += n;
                }
            }
            catch (InvalidDataException ex)
            {
                problems.Add($"{file.Path} cannot be read back ({ex.Message.TrimEnd('.')})");
                continue;
            }

            if (read != file.Bytes)
            {
                problems.Add($"{file.Path} holds {read:N0} bytes, {file.Bytes:N0} were written");
            }
        }
    }

    /// <summary>A YAML file's top-level mapping, or null with the problem.</summary>
    public static YamlMappingNode? Yaml(IReadOnlyDictionary<string, ZipArchiveEntry> entries, string path, List<string> problems)
    {
        if (!entries.TryGetValue(path, out var entry))
        {
            return null;
        }

        try
        {
            using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
            var yaml = new YamlStream();
            yaml.Load(reader);
            if (yaml.Documents.Count == 1 && yaml.Documents[0].RootNode is YamlMappingNode map)
            {
                return map;
            }

            problems.Add($"{path} is not one YAML mapping");
        }
        catch (Exception ex) when (ex is YamlException or InvalidDataException)
        {
            problems.Add($"{path} is not valid YAML ({ex.Message.TrimEnd('.')})");
        }

        return null;
    }

    /// <summary>A scalar of a YAML mapping (null when absent or not a scalar).</summary>
    public static YamlScalarNode? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v as YamlScalarNode : null;

    /// <summary>A JSON file's top-level object, or null with the problem.</summary>
    public static JsonObject? Json(IReadOnlyDictionary<string, ZipArchiveEntry> entries, string path, List<string> problems)
    {
        if (!entries.TryGetValue(path, out var entry))
        {
            return null;
        }

        try
        {
            using var stream = entry.Open();
            if (JsonNode.Parse(stream) is JsonObject o)
            {
                return o;
            }

            problems.Add($"{path} is not a JSON object");
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            problems.Add($"{path} is not valid JSON ({ex.Message.TrimEnd('.')})");
        }

        return null;
    }

    /// <summary>Image data (possibly patient data) only where an include pattern names it, judged on the zip itself.</summary>
    public static void ImageData(ZipArchive archive, string prefix, IReadOnlyList<string> include, List<string> problems)
    {
        foreach (var image in PackagedImageData.Unnamed(archive, prefix, include))
        {
            problems.Add($"{image}, and a package carries image data only where an include pattern names it");
        }
    }

    public static PublishCheck Result(List<string> problems, string passed) => problems.Count == 0
        ? new PublishCheck(CheckName, PublishCheckStatus.Passed, passed)
        : new PublishCheck(CheckName, PublishCheckStatus.Failed, string.Join("; ", problems));
}
