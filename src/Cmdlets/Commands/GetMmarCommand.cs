using System;
using System.Management.Automation;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Mmar;

namespace MdaiClara.Cmdlets.Commands;

/// <summary>
/// <para type="synopsis">Opens Clara Train MMARs (folders or .zip files) and describes them.</para>
/// <para type="description">Reads the MMAR's configs, environment and model files and emits an MdaiClara.Mmar object:
/// Clara version, framework, task, channels, datalist, TorchScript (size and SHA-256) and the inference pipeline.
/// Opening an MMAR never loads libtorch, never unpickles anything and never runs its scripts. A folder that holds
/// exactly one MMAR (an NGC download, MD.ai's workspace with config_mdai.json) is opened too; a zip whose entries
/// would leave its folder is rejected before anything is read.</para>
/// <example><code>Get-Mmar ./mmar | Format-List</code>
/// <para>Opens an MMAR folder and shows everything MdaiClara read from it.</para></example>
/// <example><code>Compress-Archive -Path ./mmar -DestinationPath ./mmar.zip
/// Get-ChildItem . -Filter *.zip | Get-Mmar | Format-Table</code>
/// <para>Zips an MMAR, then opens every zipped MMAR in the folder; a damaged zip is reported and the others are still listed.</para></example>
/// <example><code>(Get-Mmar ./mmar).InferenceConfig.PreTransforms</code>
/// <para>Lists the pre-transforms (name and resolved arguments) that the MMAR's inference runs.</para></example>
/// </summary>
[Cmdlet(VerbsCommon.Get, "Mmar", DefaultParameterSetName = PathSet)]
[OutputType(typeof(MmarInfo))]
public sealed class GetMmarCommand : ClaraCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    /// <summary><para type="description">MMAR folders or .zip files. Wildcards are expanded.</para></summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = null!;

    /// <summary><para type="description">MMAR folders or .zip files, taken as written (no wildcards). Binds PSPath and FullName from Get-ChildItem.</para></summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = null!;

    protected override void ProcessRecord()
    {
        var literal = ParameterSetName == LiteralPathSet;
        foreach (var path in ResolvePaths(literal ? LiteralPath : Path, literal, ErrorIds.MmarNotFound))
        {
            try
            {
                var info = RunOnWorker(token =>
                {
                    using var source = MmarLocator.Open(path);
                    return MmarAnalyzer.Analyze(source, token).Info;
                });
                foreach (var note in info.Notes)
                {
                    WriteWarning($"{info.Name}: {note} Run Test-Mmar -Detailed for the details.");
                }

                WriteObject(TypeNames.Tag(info, TypeNames.Mmar));
            }
            catch (MdaiClaraException ex)
            {
                WriteEngineError(ex);
            }
            catch (Exception ex) when (IsUnexpected(ex))
            {
                WriteUnexpectedError(ex, path);
            }
        }
    }
}
