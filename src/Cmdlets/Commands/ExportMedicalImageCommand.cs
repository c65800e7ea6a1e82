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
/// file. When -Path is an existing folder, each volume is written there as &lt;SeriesInstanceUID&gt;.nii.gz (DICOM) or
/// under its source file's name (NIfTI).</para>
/// <example><code>Import-MedicalImage ./study/CT | Export-MedicalImage ./ct.nii.gz</code>
/// <para>Converts a DICOM series to a compressed NIfTI file.</para></example>
/// <example><code>Import-MedicalImage ./studies/* | Export-MedicalImage ./nifti -WhatIf</code>
/// <para>Shows which files would be written, one per series, without writing them.</para></example>
/// </summary>
[Cmdlet(VerbsData.Export, "MedicalImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileInfo))]
public sealed class ExportMedicalImageCommand : ClaraCmdlet
{
    /// <summary><para type="description">The volume to write, from Import-MedicalImage.</para></summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public Volume InputObject { get; set; } = null!;

    /// <summary><para type="description">A .nii or .nii.gz file, or an existing folder to write into.</para></summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = null!;

    /// <summary><para type="description">Do not overwrite an existing file.</para></summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    // Files written by this invocation: a second volume must not silently replace the first.
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);

    protected override void ProcessRecord()
    {
        string target;
        try
        {
            target = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        }
        catch (Exception ex) when (ex is ArgumentException or ItemNotFoundException or NotSupportedException or System.Management.Automation.DriveNotFoundException)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"'{Path}' is not a valid path: {ex.Message}", ex), "ExportPathInvalid", ErrorCategory.InvalidArgument, Path));
            return;
        }

        if (Directory.Exists(target))
        {
            target = System.IO.Path.Combine(target, FileNameFor(InputObject));
        }
        else if (!MedicalImageSources.IsNifti(target) || target.EndsWith(".hdr", StringComparison.OrdinalIgnoreCase))
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"'{Path}' is neither a folder nor a .nii / .nii.gz file name."), "ExportPathInvalid", ErrorCategory.InvalidArgument, Path));
            return;
        }

        if (_written.Contains(target))
        {
            WriteError(new ErrorRecord(
                new IOException($"'{target}' was already written by this command for another volume; writing this one would replace it. Give a folder to write one file per volume."),
                "ExportTargetRepeated", ErrorCategory.ResourceExists, target));
            return;
        }

        if (IsSource(InputObject, target))
        {
            WriteError(new ErrorRecord(
                new IOException($"'{target}' is the file this volume was read from; write it to another file instead."),
                "ExportOverwritesSource", ErrorCategory.InvalidOperation, target));
            return;
        }

        if (NoClobber && File.Exists(target))
        {
            WriteError(new ErrorRecord(new IOException($"'{target}' exists and -NoClobber was given."), "ExportFileExists", ErrorCategory.ResourceExists, target));
            return;
        }

        var description = $"Write the {string.Join("×", InputObject.Shape)} {InputObject.DataType} volume as NIfTI{(File.Exists(target) ? ", replacing the existing file" : string.Empty)}";
        if (!ShouldProcess(target, description))
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

    private static string FileNameFor(Volume volume)
    {
        if (volume.Dicom?.SeriesInstanceUid is { Length: > 0 } uid)
        {
            return uid + ".nii.gz";
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

        return (name.Length > 0 ? name : "volume") + ".nii.gz";
    }
}
