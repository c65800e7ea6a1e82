using System.Collections;
using System.Management.Automation;
using MdaiClara.Engine.Mdai;

namespace MdaiClara.Cmdlets;

/// <summary>What New-MdaiModelPackage and Publish-MdaiModel share: the MMAR, and how it is packaged for MD.ai (which of its files go in).</summary>
public abstract class MdaiPackageCmdlet : ClaraCmdlet
{
    /// <summary>The parameter set of an MMAR (-Mmar; the default).</summary>
    public const string MmarSet = "Mmar";

    /// <summary>The parameter set of a MONAI bundle (-Bundle), where a cmdlet offers one; the MMAR-only parameters are not in it.</summary>
    public const string BundleSet = "Bundle";

    /// <summary><para type="description">The MMAR: an object from Get-Mmar, or the path of its folder or .zip.</para></summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = MmarSet)]
    [ValidateNotNull]
    public object Mmar { get; set; } = null!;

    /// <summary><para type="description">Gpu (default) or Cpu: where MD.ai runs the model (config.yaml's device_type).</para></summary>
    [Parameter]
    [ValidateSet("Gpu", "Cpu")]
    public string DeviceType { get; set; } = "Gpu";

    /// <summary><para type="description">4.1.0 (default; the only version MD.ai's builder accepts today) or 4.0 (the 2021 layout with config_mdai.json).</para></summary>
    [Parameter(ParameterSetName = MmarSet)]
    [ValidateSet(MdaiPackageOptions.Clara41, MdaiPackageOptions.Clara40)]
    public string ClaraVersion { get; set; } = MdaiPackageOptions.Clara41;

    /// <summary><para type="description">Label value → MD.ai class_index, e.g. @{1 = 0; 2 = 3} (default: label − 1). Labels left out are not reported.</para></summary>
    [Parameter]
    public Hashtable? LabelToClassIndex { get; set; }

    /// <summary><para type="description">Files of the MMAR to package although the content rules leave them out: wildcard patterns
    /// relative to the MMAR root ('*' within a folder name, '**' any folders, '?', [a-z]; case-insensitive; a folder names
    /// everything under it), e.g. 'resources/atlas.nii.gz' or 'models/*.pt'. Image data passes Publish-MdaiModel's
    /// verification only when -Include names it. Files inference needs are always packaged.</para></summary>
    [Parameter(ParameterSetName = MmarSet)]
    [ValidateNotNullOrEmpty]
    public string[]? Include { get; set; }

    /// <summary><para type="description">Files of the MMAR to leave out, as -Include's patterns (e.g. 'docs/*.pdf', '**/*.ipynb').
    /// -Exclude wins over -Include; a pattern that names a file inference needs (the inference config, environment.json,
    /// infer.sh, set_env.sh, the dataset JSON, the model file the config loads) is refused.</para></summary>
    [Parameter(ParameterSetName = MmarSet)]
    [ValidateNotNullOrEmpty]
    public string[]? Exclude { get; set; }

    /// <summary>The packaging options the parameters ask for (a bad class map is an MdaiClaraException naming the entry).</summary>
    protected MdaiPackageOptions PackageOptions() => new()
    {
        DeviceType = DeviceType.ToLowerInvariant(),
        ClaraVersion = ClaraVersion,
        LabelToClassIndex = LabelClassMaps.From(LabelToClassIndex),
        Include = Include ?? [],
        Exclude = Exclude ?? [],
    };
}
