using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Validation;
using Xunit;

namespace MdaiClara.Engine.Tests.Mdai;

/// <summary>Small helpers for the MD.ai output tests: validate JSON text and pick findings.</summary>
internal static class MdaiOutputTestData
{
    public const string Study = "1.2.3";
    public const string Series = "1.2.3.4";
    public const string Instance = "1.2.3.4.5";

    /// <summary>An ANNOTATION output with the UIDs, class 0 and the given extra members (JSON text, no braces).</summary>
    public static string Annotation(string extra = "") =>
        $$"""{"type": "ANNOTATION", "study_uid": "{{Study}}", "series_uid": "{{Series}}", "instance_uid": "{{Instance}}", "class_index": 0{{(extra.Length > 0 ? ", " + extra : string.Empty)}}}""";

    public static IReadOnlyList<MdaiOutputFinding> Validate(string json, bool strict = false, IReadOnlyDictionary<string, (int Rows, int Columns)>? sizes = null) =>
        MdaiOutputValidator.Validate(MdaiOutputJson.Parse(json), strict, sizes);

    /// <summary>The one finding; fails when there are none or several.</summary>
    public static MdaiOutputFinding Single(string json, bool strict = false) => Assert.Single(Validate(json, strict));

    public static IReadOnlyList<MdaiOutputFinding> Errors(IEnumerable<MdaiOutputFinding> findings) =>
        findings.Where(f => f.Severity == FindingSeverity.Error).ToList();

    public static IReadOnlyList<MdaiOutputFinding> Warnings(IEnumerable<MdaiOutputFinding> findings) =>
        findings.Where(f => f.Severity == FindingSeverity.Warning).ToList();
}
