using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Imaging.Nifti;

namespace MdaiClara.Cmdlets.Commands;

/// <summary>
/// <para type="synopsis">Writes volumes to NIfTI files (.nii or .nii.gz).</para>
/// <para type="description">Writes each volume with its affine as both sform and qform, so nibabel, MONAI and ITK read
/// the same geometry back. The file is written to a temporary name and then renamed, so a failure never leaves half a
/// file. When -Path is a folder, each volume is written there as &lt;SeriesInstanceUID&gt;.nii.gz (DICOM; -NameTemplate
/// names them by other header fields) or under its source file's name (NIfTI). Existing files are replaced only with
/// -Force; a missing folder is created when the first file is written.</para>
/// <example><code>Import-MedicalImage ./studies/ct1 | Export-MedicalImage ./ct1.nii.gz</code>
/// <para>Converts a DICOM series to a compressed NIfTI file.</para></example>
/// <example><code>Import-MedicalImage ./studies/* | Export-MedicalImage ./nifti -WhatIf</code>
/// <para>Shows which files would be written, one per series, without writing them (and without creating ./nifti).</para></example>
/// <example><code>Import-MedicalImage ./studies/* | Export-MedicalImage ./nifti -NameTemplate '{PatientID}_{SeriesNumber}'</code>
/// <para>Writes one file per series into ./nifti (created when missing), named by patient and series number instead of the SeriesInstanceUID.</para></example>
/// <example><code>Import-MedicalImage ./ct.nii.gz | Export-MedicalImage ./copy.nii
/// Import-MedicalImage ./ct.nii.gz | Export-MedicalImage ./copy.nii -Force</code>
/// <para>Writes an uncompressed copy, then replaces it: without -Force an existing file is kept.</para></example>
/// </summary>
[Cmdlet(VerbsData.Export, "MedicalImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileInfo))]
public sealed class ExportMedicalImageCommand : ClaraCmdlet
{
    /// <summary><para type="description">The volume to write, from Import-MedicalImage.</para></summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public Volume InputObject { get; set; } = null!;

    /// <summary><para type="description">A .nii or .nii.gz file, or a folder to write one file per volume into (a path without an extension; created, with its parents, when the first file is written; not under -WhatIf).</para></summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = null!;

    /// <summary><para type="description">How files written into a folder are named, for volumes read from DICOM: header fields in braces, e.g. '{PatientID}_{SeriesNumber}' (fields: PatientID, StudyDate, SeriesNumber, SeriesDescription, SeriesInstanceUID, StudyInstanceUID, Modality). Default '{SeriesInstanceUID}'. Characters file systems refuse become '_'; two volumes with one name get -2, -3. NIfTI volumes keep their source file's name.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string NameTemplate { get; set; } = OutputNames.DefaultTemplate;

    /// <summary><para type="description">Replace files that already exist. Without it an existing file is kept and the volume gets an OutputFileExists error.</para></summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary><para type="description">Do not overwrite an existing file. This is what happens without -Force anyway; the switch is kept so that scripts passing it still run.</para></summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    // Files written by this invocation: a second volume must not silently replace the first.
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private string? _target;
    private OutputPathKind _kind;

    protected override void BeginProcessing()
    {
        if (OutputNames.Problem(NameTemplate) is { } problem)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-NameTemplate '{NameTemplate}' cannot be used: {problem}"), "NameTemplateInvalid", ErrorCategory.InvalidArgument, NameTemplate));
        }

        if (Force && NoClobber)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-Force and -NoClobber contradict each other; give one."), "ExportPathInvalid", ErrorCategory.InvalidArgument, null));
        }

        _target = ResolveOutputPath(Path, nameof(Path));
        _kind = ClassifyOutputPath(_target, ".nii.gz", ".nii");
        if (_kind == OutputPathKind.Unknown)
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"'{Path}' is neither a folder nor a .nii / .nii.gz file name."), "ExportPathInvalid", ErrorCategory.InvalidArgument, Path));
        }
    }

    protected override void ProcessRecord()
    {
        var folder = _kind == OutputPathKind.Folder ? _target! : System.IO.Path.GetDirectoryName(_target!)!;
        string target;
        if (_kind == OutputPathKind.Folder)
        {
            // One file per volume; a name this command already used gets -2, -3 (as Invoke-ClaraInference names results).
            var stem = StemFor(InputObject);
            target = System.IO.Path.Combine(folder, stem + ".nii.gz");
            for (var n = 2; _written.Contains(target); n++)
            {
                target = System.IO.Path.Combine(folder, $"{stem}-{n}.nii.gz");
            }
        }
        else
        {
            target = _target!;
            if (_written.Contains(target))
            {
                WriteError(new ErrorRecord(
                    new IOException($"'{target}' was already written by this command for another volume; writing this one would replace it. Give a folder to write one file per volume."),
                    "ExportTargetRepeated", ErrorCategory.ResourceExists, target));
                return;
            }
        }

        if (IsSource(InputObject, target))
        {
            WriteError(new ErrorRecord(
                new IOException($"'{target}' is the file this volume was read from; write it to another file instead."),
                "ExportOverwritesSource", ErrorCategory.InvalidOperation, target));
            return;
        }

        if (!MayWrite(target, Force))
        {
            return;
        }

        var description = $"Write the {string.Join("×", InputObject.Shape)} {InputObject.DataType} volume as NIfTI{(File.Exists(target) ? ", replacing the existing file" : string.Empty)}";
        if (!ShouldProcess(target, description) || !EnsureOutputFolder(folder, target))
        {
            return;
        }

        try
        {
            var volume = InputObject;
            RunOnWorker(token =>
            {
                NiftiWriter.Write(volume, target, token);
                return true;
            });
            _written.Add(target);
            WriteObject(new FileInfo(target));
        }
        catch (MdaiClaraException ex)
        {
            WriteEngineError(ex);
        }
        catch (Exception ex) when (IsUnexpected(ex))
        {
            WriteUnexpectedError(ex, target);
        }
    }

    private static bool IsSource(Volume volume, string target)
    {
        try
        {
            return volume.Source.Length > 0 && string.Equals(System.IO.Path.GetFullPath(volume.Source), System.IO.Path.GetFullPath(target), StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return false;
        }
    }

    private string StemFor(Volume volume)
    {
        if (volume.Dicom is { SeriesInstanceUid.Length: > 0 } dicom)
        {
            return OutputNames.Apply(NameTemplate, SeriesNameFields.From(dicom, volume.Modality));
        }

        var name = System.IO.Path.GetFileName(volume.Source);
        foreach (var suffix in new[] { ".nii.gz", ".nii", ".hdr" })
        {
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                name = name[..^suffix.Length];
                break;
            }
        }

        return OutputNames.Sanitize(name.Length > 0 ? name : "volume");
    }
}
