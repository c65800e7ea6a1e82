using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Mmar;
using static MdaiClara.Engine.Validation.FindingFactory;

namespace MdaiClara.Engine.Validation.Rules;

/// <summary><c>{NAME}</c> placeholders that nothing defines, and infer.sh arguments that only a shell could evaluate.</summary>
public sealed class UnresolvedVariablesRule : IMmarRule
{
    public IEnumerable<MmarFinding> Check(MmarAnalysis a)
    {
        foreach (var u in a.UnresolvedPlaceholders)
        {
            yield return u.StopsInference
                ? At(MmarRuleIds.UnresolvedVariable, FindingSeverity.Error,
                    $"{{{u.Name}}} at '{u.JsonPointer}' is not defined in config/environment.json, the config's own top-level keys or commands/infer.sh --set, and inference needs it.",
                    u.File, u.Location)
                : At(MmarRuleIds.UnresolvedVariable, FindingSeverity.Warning,
                    $"{{{u.Name}}} at '{u.JsonPointer}' is not defined in config/environment.json, the config's own top-level keys or commands/infer.sh --set.",
                    u.File, u.Location);
        }

        foreach (var arg in a.Info.InferScript?.UnresolvedArguments ?? Enumerable.Empty<string>())
        {
            yield return At(MmarRuleIds.ShellArgumentIgnored, FindingSeverity.Information,
                $"commands/infer.sh passes '{arg}', which needs the shell to evaluate; MdaiClara ignores it and uses the value from config/environment.json.",
                "commands/infer.sh", null);
        }
    }
}
