using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Validation;

namespace MdaiClara.Cmdlets.Commands;

/// <summary>
/// <para type="synopsis">Tests a model's output the way MD.ai's model server does before it accepts it.</para>
/// <para type="description">Checks what an mdai_deploy.py predict returns (a list of output dicts) with MD.ai's own
/// rules: the output types and their required keys, no unknown keys, exact Python types (an int is not a float, a
/// bool is not an int), the data shapes, the first mask value and vertex, note and image_output_tags. Returns $true
/// when MD.ai would accept it and $false when it would answer "Invalid data format returned by model". With
/// -Detailed it emits every problem instead (MD.ai stops at the first; the first Error finding is the one it would
/// report, and its MdaiMessage is MD.ai's exact text). -Strict adds warnings for what MD.ai does not look at: every
/// other mask value and vertex, probabilities, explanations. -InstanceSize checks each mask against its instance's
/// Rows × Columns.</para>
/// <para type="description">The output can be a JSON file (-Path), JSON text, or PowerShell values: hashtables or
/// objects for the dicts, arrays for the lists, [int]/[long] for Python int, [double] for float, $true/$false for
/// bool, $null for None. A piped list is unrolled by PowerShell, so every piped item is collected and the items are
/// checked together as one list at the end; piped strings are joined into one JSON text (Get-Content works with or
/// without -Raw). Use [ordered] hashtables where MD.ai's first error matters: a plain hashtable has no key order.</para>
/// <example><code>Invoke-ClaraInference -Mmar ./mmar -Path ./studies/ct1 -OutputFormat Mdai -OutputPath ./out | Out-Null
/// Test-MdaiModelOutput -Path ./out/*_mdai.json</code>
/// <para>Returns $true when MD.ai's model server would accept the list saved in the file (as json.dump writes what
/// predict returned).</para></example>
/// <example><code>$outputs = @([ordered] @{ type = 'NONE'; study_uid = '1.2.3'; series_uid = '1.2.3.4'; instance_uid = '1.2.3.4.5' })
/// $outputs | Test-MdaiModelOutput -Detailed -Strict</code>
/// <para>Lists every problem of a list of output hashtables, with MD.ai's rejections as errors and the strict
/// extras as warnings.</para></example>
/// <example><code>Test-MdaiModelOutput -InputObject @(@{ type = 'NONE'; study_uid = '1.2.3' }) -Detailed | Select-Object -First 1 -ExpandProperty MdaiMessage</code>
/// <para>Shows the text MD.ai would answer with; nothing when it accepts the output.</para></example>
/// <example><code>Set-Content ./outputs.json '[{"type": "NONE", "study_uid": "1.2.3", "series_uid": "1.2.3.4", "instance_uid": "1.2.840.1.1"}]'
/// Test-MdaiModelOutput -Path ./outputs.json -InstanceSize @{ '1.2.840.1.1' = 512, 512 } -Detailed</code>
/// <para>Also warns where a mask is not 512 × 512 for instance 1.2.840.1.1.</para></example>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "MdaiModelOutput", DefaultParameterSetName = InputObjectSet)]
[OutputType(typeof(bool))]
[OutputType(typeof(MdaiOutputFinding))]
public sealed class TestMdaiModelOutputCommand : ClaraCmdlet
{
    private const string InputObjectSet = "InputObject";
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    private readonly List<object?> _piped = new();
    private object? _argument;
    private IReadOnlyDictionary<string, (int Rows, int Columns)>? _sizes;

    /// <summary><para type="description">What predict returned: a list of hashtables or objects, JSON text, or JSON files
    /// (FileInfo objects, e.g. from Get-ChildItem). From the pipeline, every item is one element of that list (files:
    /// one list each).</para></summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    [AllowNull]
    [AllowEmptyCollection]
    [AllowEmptyString]
    public object? InputObject { get; set; }

    /// <summary><para type="description">JSON files holding what predict returned. Wildcards are expanded.</para></summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = null!;

    /// <summary><para type="description">JSON files holding what predict returned, taken as written.</para></summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = null!;

    /// <summary><para type="description">Emit the findings (RuleId, Severity, Location, Message, MdaiMessage) instead of $true/$false.</para></summary>
    [Parameter]
    public SwitchParameter Detailed { get; set; }

    /// <summary><para type="description">Also check what MD.ai does not: every mask value and row, every vertex,
    /// probabilities and explanations. These findings are warnings and do not make the result $false.</para></summary>
    [Parameter]
    public SwitchParameter Strict { get; set; }

    /// <summary><para type="description">The instances' sizes: a hashtable of SOPInstanceUID to Rows, Columns (or to an
    /// object with Rows and Columns properties). Each mask is then checked against its instance (warnings).</para></summary>
    [Parameter]
    [ValidateNotNull]
    public IDictionary InstanceSize { get; set; } = null!;

    protected override void BeginProcessing()
    {
        if (InstanceSize is not null)
        {
            _sizes = ReadInstanceSizes(InstanceSize);
        }
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == InputObjectSet)
        {
            // A piped list arrives one element at a time; the whole list is checked in EndProcessing.
            if (MyInvocation.ExpectingInput)
            {
                _piped.Add(InputObject);
            }
            else
            {
                _argument = InputObject;
            }

            return;
        }

        var paths = ParameterSetName == LiteralPathSet
            ? ResolvePaths(LiteralPath, literal: true, ErrorIds.MdaiOutputNotFound)
            : ResolvePaths(Path, literal: false, ErrorIds.MdaiOutputNotFound);
        foreach (var path in paths)
        {
            Check(path, () => MdaiOutputJson.Load(path));
        }
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName != InputObjectSet)
        {
            return;
        }

        // Files (Get-ChildItem *.json | Test-MdaiModelOutput, or -InputObject (Get-Item x.json)): each is one output list.
        var input = MyInvocation.ExpectingInput ? _piped : _argument;
        var files = Files(input);
        if (files is not null)
        {
            foreach (var file in files)
            {
                Check(file, () => MdaiOutputJson.Load(file));
            }

            return;
        }

        Func<JsonNode?> read;
        try
        {
            read = Reader(input);
        }
        catch (MdaiClaraException ex)
        {
            WriteEngineError(ex);
            return;
        }

        Check(null, read);
    }

    /// <summary>The paths when the input is one or more FileInfo objects; null otherwise.</summary>
    private static List<string>? Files(object? input)
    {
        var value = PowerShellValues.BaseOf(input);
        if (value is System.IO.FileInfo single)
        {
            return [single.FullName];
        }

        if (value is IEnumerable sequence and not IDictionary and not string)
        {
            var items = sequence.Cast<object?>().Select(PowerShellValues.BaseOf).ToList();
            if (items.Count > 0 && items.All(i => i is System.IO.FileInfo))
            {
                return items.Cast<System.IO.FileInfo>().Select(f => f.FullName).ToList();
            }
        }

        return null;
    }

    /// <summary>How to get the tree from the input: JSON text is parsed, anything else converted.</summary>
    private static Func<JsonNode?> Reader(object? input)
    {
        var value = PowerShellValues.BaseOf(input);
        if (value is string text)
        {
            return () => MdaiOutputJson.Parse(text);
        }

        if (value is IEnumerable sequence and not IDictionary)
        {
            var items = sequence.Cast<object?>().Select(PowerShellValues.BaseOf).ToList();
            if (items.Count > 0 && items.All(i => i is string))
            {
                // Get-Content without -Raw gives lines; piped or passed, they are one JSON text.
                var joined = string.Join("\n", items.Cast<string>());
                return () => MdaiOutputJson.Parse(joined);
            }
        }

        // Unwrapped here, on the pipeline thread; converted on the worker.
        var plain = PowerShellValues.Unwrap(value);
        return () => MdaiOutputJson.FromObject(plain);
    }

    private void Check(string? source, Func<JsonNode?> read)
    {
        var what = source ?? "The output";
        IReadOnlyList<MdaiOutputFinding> findings;
        try
        {
            findings = RunOnWorker(_ => MdaiOutputValidator.Validate(read(), Strict, _sizes));
        }
        catch (MdaiClaraException ex)
        {
            WriteEngineError(ex);
            return;
        }
        catch (Exception ex) when (IsUnexpected(ex))
        {
            WriteUnexpectedError(ex, what);
            return;
        }

        var errors = findings.Count(f => f.Severity == FindingSeverity.Error);
        var warnings = findings.Count - errors;
        var first = MdaiOutputValidator.FirstRejection(findings);
        WriteVerbose(first is null
            ? $"{what}: MD.ai accepts it ({warnings} warnings)."
            : $"{what}: MD.ai rejects it ({errors} errors, {warnings} warnings). Its server would answer HTTP 500 with: {Shorten(MdaiOutputValidator.ResponsePrefix + first.MdaiMessage)}");

        if (!Detailed)
        {
            WriteObject(first is null);
            return;
        }

        foreach (var finding in findings)
        {
            WriteObject(TypeNames.Tag(source is null ? finding : finding with { Source = source }, TypeNames.MdaiOutputFinding));
        }
    }

    private static string Shorten(string text) => text.Length <= 500 ? text : text[..500] + "…";

    /// <summary>-InstanceSize: UID → Rows, Columns (a pair) or an object with Rows and Columns.</summary>
    private Dictionary<string, (int Rows, int Columns)> ReadInstanceSizes(IDictionary sizes)
    {
        var result = new Dictionary<string, (int Rows, int Columns)>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in sizes)
        {
            var uid = PowerShellValues.BaseOf(entry.Key)?.ToString() ?? string.Empty;
            var value = PowerShellValues.BaseOf(entry.Value);
            object? rows = null;
            object? columns = null;
            if (value is IList { Count: 2 } pair)
            {
                rows = pair[0];
                columns = pair[1];
            }
            else if (value is not null)
            {
                var pso = PSObject.AsPSObject(value);
                rows = pso.Properties["Rows"]?.Value;
                columns = pso.Properties["Columns"]?.Value;
            }

            if (LanguagePrimitives.TryConvertTo<int>(rows, out var r) && LanguagePrimitives.TryConvertTo<int>(columns, out var c) && r > 0 && c > 0)
            {
                result[uid] = (r, c);
                continue;
            }

            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"-InstanceSize '{uid}' must be Rows, Columns (two positive integers, e.g. 512, 512) or an object with Rows and Columns."),
                "InstanceSizeInvalid",
                ErrorCategory.InvalidArgument,
                entry.Value));
        }

        return result;
    }
}
