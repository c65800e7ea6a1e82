using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Imaging.Nifti;
using MdaiClara.Engine.Imaging.Seg;

namespace MdaiClara.Cmdlets.Commands;

/// <summary>
/// <para type="synopsis">Reads NIfTI files and DICOM series into geometry-aware volumes.</para>
/// <para type="description">Each NIfTI file (.nii, .nii.gz) becomes one volume, with the affine chosen as nibabel chooses it.
/// DICOM files and folders (searched recursively) become one volume per SeriesInstanceUID: slices are ordered by their
/// position along the slice normal, rescale slope and intercept are applied, and missing slices, uneven spacing, gantry
/// tilt and mixed orientations are reported with the files concerned. Files that are not DICOM are skipped (see -Verbose).
/// Voxels stay in the engine; the MdaiClara.Volume object shows shape, spacing, orientation, data type, modality and series.</para>
/// <example><code>Import-MedicalImage ./studies/ct1</code>
/// <para>Reads every DICOM series under the folder, one volume per series, and shows the PatientID, StudyDate, SeriesNumber and SeriesDescription of each.</para></example>
/// <example><code>Import-MedicalImage ./ct.nii.gz | Format-List</code>
/// <para>Reads a NIfTI volume and shows its affine, spacing and orientation.</para></example>
/// <example><code>Invoke-ClaraInference -Mmar ./mmar -Path ./studies/ct1 -OutputFormat DicomSeg -OutputPath ./out | Out-Null
/// Import-MedicalImage ./out/*_seg.dcm -ReferenceSeries ./studies/ct1</code>
/// <para>Reads a DICOM Segmentation object as a label volume on its source series' grid (segment n → its label value). A SEG found in the same folder as its source series is read onto it without -ReferenceSeries; without either, the grid spans the segmented slices only.</para></example>
/// <example><code>Get-ChildItem ./studies -Directory | Import-MedicalImage | Export-MedicalImage ./nifti</code>
/// <para>Converts each study folder's series to NIfTI files named after their SeriesInstanceUID (./nifti is created when missing).</para></example>
/// </summary>
[Cmdlet(VerbsData.Import, "MedicalImage", DefaultParameterSetName = PathSet)]
[OutputType(typeof(Volume))]
public sealed class ImportMedicalImageCommand : ClaraCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private readonly List<string> _dicomFiles = new();

    // Every file read so far: `Get-ChildItem -Recurse | Import-MedicalImage` passes folders and the files in them.
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    /// <summary><para type="description">NIfTI files, DICOM files or folders holding them. Wildcards are expanded.</para></summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = null!;

    /// <summary><para type="description">NIfTI files, DICOM files or folders, taken as written. Binds PSPath and FullName from Get-ChildItem.</para></summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = null!;

    private readonly List<Volume> _references = new();

    /// <summary><para type="description">For DICOM Segmentation objects (SEG): the source series to read them onto, as a volume from Import-MedicalImage or a folder or files of the series. Each SEG is put on the series it references.</para></summary>
    [Parameter]
    [ValidateNotNull]
    public object[]? ReferenceSeries { get; set; }

    protected override void BeginProcessing()
    {
        foreach (var item in ReferenceSeries ?? Array.Empty<object>())
        {
            var value = item is PSObject ps ? ps.BaseObject : item;
            if (value is Volume volume)
            {
                _references.Add(volume);
                continue;
            }

            foreach (var path in ResolvePaths(new[] { value.ToString()! }, literal: false, ErrorIds.InputNotFound))
            {
                var files = Directory.Exists(path) ? MedicalImageSources.From(new[] { path }).DicomCandidates : new[] { path };
                try
                {
                    var scan = RunOnWorker(token => DicomSeriesAssembler.Scan(files, token, Log));
                    foreach (var series in scan.Series)
                    {
                        _references.Add(RunOnWorker(token => DicomSeriesAssembler.Assemble(series, token, Log)));
                    }
                }
                catch (MdaiClaraException ex)
                {
                    ThrowEngineError(ex);
                }
            }
        }

        if (ReferenceSeries is not null && _references.Count == 0)
        {
            ThrowTerminatingError(new ErrorRecord(new ItemNotFoundException("-ReferenceSeries holds no DICOM series."), ErrorIds.DicomNoImages, ErrorCategory.ObjectNotFound, ReferenceSeries));
        }
    }

    protected override void ProcessRecord()
    {
        var literal = ParameterSetName == LiteralPathSet;
        foreach (var path in ResolvePaths(literal ? LiteralPath : Path, literal, ErrorIds.InputNotFound))
        {
            if (Directory.Exists(path))
            {
                var sources = MedicalImageSources.From(new[] { path });
                var nifti = sources.NiftiFiles.Where(_seen.Add).ToList();
                var dicom = sources.DicomCandidates.Where(_seen.Add).ToList();
                if (nifti.Count + dicom.Count == 0 && sources.NiftiFiles.Count + sources.DicomCandidates.Count > 0)
                {
                    WriteVerbose($"{path}: every file in it was read already.");
                    continue;
                }

                var found = ReadNifti(nifti) + ReadDicom(dicom, path, reportSkipped: false);
                if (found == 0)
                {
                    WriteError(new ErrorRecord(
                        new ItemNotFoundException($"No NIfTI file and no DICOM image was found in '{path}'{(sources.EmptyFolders.Count > 0 ? " (the folder is empty)" : string.Empty)}."),
                        ErrorIds.DicomNoImages, ErrorCategory.ObjectNotFound, path));
                }
            }
            else if (MedicalImageSources.IsNifti(path))
            {
                if (_seen.Add(path))
                {
                    ReadNifti(new[] { path });
                }
                else
                {
                    WriteVerbose($"{path} was read already.");
                }
            }
            else
            {
                // DICOM files given one by one form series together: read them all at the end.
                _dicomFiles.Add(path);
            }
        }
    }

    protected override void EndProcessing()
    {
        var files = _dicomFiles.Distinct(StringComparer.Ordinal).Where(_seen.Add).ToList();
        if (files.Count > 0)
        {
            ReadDicom(files, null, reportSkipped: true);
        }
    }

    /// <summary>Reads each file; returns how many there were (a file that fails still counts as found).</summary>
    private int ReadNifti(IReadOnlyList<string> files)
    {
        foreach (var file in files)
        {
            try
            {
                Emit(RunOnWorker(token => NiftiReader.Read(file, token)));
            }
            catch (MdaiClaraException ex)
            {
                WriteEngineError(ex);
            }
            catch (Exception ex) when (IsUnexpected(ex))
            {
                WriteUnexpectedError(ex, file);
            }
        }

        return files.Count;
    }

    /// <summary>Reads the series among the files; returns how many series (or damaged DICOM files, when no series) were found and reported.</summary>
    private int ReadDicom(IReadOnlyList<string> files, string? folder, bool reportSkipped)
    {
        if (files.Count == 0)
        {
            return 0;
        }

        var scan = RunOnWorker(token => DicomSeriesAssembler.Scan(files, token, Log));
        var damaged = 0;
        foreach (var note in scan.Skipped)
        {
            if (reportSkipped)
            {
                // A file the user named explicitly: say why it gave nothing, under the error id of the cause.
                WriteEngineError(new MdaiClaraException($"Skipped {note.Path}: {note.Reason.TrimEnd('.')}.", note.ErrorId, ErrorKind.InvalidData, note.Path));
            }
            else if (note.ErrorId is ErrorIds.DicomNotDicom or ErrorIds.DicomNoPixelData)
            {
                WriteVerbose($"Skipped {note}");
            }
            else if (scan.Series.Count > 0)
            {
                // A damaged DICOM file in a folder: the rest is read, but the user must hear about it.
                WriteWarning($"Skipped {note}");
            }
            else
            {
                // Nothing else to read: the damage is the result, and an error, not a warning.
                WriteEngineError(new MdaiClaraException($"{note.Path}: {note.Reason.TrimEnd('.')}.", note.ErrorId, ErrorKind.InvalidData, note.Path));
                damaged++;
            }
        }

        var read = new List<Volume>();
        foreach (var series in scan.Series)
        {
            try
            {
                var volume = RunOnWorker(token => DicomSeriesAssembler.Assemble(series, token, Log));
                read.Add(volume);
                Emit(volume);
            }
            catch (MdaiClaraException ex)
            {
                WriteEngineError(ex);
            }
            catch (Exception ex) when (IsUnexpected(ex))
            {
                WriteUnexpectedError(ex, series.SeriesInstanceUid);
            }
        }

        foreach (var seg in scan.Segmentations)
        {
            try
            {
                var referenced = DicomSegReader.ReferencedSeriesUid(seg.File);
                var reference = _references.Concat(read).FirstOrDefault(v => v.Dicom?.SeriesInstanceUid == referenced)
                    ?? (_references.Count > 0 ? _references[0] : null);
                var labels = RunOnWorker(token => DicomSegReader.Read(seg.File, reference, token));
                foreach (var w in labels.Warnings)
                {
                    WriteWarning(w);
                }

                Emit(labels);
            }
            catch (MdaiClaraException ex) when (ex.ErrorId == ErrorIds.SegReferenceMismatch)
            {
                WriteEngineError(new MdaiClaraException(ex.Message + " Give the SEG's source series with -ReferenceSeries.", ex.ErrorId, ex.Kind, ex.Target, ex));
            }
            catch (MdaiClaraException ex)
            {
                WriteEngineError(ex);
            }
        }

        if (folder is not null && scan.Series.Count > 0)
        {
            WriteVerbose($"{folder}: {scan.Series.Count} series, {scan.Skipped.Count} file(s) skipped.");
        }

        return scan.Series.Count + scan.Segmentations.Count + damaged;
    }

    private void Emit(Volume volume) => WriteObject(TypeNames.Tag(volume, TypeNames.Volume));
}
