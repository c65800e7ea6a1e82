using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.IO;
using MdaiClara.Engine.Mdai;

namespace MdaiClara.Engine.Publishing;

/// <summary>Saves an MD.ai output list as JSON (written to a temporary file, then renamed).</summary>
public static class MdaiResultFile
{
    /// <summary>Writes the outputs as they come (one output in memory at a time); <paramref name="written"/> sees each after it is written.</summary>
    public static void Write(IEnumerable<JsonNode> outputs, string path, Action<JsonNode>? written = null) =>
        Write(outputs, path, (o, w) => o.WriteTo(w), written);

    /// <summary>The same for a segmentation's compact outputs: masks go from their bytes to the file.</summary>
    public static void Write(IEnumerable<MdaiInstanceOutput> outputs, string path, Action<MdaiInstanceOutput>? written = null) =>
        Write(outputs, path, (o, w) => o.WriteTo(w), written);

    private static void Write<T>(IEnumerable<T> outputs, string path, Action<T, Utf8JsonWriter> writeOne, Action<T>? written)
    {
        try
        {
            AtomicFile.Write(path, file =>
            {
                using var writer = new Utf8JsonWriter(file);
                writer.WriteStartArray();
                foreach (var output in outputs)
                {
                    writeOne(output, writer);
                    writer.Flush();
                    written?.Invoke(output);
                }

                writer.WriteEndArray();
            }, createFolder: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MdaiClaraException($"Cannot write {path}: {ex.Message.TrimEnd('.')}.", ErrorIds.MdaiPackageWriteFailed, ErrorKind.WriteError, path, ex);
        }
    }
}
