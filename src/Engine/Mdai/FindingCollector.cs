using System.Collections.Generic;
using System.Globalization;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Diagnostics;

namespace MdaiClara.Engine.Mdai;

/// <summary>Collects the findings of one validation run, and words the values they mention.</summary>
internal sealed class FindingCollector
{
    private readonly List<MdaiOutputFinding> _findings = new();

    public IReadOnlyList<MdaiOutputFinding> Findings => _findings;

    /// <summary>Something MD.ai rejects; <paramref name="mdaiMessage"/> is the exact text its validator raises.</summary>
    public void Error(string ruleId, string location, string message, string mdaiMessage) =>
        _findings.Add(new MdaiOutputFinding(ruleId, location, message) { MdaiMessage = mdaiMessage });

    /// <summary>Something MD.ai accepts but that is probably wrong.</summary>
    public void Warning(string ruleId, string location, string message) =>
        _findings.Add(new MdaiOutputFinding(ruleId, location, message) { Severity = FindingSeverity.Warning });

    /// <summary>"an int (5)", "a str ('a')", "None", "a list ([1, 2])": the Python type and a short preview.</summary>
    public static string Describe(JsonNode? node)
    {
        var type = PythonValues.TypeOf(node);
        return type switch
        {
            PythonType.None => "None",
            PythonType.Other => "an object Python has no type for",
            _ => $"{Article(type)} {PythonRepr.TypeName(type)} ({PythonRepr.Preview(node)})",
        };
    }

    /// <summary>"an int", "a float", "None".</summary>
    public static string Named(PythonType type) =>
        type == PythonType.None ? "None" : $"{Article(type)} {PythonRepr.TypeName(type)}";

    /// <summary>"an int", "int or None", "float, list or None".</summary>
    public static string Alternatives(IReadOnlyList<PythonType> types)
    {
        if (types.Count == 1)
        {
            return Named(types[0]);
        }

        var names = new List<string>();
        foreach (var t in types)
        {
            names.Add(t == PythonType.None ? "None" : PythonRepr.TypeName(t));
        }

        return string.Join(", ", names.GetRange(0, names.Count - 1)) + " or " + names[^1];
    }

    /// <summary>"'a', 'b' and 'c'".</summary>
    public static string Quoted(IEnumerable<string> names)
    {
        var list = new List<string>();
        foreach (var n in names)
        {
            list.Add("'" + n + "'");
        }

        return list.Count <= 1 ? string.Concat(list) : string.Join(", ", list.GetRange(0, list.Count - 1)) + " and " + list[^1];
    }

    public static string Count(int n, string singular, string plural) =>
        n.ToString(CultureInfo.InvariantCulture) + " " + (n == 1 ? singular : plural);

    private static string Article(PythonType type) => type == PythonType.Int ? "an" : "a";
}
