using System;
using System.IO;
using System.Management.Automation;

namespace MdaiClara.Cmdlets;

/// <summary>
/// How every MdaiClara cmdlet writes files, in one place (README "Output folders and overwriting"):
/// <list type="bullet">
/// <item>An output path that names a file of the cmdlet's kind (.zip, .nii.gz) is that file; an existing folder, or a
/// path without an extension, is a folder the cmdlet names its files in.</item>
/// <item>A missing output folder (or a file's missing parent folder) is created, with its parents, only once the
/// write has been confirmed: never under -WhatIf, never for an input that failed before it was written.</item>
/// <item>An existing file is never replaced without -Force; without it the input gets an OutputFileExists error and
/// the pipeline goes on.</item>
/// </list>
/// </summary>
public abstract partial class ClaraCmdlet
{
    /// <summary>The ErrorId of a write refused because the file exists and -Force was not given.</summary>
    public const string OutputFileExistsErrorId = "OutputFileExists";

    /// <summary>The ErrorId of an output path that cannot be used (a file where a folder must be, an invalid path).</summary>
    public const string OutputPathInvalidErrorId = "OutputPathInvalid";

    /// <summary>The output path as a file-system path (relative to the current location); an invalid path stops the command.</summary>
    protected string ResolveOutputPath(string path, string parameterName)
    {
        try
        {
            return SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or ItemNotFoundException or NotSupportedException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-{parameterName} '{path}' is not a valid path: {ex.Message}", ex), OutputPathInvalidErrorId, ErrorCategory.InvalidArgument, path));
            throw; // not reached
        }
    }

    /// <summary>
    /// Whether an output path names a folder: an existing folder, or a path without an extension. A path that ends in
    /// one of <paramref name="fileSuffixes"/> names a file; any other extension is an error the caller reports.
    /// </summary>
    protected static OutputPathKind ClassifyOutputPath(string fullPath, params string[] fileSuffixes)
    {
        if (Directory.Exists(fullPath))
        {
            return OutputPathKind.Folder;
        }

        foreach (var suffix in fileSuffixes)
        {
            if (fullPath.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return OutputPathKind.File;
            }
        }

        return Path.HasExtension(fullPath) ? OutputPathKind.Unknown : OutputPathKind.Folder;
    }

    /// <summary>
    /// Creates <paramref name="folder"/> (and its parents) when missing. Call it only after ShouldProcess said yes.
    /// Returns false, with a non-terminating error for <paramref name="target"/>, when it cannot be made.
    /// </summary>
    protected bool EnsureOutputFolder(string folder, object target)
    {
        if (Directory.Exists(folder))
        {
            return true;
        }

        if (File.Exists(folder))
        {
            WriteError(new ErrorRecord(new IOException($"'{folder}' is a file; a folder is needed there to write into."), OutputPathInvalidErrorId, ErrorCategory.InvalidArgument, target));
            return false;
        }

        try
        {
            Directory.CreateDirectory(folder);
            WriteVerbose($"Created the folder {folder}.");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            WriteError(new ErrorRecord(new IOException($"Cannot create the folder '{folder}': {ex.Message}", ex), OutputPathInvalidErrorId, ErrorCategory.WriteError, target));
            return false;
        }
    }

    /// <summary>
    /// False, with a non-terminating OutputFileExists error, when <paramref name="file"/> exists and -Force was not
    /// given; true when it may be written.
    /// </summary>
    protected bool MayWrite(string file, bool force)
    {
        if (!File.Exists(file) || force)
        {
            return true;
        }

        WriteError(new ErrorRecord(
            new IOException($"'{file}' exists and was not replaced. Add -Force to replace it, or write somewhere else."),
            OutputFileExistsErrorId, ErrorCategory.ResourceExists, file));
        return false;
    }
}

/// <summary>What an output path names (see <see cref="ClaraCmdlet.ClassifyOutputPath"/>).</summary>
public enum OutputPathKind
{
    /// <summary>A file of the cmdlet's kind.</summary>
    File,

    /// <summary>An existing folder, or a path without an extension (created when first written to).</summary>
    Folder,

    /// <summary>A path with another extension: neither.</summary>
    Unknown,
}
