using System.Management.Automation;
using MdaiClara.Engine.Networking;

namespace MdaiClara.Cmdlets.Commands;

/// <summary>
/// <para type="synopsis">Lists the PACS connections defined in this session.</para>
/// <para type="description">Shows each connection New-DicomWebConnection defined: its name, transport, address and the
/// kind of credential it sends (never the secret). -Name picks some by name (wildcards).</para>
/// <example><code>Get-DicomConnection</code>
/// <para>Lists every connection defined in this session.</para></example>
/// <example><code>Get-DicomConnection -Name pac* | Format-List</code>
/// <para>Shows the connections whose name starts with 'pac' in full.</para></example>
/// </summary>
[Cmdlet(VerbsCommon.Get, "DicomConnection")]
[OutputType(typeof(IDicomConnection))]
public sealed class GetDicomConnectionCommand : ClaraCmdlet
{
    /// <summary><para type="description">Names to show (wildcards); all when left out.</para></summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(DicomConnectionCompleter))]
    public string[]? Name { get; set; }

    protected override void EndProcessing()
    {
        var patterns = Name is null ? null : System.Array.ConvertAll(Name, n => new WildcardPattern(n, WildcardOptions.IgnoreCase));
        foreach (var name in Name ?? [])
        {
            if (!WildcardPattern.ContainsWildcardCharacters(name) && DicomConnections.Find(name) is null)
            {
                WriteError(new ErrorRecord(new ItemNotFoundException($"There is no PACS connection named '{name}' in this session."),
                    Engine.Errors.ErrorIds.DicomConnectionNotFound, ErrorCategory.ObjectNotFound, name));
            }
        }

        foreach (var connection in DicomConnections.All())
        {
            if (patterns is null || System.Array.Exists(patterns, p => p.IsMatch(connection.Name)))
            {
                WriteObject(TypeNames.Tag(connection, TypeNames.DicomConnection));
            }
        }
    }
}
