using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;

namespace MdaiClara.Engine.Mmar;

/// <summary>The result of looking at a model file's container without loading it.</summary>
public sealed record ModelFileInspection(ModelFileFormat Format, string Detail, string? ArchiveName, string? FormatVersion, IReadOnlyList<string> ExtraFiles);

/// <summary>
/// Tells a TorchScript archive from a pickle checkpoint and from garbage by reading the zip directory only.
/// TorchScript (torch.jit.save) writes <c>&lt;name&gt;/code/…</c>, <c>data.pkl</c>, <c>constants.pkl</c> and
/// <c>version</c>; torch.save writes <c>data.pkl</c> and <c>data/…</c> with no code; the legacy torch.save format
/// starts with a pickle protocol marker.
/// </summary>
public static class ModelFileInspector
{
    private const int MaxEntries = 100_000;

    public static ModelFileInspection Inspect(Stream stream, string fileName)
    {
        Span<byte> head = stackalloc byte[8];
        var read = ReadAtMost(stream, head);
        if (read == 0)
        {
            return new ModelFileInspection(ModelFileFormat.NotAModel, "the file is empty", null, null, Array.Empty<string>());
        }

        if (IsTensorFlowName(fileName))
        {
            return new ModelFileInspection(ModelFileFormat.TensorFlow, "a TensorFlow model file", null, null, Array.Empty<string>());
        }

        if (read >= 2 && head[0] == 0x80 && head[1] is >= 2 and <= 5)
        {
            return new ModelFileInspection(ModelFileFormat.PickleLegacy, "a pickle (legacy torch.save format), not TorchScript", null, null, Array.Empty<string>());
        }

        if (read < 4 || head[0] != (byte)'P' || head[1] != (byte)'K')
        {
            return new ModelFileInspection(ModelFileFormat.NotAModel, "not a zip archive (TorchScript files are zip archives written by torch.jit.save)", null, null, Array.Empty<string>());
        }

        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            copy.Write(head[..read]);
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }
        else
        {
            stream.Position = 0;
        }

        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            if (zip.Entries.Count > MaxEntries)
            {
                return new ModelFileInspection(ModelFileFormat.OtherZip, $"a zip with {zip.Entries.Count:N0} entries, far more than a model holds", null, null, Array.Empty<string>());
            }

            var names = zip.Entries.Select(e => e.FullName.Replace('\\', '/')).ToList();
            var tops = names.Select(n => n.Split('/')[0]).Distinct(StringComparer.Ordinal).ToList();
            if (tops.Count != 1 || names.Any(n => !n.Contains('/', StringComparison.Ordinal)))
            {
                return new ModelFileInspection(ModelFileFormat.OtherZip, "a zip whose entries do not sit in one archive folder, as torch.jit.save writes them", null, null, Array.Empty<string>());
            }

            var archive = tops[0];
            bool Has(string rel) => names.Contains(archive + "/" + rel, StringComparer.Ordinal);
            var hasCode = names.Any(n => n.StartsWith(archive + "/code/", StringComparison.Ordinal) && n.EndsWith(".py", StringComparison.Ordinal));
            var version = ReadVersion(zip, archive);
            var extras = names
                .Where(n => n.StartsWith(archive + "/extra/", StringComparison.Ordinal) && !n.EndsWith('/'))
                .Select(n => n[(archive.Length + "/extra/".Length)..])
                .ToList();

            if (Has("data.pkl") && hasCode && Has("constants.pkl"))
            {
                return new ModelFileInspection(ModelFileFormat.TorchScript, "a TorchScript archive", archive, version, extras);
            }

            if (Has("data.pkl") && !hasCode)
            {
                return new ModelFileInspection(ModelFileFormat.PickleZip, "a torch.save checkpoint (pickled weights, no TorchScript code)", archive, version, extras);
            }

            var missing = new[] { "data.pkl", "constants.pkl" }.Where(r => !Has(r)).ToList();
            if (!hasCode)
            {
                missing.Add("code/");
            }

            return new ModelFileInspection(ModelFileFormat.OtherZip, $"a zip that is not a complete TorchScript archive (missing {string.Join(", ", missing)})", archive, version, extras);
        }
        catch (InvalidDataException ex)
        {
            return new ModelFileInspection(ModelFileFormat.NotAModel, $"a damaged zip archive ({ex.Message.TrimEnd('.')}); the file may be truncated", null, null, Array.Empty<string>());
        }
    }

    internal static bool IsTensorFlowName(string fileName)
    {
        var name = Path.GetFileName(fileName).ToLowerInvariant();
        return name.EndsWith(".pb", StringComparison.Ordinal) || name.EndsWith(".h5", StringComparison.Ordinal)
            || name.Contains(".ckpt", StringComparison.Ordinal) || name == "checkpoint";
    }

    private static string? ReadVersion(ZipArchive zip, string archive)
    {
        var entry = zip.GetEntry(archive + "/version") ?? zip.GetEntry(archive + "/.data/version");
        if (entry is null || entry.Length > 64)
        {
            return null;
        }

        using var reader = new StreamReader(entry.Open(), Encoding.ASCII);
        return reader.ReadToEnd().Trim();
    }

    private static int ReadAtMost(Stream stream, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = stream.Read(buffer[total..]);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }
}
