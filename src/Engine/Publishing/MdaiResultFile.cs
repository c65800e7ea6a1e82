using System;
using System.IO;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Publishing;

/// <summary>Saves an MD.ai output list as JSON (written to a temporary file, then renamed).</summary>
public static class MdaiResultFile
{
    public static void Write(JsonArray outputs, string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(temporary, outputs.ToJsonString());
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MdaiClaraException($"Cannot write {path}: {ex.Message.TrimEnd('.')}.", ErrorIds.MdaiPackageWriteFailed, ErrorKind.WriteError, path, ex);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
