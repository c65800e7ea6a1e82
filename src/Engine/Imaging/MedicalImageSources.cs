using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace MdaiClara.Engine.Imaging;

/// <summary>The inputs of an import, sorted by kind: NIfTI files are read one by one, DICOM files are grouped into series.</summary>
public sealed record MedicalImageSources(IReadOnlyList<string> NiftiFiles, IReadOnlyList<string> DicomCandidates, IReadOnlyList<string> EmptyFolders)
{
    private const int MaxFiles = 1_000_000;

    /// <summary>True for .nii, .nii.gz and .hdr (case-insensitive).</summary>
    public static bool IsNifti(string path)
    {
        var name = Path.GetFileName(path).ToLowerInvariant();
        return name.EndsWith(".nii", StringComparison.Ordinal) || name.EndsWith(".nii.gz", StringComparison.Ordinal) || name.EndsWith(".hdr", StringComparison.Ordinal);
    }

    /// <summary>
    /// Expands folders recursively (hidden entries skipped, links not followed out of the folder) and splits NIfTI from
    /// everything else, which is offered to the DICOM reader; it decides from the content, not the name, what is DICOM.
    /// </summary>
    public static MedicalImageSources From(IEnumerable<string> paths)
    {
        var nifti = new List<string>();
        var dicom = new List<string>();
        var empty = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.ReparsePoint | FileAttributes.System };
                var files = Directory.EnumerateFiles(path, "*", options).Take(MaxFiles).OrderBy(f => f, StringComparer.Ordinal).ToList();
                if (files.Count == 0)
                {
                    empty.Add(path);
                }

                foreach (var file in files)
                {
                    (IsNifti(file) ? nifti : dicom).Add(file);
                }
            }
            else
            {
                (IsNifti(path) ? nifti : dicom).Add(path);
            }
        }

        return new MedicalImageSources(nifti, dicom, empty);
    }
}
