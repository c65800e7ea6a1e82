using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Validation;

namespace MdaiClara.Cmdlets.Commands;

/// <summary>
/// <para type="synopsis">Tests whether an MMAR can run here and be deployed to MD.ai as it is.</para>
/// <para type="description">Returns $true or $false for each MMAR. With -Detailed it emits the findings instead
/// (RuleId, Severity, Message, File, Line, Column). -Deep also loads the TorchScript and runs one forward pass on a
/// dummy input shaped from the config, then checks the output channel count. Findings are data, not errors: a
/// broken MMAR gives $false (or error findings), never an exception. From a pipeline of several MMARs, -PassThru says
/// which verdict is whose: one MdaiClara.MmarVerdict per MMAR (Mmar, Name, Passed, Errors, Warnings, Findings); every
/// -Detailed finding also carries its Mmar.</para>
/// <example><code>Test-Mmar ./mmar</code>
/// <para>Returns $true when the MMAR can run here and be deployed to MD.ai as it is.</para></example>
/// <example><code>Get-Mmar ./mmar | Test-Mmar -Detailed | Where-Object Severity -ne Information</code>
/// <para>Shows what is wrong or doubtful, with the file, line and column of each finding.</para></example>
/// <example><code>Import-Module Pester
/// Test-Mmar ./mmar -Deep | Should -BeTrue</code>
/// <para>In a Pester runbook: also loads the TorchScript on the CPU and runs one forward pass.</para></example>
/// <example><code>Copy-Item ./mmar ./mmar-copy -Recurse
/// Get-ChildItem . -Directory -Filter 'mmar*' | Test-Mmar -PassThru</code>
/// <para>Tests several MMARs from a pipeline: one verdict per MMAR, with its path, name, error and warning counts and findings.</para></example>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "Mmar", DefaultParameterSetName = PathSet)]
[OutputType(typeof(bool))]
[OutputType(typeof(MmarFinding))]
[OutputType(typeof(MmarVerdict))]
public sealed class TestMmarCommand : ClaraCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string InputObjectSet = "InputObject";

    private DeviceSpec _device = DeviceSpec.Cpu;

    /// <summary><para type="description">MMAR folders or .zip files. Wildcards are expanded.</para></summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = null!;

    /// <summary><para type="description">MMAR folders or .zip files, taken as written. Binds PSPath and FullName from Get-ChildItem.</para></summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = null!;

    /// <summary><para type="description">An MMAR from Get-Mmar.</para></summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    [Alias("Mmar")]
    public MmarInfo[] InputObject { get; set; } = null!;

    /// <summary><para type="description">Emit the findings instead of $true/$false.</para></summary>
    [Parameter]
    public SwitchParameter Detailed { get; set; }

    /// <summary><para type="description">Emit one MdaiClara.MmarVerdict per MMAR instead of $true/$false: the MMAR's path and name, Passed, the error and warning counts and its Findings, so a pipeline of many MMARs says which verdict is whose.</para></summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary><para type="description">Also load the TorchScript and run one forward pass on a dummy input.</para></summary>
    [Parameter]
    public SwitchParameter Deep { get; set; }

    /// <summary><para type="description">Where -Deep runs the model: Cpu (default), Auto, Cuda or Cuda:N.</para></summary>
    [Parameter]
    [ArgumentCompleter(typeof(DeviceCompleter))]
    [ValidateNotNullOrEmpty]
    public string Device { get; set; } = "Cpu";

    protected override void BeginProcessing()
    {
        if (Detailed && PassThru)
        {
            ThrowTerminatingError(new ErrorRecord(
                new System.ArgumentException("-Detailed and -PassThru ask for two different outputs; give one (a -PassThru verdict has the findings in its Findings property)."),
                "TestMmarOutputConflict", ErrorCategory.InvalidArgument, null));
        }

        try
        {
            _device = DeviceSpec.Parse(Device);
        }
        catch (MdaiClaraException ex)
        {
            ThrowEngineError(ex);
        }
    }

    protected override void ProcessRecord()
    {
        IEnumerable<string> paths = ParameterSetName switch
        {
            InputObjectSet => InputObject.Where(m => m is not null).Select(m => m.Path),
            LiteralPathSet => ResolvePaths(LiteralPath, literal: true, ErrorIds.MmarNotFound),
            _ => ResolvePaths(Path, literal: false, ErrorIds.MmarNotFound),
        };

        foreach (var path in paths)
        {
            IReadOnlyList<MmarFinding> findings;
            try
            {
                findings = RunOnWorker(token =>
                {
                    using var source = MmarLocator.Open(path);
                    var analysis = MmarAnalyzer.Analyze(source, token);
                    var options = new MmarValidationOptions { Deep = Deep, Device = _device };
                    var found = MmarValidator.Validate(analysis, options, Deep ? ModuleState.Models : null, Log, token);
                    return Detailed ? MmarRemedies.Attach(found, MmarRemedies.PlanFor(analysis)) : found;
                });
            }
            catch (MdaiClaraException ex) when (ex.ErrorId is ErrorIds.CudaUnavailable or ErrorIds.TorchRuntimeLoadFailed or ErrorIds.DeviceInvalid)
            {
                // The machine, not the MMAR: stop the command.
                ThrowEngineError(ex);
                return;
            }
            catch (MdaiClaraException ex)
            {
                WriteEngineError(ex);
                continue;
            }
            catch (Exception ex) when (IsUnexpected(ex))
            {
                WriteUnexpectedError(ex, path);
                continue;
            }

            var passes = MmarValidator.Passes(findings);
            WriteVerbose($"{path}: {(passes ? "passes" : "fails")} ({findings.Count(f => f.Severity == FindingSeverity.Error)} errors, {findings.Count(f => f.Severity == FindingSeverity.Warning)} warnings).");
            if (PassThru)
            {
                WriteObject(TypeNames.Tag(new MmarVerdict(path, passes, findings), TypeNames.MmarVerdict));
            }
            else if (Detailed)
            {
                foreach (var finding in findings)
                {
                    WriteObject(TypeNames.Tag(finding, TypeNames.MmarFinding));
                }
            }
            else
            {
                WriteObject(passes);
            }
        }
    }
}
