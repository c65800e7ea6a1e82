using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Mmar.Repair;

/// <summary>
/// Writes a repaired MMAR as a whole: every file of the source (the planned ones replaced or added) goes to a hidden
/// folder beside the target, which then takes the target's place by rename. A reader sees the old folder or the
/// complete new one, never a part; on any failure or cancellation the hidden folder is removed and the target is as it
/// was. Replacing an existing folder (the MMAR itself in place, or a destination with Force) moves it aside first and
/// deletes it only once the new folder is in place.
/// </summary>
public static class MmarCopyWriter
{
    /// <summary>Scripts must stay runnable: rwxr-xr-x.</summary>
    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public static void Write(MmarFileSource source, MmarRepairPlan plan, string target, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(target).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        var parent = Path.GetDirectoryName(full)!;
        var name = Path.GetFileName(full);
        var building = Path.Combine(parent, $".{name}.repair-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(parent);
            Directory.CreateDirectory(building);
            foreach (var file in source.Files.Where(f => !plan.Files.ContainsKey(f)))
            {
                cancellationToken.ThrowIfCancellationRequested();
                Copy(source, file, Destination(building, file));
            }

            foreach (var (file, text) in plan.Files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var path = Destination(building, file);
                File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                if (file.EndsWith(".sh", StringComparison.Ordinal) && !OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, Executable);
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            Swap(building, full, parent, name);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MdaiClaraException(
                $"Cannot write the repaired MMAR to {full}: {ex.Message.TrimEnd('.')}. Nothing was changed there; check that the folder is writable and has space.",
                ErrorIds.MmarRepairWriteFailed, ErrorKind.WriteError, full, ex);
        }
        finally
        {
            TryDeleteFolder(building);
        }
    }

    private static void Swap(string building, string target, string parent, string name)
    {
        if (!Directory.Exists(target))
        {
            Directory.Move(building, target);
            return;
        }

        var aside = Path.Combine(parent, $".{name}.replaced-{Guid.NewGuid():N}");
        Directory.Move(target, aside);
        try
        {
            Directory.Move(building, target);
        }
        catch
        {
            Directory.Move(aside, target);
            throw;
        }

        TryDeleteFolder(aside);
    }

    private static void Copy(MmarFileSource source, string file, string destination)
    {
        try
        {
            if (source.FileSystemPath(file) is { } path)
            {
                File.Copy(path, destination); // keeps the file's permissions
                return;
            }

            using (var input = source.OpenRead(file))
            using (var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write))
            {
                input.CopyTo(output);
            }

            if (file.EndsWith(".sh", StringComparison.Ordinal) && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(destination, Executable);
            }
        }
        catch (InvalidDataException ex)
        {
            throw new MdaiClaraException($"Cannot read {source.DisplayPath(file)}: {ex.Message.TrimEnd('.')}. Nothing was written; check that the MMAR is complete.",
                ErrorIds.MmarReadFailed, ErrorKind.InvalidData, source.DisplayPath(file), ex);
        }
    }

    private static string Destination(string root, string relative)
    {
        var path = Path.Combine(new[] { root }.Concat(relative.Split('/')).ToArray());
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    private static void TryDeleteFolder(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover hidden folder is harmless and the original outcome matters more.
        }
    }
}
