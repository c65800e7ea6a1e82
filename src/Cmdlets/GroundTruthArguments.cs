using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Evaluation;

namespace MdaiClara.Cmdlets;

/// <summary>
/// Ground-truth sources as cmdlets name them: Measure-ClaraModel's parameters, or Publish-MdaiModel's -GroundTruth
/// ('Validation', or a hashtable with the same keys as Measure-ClaraModel's parameters).
/// </summary>
internal static class GroundTruthArguments
{
    private static readonly string[] Keys = { "Path", "LabelPath", "DataList", "DataListKey", "DataRoot", "Study", "Annotations", "LabelName", "LabelMap" };

    public static string Full(PSCmdlet cmdlet, string path) => cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    public static IReadOnlyList<string> Full(PSCmdlet cmdlet, IEnumerable<string> paths) => paths.Select(p => Full(cmdlet, p)).ToList();

    /// <summary>-LabelName 'Spleen' is class 1; -LabelMap @{ 'Spleen' = 1 } names each class value.</summary>
    public static IReadOnlyDictionary<string, int>? LabelMap(string? labelName, Hashtable? labelMap, string parameter)
    {
        if (labelName is not null)
        {
            return new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase) { [labelName] = 1 };
        }

        if (labelMap is null)
        {
            return null;
        }

        var map = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in labelMap)
        {
            var value = entry.Value is PSObject ps ? ps.BaseObject : entry.Value;
            var number = value switch
            {
                int i => i,
                long l when l is > 0 and <= int.MaxValue => (int)l,
                string s when int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
                _ => 0,
            };
            if (number < 1)
            {
                throw new MdaiClaraException($"{parameter} value '{entry.Value}' for '{entry.Key}' is not a class value (an integer from 1): write it as @{{ 'Spleen' = 1 }}.", ErrorIds.DataListInvalid, ErrorKind.InvalidArgument, entry.Key);
            }

            map[Convert.ToString(entry.Key, CultureInfo.InvariantCulture)!] = number;
        }

        return map;
    }

    /// <summary>Publish-MdaiModel's -GroundTruth: 'Validation' (validate.sh's datalist) or a hashtable of Measure-ClaraModel's parameters.</summary>
    public static GroundTruthSpec FromObject(PSCmdlet cmdlet, object value)
    {
        var raw = value is PSObject ps ? ps.BaseObject : value;
        if (raw is string s && s.Equals("Validation", StringComparison.OrdinalIgnoreCase))
        {
            return GroundTruthSpec.Validation();
        }

        if (raw is not IDictionary table)
        {
            throw Invalid($"-GroundTruth takes 'Validation' or a hashtable of Measure-ClaraModel's parameters (@{{ Path = './images'; LabelPath = './labels' }}, @{{ DataList = './list.json' }}, @{{ Study = './studies'; Annotations = './export.json' }}), not {raw?.GetType().Name ?? "null"}.", raw);
        }

        var entries = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry e in table)
        {
            var key = Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? string.Empty;
            if (!Keys.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                throw Invalid($"-GroundTruth has the key '{key}', which is not one of Measure-ClaraModel's ground-truth parameters ({string.Join(", ", Keys)}).", key);
            }

            entries[key] = e.Value is PSObject p ? p.BaseObject : e.Value;
        }

        string? One(string key) => entries.TryGetValue(key, out var v) && v is not null ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;
        IReadOnlyList<string> Many(string key) => entries.TryGetValue(key, out var v) && v is not null
            ? (v is IEnumerable list and not string ? list.Cast<object>().Select(o => Convert.ToString(o is PSObject po ? po.BaseObject : o, CultureInfo.InvariantCulture)!).ToList() : new[] { Convert.ToString(v, CultureInfo.InvariantCulture)! })
            : Array.Empty<string>();
        string? Path(string key) => One(key) is { } p ? Full(cmdlet, p) : null;

        if (entries.ContainsKey("Path") || entries.ContainsKey("LabelPath"))
        {
            if (!entries.ContainsKey("Path") || !entries.ContainsKey("LabelPath"))
            {
                throw Invalid("-GroundTruth needs both Path (the images) and LabelPath (their label maps).", raw);
            }

            return new GroundTruthSpec(GroundTruthKind.Paths) { Images = Full(cmdlet, Many("Path")), Labels = Full(cmdlet, Many("LabelPath")) };
        }

        if (entries.ContainsKey("DataList"))
        {
            return new GroundTruthSpec(GroundTruthKind.DataList) { DataListFile = Path("DataList"), DataListKey = One("DataListKey"), DataRoot = Path("DataRoot") };
        }

        if (entries.ContainsKey("Study") || entries.ContainsKey("Annotations"))
        {
            if (!entries.ContainsKey("Study") || !entries.ContainsKey("Annotations"))
            {
                throw Invalid("-GroundTruth needs both Study (the DICOM folders) and Annotations (the MD.ai export JSON).", raw);
            }

            return new GroundTruthSpec(GroundTruthKind.Annotations)
            {
                Studies = Full(cmdlet, Many("Study")),
                AnnotationsFile = Path("Annotations"),
                LabelMap = LabelMap(One("LabelName"), entries.TryGetValue("LabelMap", out var m) ? m as Hashtable : null, "-GroundTruth's LabelMap"),
            };
        }

        return GroundTruthSpec.Validation(Path("DataRoot"), One("DataListKey"));
    }

    private static MdaiClaraException Invalid(string message, object? target) => new(message, ErrorIds.DataListInvalid, ErrorKind.InvalidArgument, target);
}
