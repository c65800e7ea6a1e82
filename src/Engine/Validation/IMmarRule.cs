using System.Collections.Generic;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Mmar;

namespace MdaiClara.Engine.Validation;

/// <summary>One check of Test-Mmar over an analysed MMAR.</summary>
public interface IMmarRule
{
    IEnumerable<MmarFinding> Check(MmarAnalysis analysis);
}

internal static class FindingFactory
{
    public static MmarFinding At(string ruleId, FindingSeverity severity, string message, string? file, SourceLocation? location) =>
        new(ruleId, severity, message, file, location?.Line, location?.Column);

    public static bool IsPyTorch(MmarAnalysis a) =>
        a.Info.Generation is ClaraGeneration.Clara40 or ClaraGeneration.Clara41 or ClaraGeneration.Clara4Other;
}
