using System.Collections.Generic;
using System.Text.Json;

namespace MdaiClara.Engine.Mdai.Annotations;

/// <summary>
/// One annotation as MD.ai's annotation import takes it (what mdai-client-py's import_annotations sends, mdai-contract
/// §7.3): the label id, the UIDs its scope needs, the frame of a multi-frame instance, and for a mask its
/// foreground/background polygons; a global label has no data. <see cref="Note"/> is shown with it in MD.ai.
/// </summary>
public sealed record MdaiImportAnnotation(string LabelId, string StudyInstanceUid, string? SeriesInstanceUid, string? SopInstanceUid, int? FrameNumber, MdaiMaskData? Data)
{
    public string? Note { get; init; }

    /// <summary>The label value (segmentation) or class index (classification) it came from.</summary>
    public int SourceClass { get; init; }

    /// <summary>Pixels of the mask (0 for a global label), for display.</summary>
    public long Pixels { get; init; }

    /// <summary>Writes the JSON object: labelId, StudyInstanceUID, SeriesInstanceUID, SOPInstanceUID, frameNumber, data, note (absent keys left out).</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("labelId", LabelId);
        writer.WriteString("StudyInstanceUID", StudyInstanceUid);
        if (SeriesInstanceUid is not null)
        {
            writer.WriteString("SeriesInstanceUID", SeriesInstanceUid);
        }

        if (SopInstanceUid is not null)
        {
            writer.WriteString("SOPInstanceUID", SopInstanceUid);
        }

        if (FrameNumber is { } frame)
        {
            writer.WriteNumber("frameNumber", frame);
        }

        if (Data is { } data)
        {
            writer.WriteStartObject("data");
            WritePolygons(writer, "foreground", data.Foreground);
            WritePolygons(writer, "background", data.Background);
            writer.WriteEndObject();
        }

        if (Note is not null)
        {
            writer.WriteString("note", Note);
        }

        writer.WriteEndObject();
    }

    private static void WritePolygons(Utf8JsonWriter writer, string name, IReadOnlyList<IReadOnlyList<MdaiPoint>> polygons)
    {
        writer.WriteStartArray(name);
        foreach (var polygon in polygons)
        {
            writer.WriteStartArray();
            foreach (var p in polygon)
            {
                writer.WriteStartArray();
                writer.WriteNumberValue((long)p.X);
                writer.WriteNumberValue((long)p.Y);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }

    public override string ToString() => Data is null ? $"{LabelId} on {SeriesInstanceUid ?? StudyInstanceUid}" : $"{LabelId} on {SopInstanceUid}: {Data}";
}
