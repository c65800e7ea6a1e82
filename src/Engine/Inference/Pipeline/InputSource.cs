using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Imaging.Dicom;

namespace MdaiClara.Engine.Inference.Pipeline;

/// <summary>
/// What LoadImage reads for one input: a volume already in memory (Import-MedicalImage), a NIfTI file, the files of one
/// DICOM series, or a 2-D picture (PNG, JPEG, BMP).
/// </summary>
public sealed record InputSource
{
    private InputSource(string name, Volume? volume, IReadOnlyList<string> files, DicomSeriesFiles? series = null)
    {
        Name = name;
        Volume = volume;
        Files = files;
        Series = series;
    }

    /// <summary>Names the input in messages and output file names (file stem, or the series UID for DICOM).</summary>
    public string Name { get; }

    public Volume? Volume { get; }

    public IReadOnlyList<string> Files { get; }

    /// <summary>A DICOM series already grouped by a scan (its headers are not read again).</summary>
    public DicomSeriesFiles? Series { get; }

    public static InputSource FromVolume(Volume volume, string name) => new(name, volume, System.Array.Empty<string>());

    public static InputSource FromFile(string path, string name) => new(name, null, new[] { path });

    public static InputSource FromFiles(IReadOnlyList<string> files, string name) => new(name, null, files);

    public static InputSource FromSeries(DicomSeriesFiles series) =>
        new(series.SeriesInstanceUid, null, series.Instances.Select(i => i.Path).ToList(), series);

    /// <summary>The same input under another name (two inputs of one run must not write the same files).</summary>
    public InputSource Renamed(string name) => new(name, Volume, Files, Series);

    public override string ToString() => Name;
}
