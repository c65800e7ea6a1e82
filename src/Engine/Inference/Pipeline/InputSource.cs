using System.Collections.Generic;
using MdaiClara.Engine.Imaging;

namespace MdaiClara.Engine.Inference.Pipeline;

/// <summary>
/// What LoadImage reads for one input: a volume already in memory (Import-MedicalImage), a NIfTI file, the files of one
/// DICOM series, or a 2-D picture (PNG, JPEG, BMP).
/// </summary>
public sealed record InputSource
{
    private InputSource(string name, Volume? volume, IReadOnlyList<string> files)
    {
        Name = name;
        Volume = volume;
        Files = files;
    }

    /// <summary>Names the input in messages and output file names (file stem, or the series UID for DICOM).</summary>
    public string Name { get; }

    public Volume? Volume { get; }

    public IReadOnlyList<string> Files { get; }

    public static InputSource FromVolume(Volume volume, string name) => new(name, volume, System.Array.Empty<string>());

    public static InputSource FromFile(string path, string name) => new(name, null, new[] { path });

    public static InputSource FromFiles(IReadOnlyList<string> files, string name) => new(name, null, files);

    public override string ToString() => Name;
}
