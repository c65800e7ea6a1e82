using System;
using System.Collections.Generic;
using System.IO;

namespace MdaiClara.Engine.Networking.Dimse.Storage;

/// <summary>
/// Where received instances go: one folder for everything (a retrieval of one series), or one subfolder per Series
/// Instance UID under a root (a standing receiver). Instances are streamed into a hidden temporary file in
/// <see cref="Staging"/> and then renamed into the folder of their series, so no folder ever holds a partial instance.
/// Safe to use from several associations at once.
/// </summary>
public sealed class DimseStoreTarget
{
    private readonly bool _perSeries;
    private readonly Dictionary<string, ReceiveFolder> _series = new(StringComparer.Ordinal);

    private DimseStoreTarget(string folder, bool perSeries)
    {
        Staging = new ReceiveFolder(folder);
        _perSeries = perSeries;
    }

    /// <summary>Every instance into <paramref name="folder"/>.</summary>
    public static DimseStoreTarget SingleFolder(string folder) => new(folder, perSeries: false);

    /// <summary>Each instance into &lt;root&gt;/&lt;SeriesInstanceUID&gt;.</summary>
    public static DimseStoreTarget SeriesFolders(string root) => new(root, perSeries: true);

    /// <summary>The folder temporary files are written in (the single folder, or the root).</summary>
    public ReceiveFolder Staging { get; }

    internal object Gate { get; } = new();

    /// <summary>The folder an instance of this series is committed to (created on first use). Call under <see cref="Gate"/>.</summary>
    internal ReceiveFolder FolderFor(string seriesInstanceUid)
    {
        if (!_perSeries)
        {
            return Staging;
        }

        if (!_series.TryGetValue(seriesInstanceUid, out var folder))
        {
            folder = new ReceiveFolder(Path.Combine(Staging.Folder, SafeName(seriesInstanceUid)));
            _series[seriesInstanceUid] = folder;
        }

        return folder;
    }

    /// <summary>A UID as a folder name; anything that is not a UID character (from a misbehaving peer) becomes '_'.</summary>
    public static string SafeName(string uid)
    {
        var chars = uid.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] is not (>= '0' and <= '9' or '.'))
            {
                chars[i] = '_';
            }
        }

        var name = new string(chars);
        return name is "." or ".." || name.Length == 0 ? "_" : name;
    }
}
