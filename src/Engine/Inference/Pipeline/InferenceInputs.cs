using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Logging;

namespace MdaiClara.Engine.Inference.Pipeline;

/// <summary>
/// Turns paths into inputs: each NIfTI file and picture is one input, DICOM files (given one by one or found in
/// folders, recursively) are grouped by series and each series is one input. Files that are none of these are reported.
/// </summary>
public static class InferenceInputs
{
    public static (IReadOnlyList<InputSource> Inputs, IReadOnlyList<DicomSkippedFile> Skipped) FromPaths(IEnumerable<string> paths, CancellationToken cancellationToken, IEngineLog? log)
    {
        var sources = MedicalImageSources.From(paths);
        var inputs = new List<InputSource>();
        inputs.AddRange(sources.NiftiFiles.Where(f => !f.EndsWith(".img", System.StringComparison.OrdinalIgnoreCase)).Select(f => InputSource.FromFile(f, Stem(f))));
        var pictures = sources.DicomCandidates.Where(ImageLoader.IsPicture).ToList();
        inputs.AddRange(pictures.Select(f => InputSource.FromFile(f, Stem(f))));
        var dicom = sources.DicomCandidates.Except(pictures).ToList();
        var skipped = new List<DicomSkippedFile>();
        if (dicom.Count > 0)
        {
            var scan = DicomSeriesAssembler.Scan(dicom, cancellationToken, log);
            inputs.AddRange(scan.Series.Select(InputSource.FromSeries));
            skipped.AddRange(scan.Skipped);
        }

        return (inputs, skipped);
    }

    /// <summary>The file name without its image extension (".nii.gz" counts as one).</summary>
    /// <summary>An input's name as a file name stem: characters the file system refuses become '_'.</summary>
    public static string SafeFileName(string name)
    {
        var invalid = Path.GetInvalidFileNameChars();
        var safe = new string(name.Select(c => invalid.Contains(c) ? '_' : c).ToArray());
        return safe.Length > 0 ? safe : "input";
    }

    public static string Stem(string path)
    {
        var name = Path.GetFileName(path);
        foreach (var ext in new[] { ".nii.gz", ".nii", ".hdr", ".png", ".jpg", ".jpeg", ".bmp", ".dcm" })
        {
            if (name.EndsWith(ext, System.StringComparison.OrdinalIgnoreCase) && name.Length > ext.Length)
            {
                return name[..^ext.Length];
            }
        }

        return name;
    }
}
