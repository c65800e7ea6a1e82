using System;
using System.IO;

namespace MdaiClara.Engine.Imaging.Nifti;

/// <summary>File names of NIfTI images: which extension means what, and the two halves of a .hdr/.img pair.</summary>
internal static class NiftiPaths
{
    /// <summary>True when <paramref name="path"/> ends in .gz (the writer compresses such files).</summary>
    public static bool IsGzipName(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>The extension without any .gz: ".nii", ".hdr", ".img" or whatever else it is (lower case).</summary>
    public static string BaseExtension(string path)
    {
        var name = IsGzipName(path) ? path[..^3] : path;
        return Path.GetExtension(name).ToLowerInvariant();
    }

    /// <summary>
    /// Where the header and the voxels of the image named <paramref name="path"/> are: the file itself, or for a
    /// .hdr/.img pair (each possibly gzipped) the two halves, whichever of them was named.
    /// </summary>
    public static (string Header, string Image) ForReading(string path)
    {
        var extension = BaseExtension(path);
        if (extension is not (".hdr" or ".img"))
        {
            return (path, path);
        }

        var stem = (IsGzipName(path) ? path[..^3] : path)[..^4];
        var header = extension == ".hdr" ? path : Sibling(stem, ".hdr");
        var image = extension == ".img" ? path : Sibling(stem, ".img");
        return (header, image);
    }

    /// <summary>The existing one of stem+extension and stem+extension+".gz" (either case); the plain name when neither exists.</summary>
    private static string Sibling(string stem, string extension)
    {
        foreach (var candidate in new[] { stem + extension, stem + extension + ".gz", stem + extension.ToUpperInvariant(), stem + extension.ToUpperInvariant() + ".GZ" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return stem + extension;
    }
}
