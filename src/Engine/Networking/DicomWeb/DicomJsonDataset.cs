using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Networking.DicomWeb;

/// <summary>
/// One data set in the DICOM JSON model (PS3.18 F.2): an object keyed by 8-hex-digit tags, each with "vr" and
/// "Value" (strings, numbers, person-name objects or nested data sets). Read-only access by tag; a value of the wrong
/// shape reads as absent rather than failing, as the model allows servers to leave values out.
/// </summary>
public sealed class DicomJsonDataset
{
    private readonly JsonElement _element;

    private DicomJsonDataset(JsonElement element) => _element = element;

    /// <summary>The data sets of a QIDO-RS or STOW-RS answer: a JSON array of objects (or one object).</summary>
    public static IReadOnlyList<DicomJsonDataset> ParseArray(JsonDocument document, string source)
    {
        var root = document.RootElement;
        var list = new List<DicomJsonDataset>();
        if (root.ValueKind == JsonValueKind.Object)
        {
            list.Add(new DicomJsonDataset(root.Clone()));
            return list;
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(source, $"the answer is a JSON {root.ValueKind}, not an array of DICOM data sets");
        }

        foreach (var item in root.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(source, $"an entry of the answer is a JSON {item.ValueKind}, not a DICOM data set");
            }

            list.Add(new DicomJsonDataset(item.Clone()));
        }

        return list;
    }

    public static DicomJsonDataset FromElement(JsonElement element) => new(element);

    /// <summary>The first value as text: strings as written, numbers in invariant form, a person name's Alphabetic group.</summary>
    public string? GetString(uint tag)
    {
        var values = Values(tag);
        if (values is not { } array || array.GetArrayLength() == 0)
        {
            return null;
        }

        return Text(array[0]);
    }

    /// <summary>Every value as text (a multi-valued attribute such as ModalitiesInStudy).</summary>
    public IReadOnlyList<string> GetStrings(uint tag)
    {
        var list = new List<string>();
        if (Values(tag) is { } array)
        {
            foreach (var item in array.EnumerateArray())
            {
                if (Text(item) is { Length: > 0 } text)
                {
                    list.Add(text);
                }
            }
        }

        return list;
    }

    public int? GetInt(uint tag)
    {
        var text = GetString(tag);
        return text is not null && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d is >= int.MinValue and <= int.MaxValue
            ? (int)d
            : null;
    }

    public DateOnly? GetDate(uint tag) =>
        GetString(tag) is { } text && DateOnly.TryParseExact(text.Trim(), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    /// <summary>The items of a sequence (SQ); empty when absent.</summary>
    public IReadOnlyList<DicomJsonDataset> GetSequence(uint tag)
    {
        var list = new List<DicomJsonDataset>();
        if (Values(tag) is { } array)
        {
            foreach (var item in array.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object)
                {
                    list.Add(new DicomJsonDataset(item));
                }
            }
        }

        return list;
    }

    public bool Contains(uint tag) => _element.TryGetProperty(Key(tag), out _);

    private JsonElement? Values(uint tag) =>
        _element.TryGetProperty(Key(tag), out var attribute) && attribute.ValueKind == JsonValueKind.Object
        && attribute.TryGetProperty("Value", out var value) && value.ValueKind == JsonValueKind.Array
            ? value
            : null;

    private static string Key(uint tag) => tag.ToString("X8", CultureInfo.InvariantCulture);

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.Object when value.TryGetProperty("Alphabetic", out var alphabetic) && alphabetic.ValueKind == JsonValueKind.String => alphabetic.GetString(),
        _ => null,
    };

    internal static MdaiClaraException Invalid(string source, string why, Exception? inner = null) => new(
        $"{source} did not answer in the DICOM JSON model: {why}.", ErrorIds.DicomWebResponseInvalid, ErrorKind.InvalidData, source, inner);
}
