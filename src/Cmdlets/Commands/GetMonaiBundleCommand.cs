using System;
using System.Linq;
using System.Management.Automation;
using MdaiClara.Engine.Bundles;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Validation.Bundles;

namespace MdaiClara.Cmdlets.Commands;

/// <summary>
/// <para type="synopsis">Opens MONAI bundles (folders or .zip files) and describes them.</para>
/// <para type="description">Reads configs/metadata.json and configs/inference.json (or .yaml) and emits an
/// MdaiClara.MonaiBundle object: name, version, MONAI and PyTorch versions, optional packages, task, input and output
/// channels and labels (network_data_format), the TorchScript (models/model.ts: size and SHA-256), and the inference
/// config's preprocessing, inferer and postprocessing resolved as MONAI's ConfigParser resolves them ("@id" references,
/// "%file#id" macros, _target_, _disabled_, _mode_). Every derived value is in Derived with the file, line and column it
/// came from. Nothing is run: "$" expressions are read by an allow-list (string joins, os.path.join, dtypes,
/// torch.device, CommonKeys, from_engine, glob datalists); anything else is reported with its position. Opening a
/// bundle never loads libtorch or unpickles models/model.pt.</para>
/// <example><code>Get-MonaiBundle ./bundle | Format-List</code>
/// <para>Opens a bundle folder and shows what MdaiClara read from it.</para></example>
/// <example><code>(Get-MonaiBundle ./bundle).Derived | Format-Table Name, Value, Source</code>
/// <para>Lists every derived value (name, versions, task, channels, labels, model file, pipeline) with where it came from.</para></example>
/// <example><code>Compress-Archive -Path ./bundle -DestinationPath ./bundle.zip
/// (Get-MonaiBundle ./bundle.zip).Pipeline.PreTransforms | Format-Table Id, Target, Position</code>
/// <para>Zips a bundle, then lists the preprocessing transforms of the zipped bundle with their positions in configs/inference.json.</para></example>
/// </summary>
[Cmdlet(VerbsCommon.Get, "MonaiBundle", DefaultParameterSetName = PathSet)]
[OutputType(typeof(BundleInfo))]
public sealed class GetMonaiBundleCommand : ClaraCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    /// <summary><para type="description">Bundle folders (holding configs/) or .zip files. Wildcards are expanded.</para></summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = null!;

    /// <summary><para type="description">Bundle folders or .zip files, taken as written (no wildcards). Binds PSPath and FullName from Get-ChildItem.</para></summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = null!;

    protected override void ProcessRecord()
    {
        var literal = ParameterSetName == LiteralPathSet;
        foreach (var path in ResolvePaths(literal ? LiteralPath : Path, literal, ErrorIds.BundleNotFound))
        {
            try
            {
                var info = RunOnWorker(token => BundleDescription.Describe(path, token));
                foreach (var problem in info.Pipeline?.Problems ?? Array.Empty<ConfigProblem>())
                {
                    WriteWarning($"{info.Name}: {problem}. Run Test-MonaiBundle -Detailed for every finding.");
                }

                WriteObject(TypeNames.Tag(info, TypeNames.MonaiBundle));
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
