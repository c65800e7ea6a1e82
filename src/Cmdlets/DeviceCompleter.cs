using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace MdaiClara.Cmdlets;

/// <summary>Tab completion for -Device without loading libtorch (so it cannot list GPUs; Cuda:N is typed).</summary>
public sealed class DeviceCompleter : IArgumentCompleter
{
    private static readonly string[] Devices = { "Auto", "Cpu", "Cuda", "Cuda:0", "Cuda:1" };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Devices
            .Where(d => d.StartsWith(wordToComplete ?? string.Empty, System.StringComparison.OrdinalIgnoreCase))
            .Select(d => new CompletionResult(d, d, CompletionResultType.ParameterValue, d));
}
