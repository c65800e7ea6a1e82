using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using MdaiClara.Engine.Networking;

namespace MdaiClara.Cmdlets;

/// <summary>
/// Lets a -Connection parameter take a connection object or the name of one defined in this session
/// (New-DicomWebConnection -Name); an unknown name is a clear error listing the names there are.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class DicomConnectionAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        switch (value)
        {
            case IDicomConnection connection:
                return connection;
            case string name when name.Length > 0:
                return DicomConnections.Find(name) ?? throw new ArgumentTransformationMetadataException(
                    $"There is no PACS connection named '{name}' in this session. "
                    + (DicomConnections.Names() is { Count: > 0 } names ? $"Defined: {string.Join(", ", names)}." : "Define one with New-DicomWebConnection -Uri <address> -Name " + name + "."));
            default:
                throw new ArgumentTransformationMetadataException(
                    $"-Connection takes a connection from New-DicomWebConnection or its name, not a {value?.GetType().Name ?? "null"}.");
        }
    }
}

/// <summary>Tab completion of -Connection with the names defined in this session.</summary>
internal sealed class DicomConnectionCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        DicomConnections.Names()
            .Where(n => n.StartsWith(wordToComplete.Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n.Contains(' ', StringComparison.Ordinal) ? $"'{n}'" : n, n, CompletionResultType.ParameterValue, n));
}
