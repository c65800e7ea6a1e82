using System;
using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Mmar;
using static MdaiClara.Engine.Validation.FindingFactory;

namespace MdaiClara.Engine.Validation.Rules;

/// <summary>
/// Files that exist but were not read: unreadable, too large to be a config, or links that leave the MMAR. Where
/// inference needs them this is an error: an MMAR must not pass on files nobody could check.
/// </summary>
public sealed class UnreadableFilesRule : IMmarRule
{
    private static readonly string[] NeededFolders = { "config/", "commands/", "models/" };

    public IEnumerable<MmarFinding> Check(MmarAnalysis a)
    {
        var core = a.CoreFiles;
        foreach (var file in a.UnreadableFiles)
        {
            var needed = core.Contains(file.Path, StringComparer.Ordinal) || NeededFolders.Any(f => (file.Path + "/").StartsWith(f, StringComparison.Ordinal));
            yield return new MmarFinding(MmarRuleIds.FileUnreadable, needed ? FindingSeverity.Error : FindingSeverity.Warning,
                $"{file.Path} was not read: {file.Reason}.{(needed ? " Inference and deployment need it; make it a readable regular file inside the MMAR." : string.Empty)}",
                file.Path);
        }
    }
}
