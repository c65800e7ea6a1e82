using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using MdaiClara.Engine.Bundles;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Validation.Bundles;

namespace MdaiClara.Cmdlets.Commands;

/// <summary>
/// <para type="synopsis">Tests whether a MONAI bundle can run here as it is.</para>
/// <para type="description">Returns $true or $false for each bundle. With -Detailed it emits the findings instead
/// (RuleId, Severity, Message, File, Line, Column, Remedy): config syntax with line and column, metadata.json fields
/// missing or of the wrong type, monai_version, references and macros that do not resolve, "$" expressions outside
/// what MdaiClara reads without running Python, _target_ names that MdaiClara's transforms and inferers (the ones MMARs
/// use) do not implement, the bundle's own scripts, only models/model.pt and no TorchScript (with MONAI's ckpt_export
/// command that makes one), and paths that lead outside the bundle. -Deep also loads models/model.ts and runs one
/// forward pass on a dummy input of the declared shape (network_data_format), then checks the output channels.
/// Findings are data, not errors: a broken bundle gives $false, never an exception.</para>
/// <example><code>Test-MonaiBundle ./bundle</code>
/// <para>Returns $true when the bundle can run here as it is.</para></example>
/// <example><code>Remove-Item ./bundle/models/model.ts
/// Set-Content ./bundle/models/model.pt 'checkpoint'
/// Test-MonaiBundle ./bundle -Detailed | Where-Object Severity -eq Error | Format-List RuleId, Message, Remedy</code>
/// <para>A bundle with only a checkpoint: the finding names the ckpt_export command that makes models/model.ts.</para></example>
/// <example><code>Import-Module Pester
/// Get-MonaiBundle ./bundle | Test-MonaiBundle -Deep | Should -BeTrue</code>
/// <para>In a Pester runbook: also loads the TorchScript on the CPU and runs one forward pass with the declared input shape.</para></example>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "MonaiBundle", DefaultParameterSetName = PathSet)]
[OutputType(typeof(bool))]
[OutputType(typeof(BundleFinding))]
public sealed class TestMonaiBundleCommand : ClaraCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string InputObjectSet = "InputObject";

    private DeviceSpec _device = DeviceSpec.Cpu;

    /// <summary><para type="description">Bundle folders or .zip files. Wildcards are expanded.</para></summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = null!;

    /// <summary><para type="description">Bundle folders or .zip files, taken as written. Binds PSPath and FullName from Get-ChildItem.</para></summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = null!;

    /// <summary><para type="description">A bundle from Get-MonaiBundle.</para></summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    [Alias("Bundle")]
    public BundleInfo[] InputObject { get; set; } = null!;

    /// <summary><para type="description">Emit the findings instead of $true/$false.</para></summary>
    [Parameter]
    public SwitchParameter Detailed { get; set; }

    /// <summary><para type="description">Also load models/model.ts and run one forward pass on a dummy input of the declared shape.</para></summary>
    [Parameter]
    public SwitchParameter Deep { get; set; }

    /// <summary><para type="description">Where -Deep runs the model: Cpu (default), Auto, Cuda or Cuda:N.</para></summary>
    [Parameter]
    [ArgumentCompleter(typeof(DeviceCompleter))]
    [ValidateNotNullOrEmpty]
    public string Device { get; set; } = "Cpu";

    protected override void BeginProcessing()
    {
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
            InputObjectSet => InputObject.Where(b => b is not null).Select(b => b.Path),
            LiteralPathSet => ResolvePaths(LiteralPath, literal: true, ErrorIds.BundleNotFound),
            _ => ResolvePaths(Path, literal: false, ErrorIds.BundleNotFound),
        };

        foreach (var path in paths)
        {
            IReadOnlyList<BundleFinding> findings;
            try
            {
                findings = RunOnWorker(token =>
                {
                    using var analysis = BundleAnalyzer.Analyze(path, token);
                    var options = new BundleValidationOptions { Deep = Deep, Device = _device };
                    return BundleValidator.Validate(analysis, options, Deep ? ModuleState.Models : null, Log, token);
                });
            }
            catch (MdaiClaraException ex) when (ex.ErrorId is ErrorIds.CudaUnavailable or ErrorIds.TorchRuntimeLoadFailed or ErrorIds.DeviceInvalid)
            {
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

            var passes = BundleValidator.Passes(findings);
            WriteVerbose($"{path}: {(passes ? "passes" : "fails")} ({findings.Count(f => f.Severity == FindingSeverity.Error)} errors, {findings.Count(f => f.Severity == FindingSeverity.Warning)} warnings).");
            if (Detailed)
            {
                foreach (var finding in findings)
                {
                    WriteObject(TypeNames.Tag(finding, TypeNames.BundleFinding));
                }
            }
            else
            {
                WriteObject(passes);
            }
        }
    }
}
