using System;
using System.IO;
using System.IO.Compression;
using System.Text;
using MdaiClara.Engine.Imaging.Nifti;

namespace MdaiClara.Engine.Imaging;

/// <summary>Which kind of medical image a file is.</summary>
public enum ImageDataFormat
{
    Nifti,
    Dicom,

    /// <summary>ITK MetaImage (.mha, .mhd).</summary>
    MetaImage,

    /// <summary>NRRD (.nrrd, .nhdr).</summary>
    Nrrd,
}

/// <summary>Why a file is taken for image data: its format, and whether its name or its bytes said so.</summary>
public sealed record ImageDataMatch(ImageDataFormat Format, bool ByContent, string Evidence)
{
    public override string ToString() => $"{Format} ({Evidence})";
}

/// <summary>
/// Recognises medical image data (possibly patient data) by a file's name and by its first bytes: a NIfTI-1 or
/// NIfTI-2 header (sizeof_hdr 348 or 540 in either byte order, with its magic), the DICM marker at byte 128, either of
/// them inside a gzip stream. Nothing beyond the first <see cref="HeadBytes"/> bytes is read, and a damaged gzip
/// stream is judged by its name alone.
/// </summary>
public static class ImageDataSniffer
{
    /// <summary>How much of a file is read for its content (enough for a gzip member's first 544 bytes).</summary>
    public const int HeadBytes = 16 * 1024;

    private const int InflatedBytes = NiftiHeader.Nifti2Size + 4;

    /// <summary>The image format a file name announces, or null.</summary>
    public static ImageDataMatch? ByName(string path)
    {
        var name = path.Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..].ToLowerInvariant();
        foreach (var (suffix, format) in new[]
                 {
                     (".nii", ImageDataFormat.Nifti), (".nii.gz", ImageDataFormat.Nifti),
                     (".dcm", ImageDataFormat.Dicom), (".dcm.gz", ImageDataFormat.Dicom), (".dicom", ImageDataFormat.Dicom), (".ima", ImageDataFormat.Dicom),
                     (".mha", ImageDataFormat.MetaImage), (".mhd", ImageDataFormat.MetaImage),
                     (".nrrd", ImageDataFormat.Nrrd), (".nhdr", ImageDataFormat.Nrrd),
                 })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && name.Length > suffix.Length)
            {
                return new ImageDataMatch(format, false, $"its name ends in {suffix}");
            }
        }

        return null;
    }

    /// <summary>The image format the first bytes of a file show (plain or gzip-compressed), or null.</summary>
    public static ImageDataMatch? ByContent(ReadOnlySpan<byte> head)
    {
        if (Plain(head) is { } plain)
        {
            return plain;
        }

        if (head.Length < 18 || head[0] != 0x1f || head[1] != 0x8b)
        {
            return null;
        }

        var inflated = new byte[InflatedBytes];
        var count = 0;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(head.ToArray(), writable: false), CompressionMode.Decompress);
            int n;
            while (count < inflated.Length && (n = gzip.Read(inflated, count, inflated.Length - count)) > 0)
            {
                count += n;
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            // A damaged or cut-off gzip stream: judge what was inflated before the damage.
        }

        return Plain(inflated.AsSpan(0, count)) is { } packed ? packed with { Evidence = packed.Evidence + ", gzip-compressed" } : null;
    }

    /// <summary>
    /// By name, else by content: reads at most <see cref="HeadBytes"/> bytes of the stream. Errors reading the stream
    /// itself are the caller's (the file is unreadable); only the gzip layer is forgiven.
    /// </summary>
    public static ImageDataMatch? Classify(string path, Stream content)
    {
        var head = new byte[HeadBytes];
        var count = 0;
        int n;
        while (count < head.Length && (n = content.Read(head, count, head.Length - count)) > 0)
        {
            count += n;
        }

        return ByContent(head.AsSpan(0, count)) ?? ByName(path);
    }

    private static ImageDataMatch? Plain(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 132 && head.Slice(128, 4).SequenceEqual("DICM"u8))
        {
            return new ImageDataMatch(ImageDataFormat.Dicom, true, "the DICM marker at byte 128");
        }

        if (NiftiHeaderCodec.Identify(head) is { } nifti)
        {
            // The magic as well as sizeof_hdr: four bytes that read 348 are not rare in other files.
            var (at, magic) = nifti.Version == 1 ? (344, new[] { "n+1\0", "ni1\0" }) : (4, new[] { "n+2\0", "ni2\0" });
            if (head.Length >= at + 4 && Array.IndexOf(magic, Encoding.ASCII.GetString(head.Slice(at, 4))) >= 0)
            {
                return new ImageDataMatch(ImageDataFormat.Nifti, true, $"a NIfTI-{nifti.Version} header");
            }
        }

        return null;
    }
}
