using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Management.Automation;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Mdai;

namespace MdaiClara.Cmdlets;

/// <summary>
/// Turns what PowerShell hands a cmdlet into plain CLR values the engine understands: PSObject wrappers are
/// removed, a PSCustomObject becomes an ordered dictionary of its properties, and dictionaries and lists are
/// rebuilt with their contents unwrapped. Numbers, booleans and strings keep their CLR types (int stays int,
/// double stays double), which is what keeps Python's int/float/bool apart later.
/// </summary>
internal static class PowerShellValues
{
    /// <summary>Runs on the pipeline thread: script properties need the runspace.</summary>
    public static object? Unwrap(object? value) => Unwrap(value, 0);

    /// <summary>The value without its PSObject wrapper (the same object for anything else).</summary>
    public static object? BaseOf(object? value) => value is PSObject pso && pso.BaseObject is not PSCustomObject ? pso.BaseObject : value;

    private static object? Unwrap(object? value, int depth)
    {
        if (depth > MdaiOutputJson.MaxDepth)
        {
            throw new MdaiClaraException($"The value nests deeper than {MdaiOutputJson.MaxDepth} levels; it probably refers to itself.", ErrorIds.MdaiOutputValueUnsupported, ErrorKind.InvalidArgument);
        }

        switch (value)
        {
            case null:
                return null;
            case PSObject pso when pso.BaseObject is PSCustomObject:
                var properties = new OrderedDictionary();
                foreach (var property in pso.Properties)
                {
                    properties[property.Name] = Unwrap(property.Value, depth + 1);
                }

                return properties;
            case PSObject pso:
                return Unwrap(pso.BaseObject, depth);
            case string or byte[]:
                return value;
            case IDictionary dictionary:
                var copy = new OrderedDictionary();
                foreach (DictionaryEntry entry in dictionary)
                {
                    copy[BaseOf(entry.Key) ?? string.Empty] = Unwrap(entry.Value, depth + 1);
                }

                return copy;
            case IEnumerable sequence:
                var items = new List<object?>();
                foreach (var item in sequence)
                {
                    items.Add(Unwrap(item, depth + 1));
                }

                return items;
            default:
                return value;
        }
    }
}
