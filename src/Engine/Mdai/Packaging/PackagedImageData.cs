using System;
using System.Collections.Generic;
using System.IO.Compression;
using System.Linq;
using MdaiClara.Engine.Imaging;

namespace MdaiClara.Engine.Mdai.Packaging;

/// <summary>An entry of a written package that is image data no include pattern names.</summary>
public sealed record UnnamedImageData(string Entry, ImageDataMatch Match)
{
    public override string ToString() => $"{Entry} is a {Match.Format} image ({Match.Evidence})";
}

/// <summary>
/// The check publishing runs on the written zip, independent of how its files were chosen: every entry is judged by
/// its name and its first bytes (<see cref="ImageDataSniffer"/>), and image data passes only where an include pattern
/// (relative to the MMAR root) names it.
/// </summary>
public static class PackagedImageData
{
    /// <param name="archive">The package, open for reading.</param>
    /// <param name="mmarPrefix">Where the MMAR root sits in the zip (<see cref="MdaiPackageBuilder.MmarPrefix"/>).</param>
    /// <param name="include">The include patterns the package was made with.</param>
    public static IReadOnlyList<UnnamedImageData> Unnamed(ZipArchive archive, string mmarPrefix, IReadOnlyList<string> include)
    {
        var patterns = include.Select(p => MmarPathPattern.Parse(p, "include")).ToList();
        var found = new List<UnnamedImageData>();
        foreach (var entry in archive.Entries.Where(e => !e.FullName.EndsWith('/')).OrderBy(e => e.FullName, StringComparer.Ordinal))
        {
            ImageDataMatch? match;
            using (var stream = entry.Open())
            {
                match = ImageDataSniffer.Classify(entry.FullName, stream);
            }

            if (match is null)
            {
                continue;
            }

            var named = entry.FullName.StartsWith(mmarPrefix, StringComparison.Ordinal)
                && patterns.Any(p => p.Matches(entry.FullName[mmarPrefix.Length..]));
            if (!named)
            {
                found.Add(new UnnamedImageData(entry.FullName, match));
            }
        }

        return found;
    }
}
