using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Imaging.Dicom.Writing;
using MdaiClara.Engine.Imaging.Seg;
using MdaiClara.Engine.Inference.Pipeline;

namespace MdaiClara.Cmdlets;

/// <summary>
/// -SegmentMap @{ 1 = 'spleen'; 2 = @{ Label = 'tumour'; Category = 'SCT:49755003:Morphologically Altered Structure';
/// Type = 'SCT:108369006:Neoplasm'; Color = '#ff0000'; Description = '…' } } → segment descriptions by label value,
/// and the options of a SEG made from an inference result or a label volume.
/// </summary>
internal static class SegmentMaps
{
    public static IReadOnlyDictionary<int, SegmentDescription> From(Hashtable? map)
    {
        var result = new Dictionary<int, SegmentDescription>();
        if (map is null)
        {
            return result;
        }

        foreach (DictionaryEntry entry in map)
        {
            var label = AsInteger(entry.Key);
            if (label is null or < 1 or > 65535)
            {
                throw Invalid($"-SegmentMap key '{entry.Key}' is not a label value (an integer from 1 to 65535): write it as @{{ 1 = 'spleen' }}.", entry.Key);
            }

            var value = entry.Value is PSObject ps ? ps.BaseObject : entry.Value;
            var description = value switch
            {
                string name => new SegmentDescription { Label = name },
                IDictionary fields => Describe(label.Value, fields),
                _ => throw Invalid($"-SegmentMap value for label {label} must be a name or a hashtable with Label, Category, Type, Color and Description.", entry.Value),
            };
            if (!result.TryAdd(label.Value, description))
            {
                throw Invalid($"-SegmentMap names label {label} twice; give each label once.", entry.Key);
            }
        }

        return result;
    }

    public static DicomSegOptions Options(InferenceResult? result, IReadOnlyDictionary<int, SegmentDescription> segments, int? seriesNumber, string? seriesDescription, string? uidRoot)
    {
        var options = new DicomSegOptions
        {
            Segments = segments,
            UidRoot = uidRoot,
            ClassNames = result?.Classes.Where(c => c.Label > 0).ToDictionary(c => c.Label, c => c.Name) ?? new Dictionary<int, string>(),
            AlgorithmName = result?.Model ?? "MdaiClara",
            AlgorithmVersion = result?.ModelVersion,
            ModelSha256 = result?.ModelSha256,
        };
        options = seriesNumber is { } n ? options with { SeriesNumber = n } : options;
        return seriesDescription is { } d ? options with { SeriesDescription = d } : result is not null ? options with { SeriesDescription = $"{result.Model} segmentation" } : options;
    }

    private static SegmentDescription Describe(int label, IDictionary fields)
    {
        string? Text(string key) => fields.Keys.Cast<object>().FirstOrDefault(k => string.Equals(k?.ToString(), key, System.StringComparison.OrdinalIgnoreCase)) is { } found
            ? (fields[found] is PSObject p ? p.BaseObject : fields[found])?.ToString()
            : null;
        foreach (var key in fields.Keys.Cast<object>().Select(k => k?.ToString() ?? string.Empty))
        {
            if (!new[] { "Label", "Category", "Type", "Color", "Description" }.Contains(key, System.StringComparer.OrdinalIgnoreCase))
            {
                throw Invalid($"-SegmentMap entry for label {label} has an unknown key '{key}'; the keys are Label, Category, Type, Color and Description.", key);
            }
        }

        DicomCode? Code(string key) => Text(key) is { } text
            ? DicomCode.Parse(text) ?? throw Invalid($"-SegmentMap {key} '{text}' for label {label} is not a code: write it as 'SCHEME:VALUE:Meaning', e.g. 'SCT:78961009:Spleen'.", text)
            : null;
        return new SegmentDescription
        {
            Label = Text("Label"),
            Category = Code("Category"),
            Type = Code("Type"),
            Color = Text("Color") is { } color ? ParseColor(label, color) : null,
            Description = Text("Description"),
        };
    }

    private static SegmentColor ParseColor(int label, string text)
    {
        var hex = text.TrimStart('#');
        if (hex.Length == 6 && int.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rgb))
        {
            return new SegmentColor((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);
        }

        throw Invalid($"-SegmentMap Color '{text}' for label {label} is not a colour: write it as '#rrggbb', e.g. '#ff0000'.", text);
    }

    private static int? AsInteger(object? value) => value switch
    {
        int i => i,
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        byte or short or sbyte or ushort => System.Convert.ToInt32(value, CultureInfo.InvariantCulture),
        string s when int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        PSObject ps => AsInteger(ps.BaseObject),
        _ => null,
    };

    private static MdaiClaraException Invalid(string message, object? target) =>
        new(message, ErrorIds.SegSegmentMapInvalid, ErrorKind.InvalidArgument, target);
}
