using System;
using System.IO;

namespace MdaiClara.Engine.IO;

/// <summary>
/// Writes a file so that a reader sees the old file or the whole new one, never a part: the content goes to a hidden
/// temporary file in the same folder (so the rename stays on one file system), which is renamed over the target, and
/// removed on any failure or cancellation. Errors are the caller's to map.
/// </summary>
public static class AtomicFile
{
    /// <param name="path">The file to write (replaced if it exists).</param>
    /// <param name="write">Writes the content.</param>
    /// <param name="createFolder">Make the target's folder first when it is missing.</param>
    /// <param name="readBack">Open the temporary file readable too, for a writer that checks what it wrote (a drop
    /// folder may allow writing only, so only such a writer asks).</param>
    public static void Write(string path, Action<FileStream> write, bool createFolder = false, bool readBack = false)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        var temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            if (createFolder)
            {
                Directory.CreateDirectory(folder);
            }

            using (var file = new FileStream(temporary, FileMode.CreateNew, readBack ? FileAccess.ReadWrite : FileAccess.Write, FileShare.None, 1 << 20))
            {
                write(file);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover hidden .tmp file is harmless and the original error matters more.
        }
    }
}
