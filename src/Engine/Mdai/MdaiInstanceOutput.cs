using System.Text.Json;
using System.Text.Json.Nodes;

namespace MdaiClara.Engine.Mdai;

/// <summary>
/// One output of a segmentation for MD.ai: an ANNOTATION (a class and its rows × columns 0/1 mask) or NONE, for one
/// instance. The mask is one byte a pixel; <see cref="ToJson"/> gives the output dict (a JSON node a pixel, for the
/// validator and comparisons) and <see cref="WriteTo"/> writes it without building that tree.
/// </summary>
public sealed record MdaiInstanceOutput(string StudyUid, string SeriesUid, string InstanceUid, int? FrameNumber, int? ClassIndex, int Rows, int Columns, byte[]? Mask)
{
    public string Type => ClassIndex is null ? "NONE" : "ANNOTATION";

    /// <summary>The mask as rows of 0/1 (null for NONE).</summary>
    public int[][]? MaskRows()
    {
        if (Mask is null)
        {
            return null;
        }

        var rows = new int[Rows][];
        for (var r = 0; r < Rows; r++)
        {
            rows[r] = new int[Columns];
            for (var c = 0; c < Columns; c++)
            {
                rows[r][c] = Mask[(r * Columns) + c];
            }
        }

        return rows;
    }

    /// <summary>The output dict, keys in the generated code's order: type, the UIDs, frame_number, class_index, data.</summary>
    public JsonObject ToJson()
    {
        var output = new JsonObject
        {
            ["type"] = Type,
            ["study_uid"] = StudyUid,
            ["series_uid"] = SeriesUid,
            ["instance_uid"] = InstanceUid,
        };
        if (FrameNumber is { } frame)
        {
            output["frame_number"] = frame;
        }

        if (ClassIndex is { } classIndex)
        {
            output["class_index"] = classIndex;
            var rows = new JsonNode?[Rows];
            var cells = new JsonNode?[Columns];
            for (var r = 0; r < Rows; r++)
            {
                for (var c = 0; c < Columns; c++)
                {
                    cells[c] = JsonValue.Create((int)Mask![(r * Columns) + c]);
                }

                rows[r] = new JsonArray(cells);
            }

            output["data"] = new JsonObject { ["mask"] = new JsonArray(rows) };
        }

        return output;
    }

    /// <summary>Writes the output dict as <see cref="ToJson"/> gives it, straight from the mask.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("type", Type);
        writer.WriteString("study_uid", StudyUid);
        writer.WriteString("series_uid", SeriesUid);
        writer.WriteString("instance_uid", InstanceUid);
        if (FrameNumber is { } frame)
        {
            writer.WriteNumber("frame_number", frame);
        }

        if (ClassIndex is { } classIndex)
        {
            writer.WriteNumber("class_index", classIndex);
            writer.WriteStartObject("data");
            writer.WriteStartArray("mask");
            for (var r = 0; r < Rows; r++)
            {
                writer.WriteStartArray();
                for (var c = 0; c < Columns; c++)
                {
                    writer.WriteNumberValue(Mask![(r * Columns) + c]);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
