using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Publishing;

/// <summary>Saves an MD.ai output list as JSON (written to a temporary file, then renamed).</summary>
public static class MdaiResultFile
{
    public static void Write(JsonArray outputs, string path) => Write(outputs.Select(o => o!), path);

    /// <summary>Writes the outputs as they come (one output in memory at a time); <paramref name="written"/> sees each after it is written.</summary>
    public static void Write(IEnumerable<JsonNode> outputs, string path, Action<JsonNode>? written = null)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(folder);
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartArray();
                foreach (var output in outputs)
                {
                    output.WriteTo(writer);
                    writer.Flush();
                    written?.Invoke(output);
                }

                writer.WriteEndArray();
            }

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
