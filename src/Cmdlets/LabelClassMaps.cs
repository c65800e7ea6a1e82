using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Cmdlets;

/// <summary>-LabelToClassIndex @{ label = class_index }: checked here, so a typo is a clear error, not a conversion failure.</summary>
internal static class LabelClassMaps
{
    public static IReadOnlyDictionary<int, int>? From(Hashtable? map)
    {
        if (map is null)
        {
            return null;
        }

        var result = new Dictionary<int, int>();
        foreach (DictionaryEntry entry in map)
        {
            var label = AsInteger(entry.Key);
            var index = AsInteger(entry.Value);
            if (label is null or < 1)
            {
                throw Invalid($"-LabelToClassIndex key '{entry.Key}' is not a label value (an integer from 1): write it as @{{ 1 = 0; 2 = 1 }}.", entry.Key);
            }

            if (index is null or < 0)
            {
                throw Invalid($"-LabelToClassIndex value '{entry.Value}' for label {label} is not an MD.ai class_index (an integer from 0).", entry.Value);
            }

            if (!result.TryAdd(label.Value, index.Value))
            {
                throw Invalid($"-LabelToClassIndex names label {label} twice (as {string.Join(" and ", map.Keys.Cast<object>().Where(k => AsInteger(k) == label).Select(k => $"'{k}'"))}); give each label once.", entry.Key);
            }
        }

        return result;
    }

    private static int? AsInteger(object? value) => value switch
    {
        int i => i,
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        byte or short or sbyte or ushort => System.Convert.ToInt32(value, CultureInfo.InvariantCulture),
        double d when d == System.Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue => (int)d,
        string s when int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        System.Management.Automation.PSObject ps => AsInteger(ps.BaseObject),
        _ => null,
    };

    private static MdaiClaraException Invalid(string message, object? target) =>
        new(message, ErrorIds.MdaiPackageOptionInvalid, ErrorKind.InvalidArgument, target);
}
