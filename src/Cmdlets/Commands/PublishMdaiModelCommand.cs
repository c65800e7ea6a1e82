using System;
using System.Collections;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Publishing;

namespace MdaiClara.Cmdlets.Commands;

/// <summary>
/// <para type="synopsis">Checks, packages, verifies and smoke-runs an MMAR or a MONAI bundle for MD.ai, then delivers the package to a folder.</para>
/// <para type="description">Runs Test-Mmar (errors stop it), writes the MD.ai deployment package (as
/// New-MdaiModelPackage, with the same -Include and -Exclude), reads the zip back (layout, config.yaml, environment.json,
/// every entry and its CRC, SHA-256, and no image data: a NIfTI or DICOM file, judged by name and by content, fails the
/// check unless -Include names it),
/// runs the packaged MMAR on a study (-Study, or the module's phantom CT series for a segmentation model) and judges it
/// as the packaged interface code will on MD.ai (what the MMAR's saver writes, a label map, one-hot or probabilities,
/// read by the code's own rules) and checks its MD.ai output list against MD.ai's output rules, then copies the package
/// to -Destination (to a temporary file there, verified, then renamed; a package already there is replaced only with
/// -Force). It emits a record of every check. -WhatIf runs every check and leaves the delivery out. The checks show
/// form, not accuracy: that the package runs and that its outputs follow MD.ai's rules, not that its segmentations or
/// classes are right (a model with random weights passes); the record's Scope says so. MD.ai offers no public API for
/// uploading models: the record's NextStep says what to do by hand. With -GroundTruth (the sources Measure-ClaraModel
/// takes: 'Validation' for the MMAR's validation datalist, or a hashtable of its parameters such as
/// @{ Path = …; LabelPath = … }, @{ DataList = … }, @{ Study = …; Annotations = … }) and -MinimumDice or -MinimumAuc,
/// a "Quality" check measures the model there and fails, stopping delivery, when it is below the minimum.
/// With -Bundle the same checks run for a MONAI bundle: Test-MonaiBundle, the package as New-MdaiModelPackage -Bundle
/// writes it, the zip read back (config.yaml's Python image for the bundle's PyTorch, requirements.txt's pins,
/// mdai_clara.json, the bundle's configs and model file, every entry and its CRC, no unnamed image data), and the
/// packaged bundle run on the study with its MONAI version's semantics, the NIfTI its SaveImaged writes (output_dir,
/// output_ext, output_dtype, resample, squeeze_end_dims) read as the packaged interface code reads it, then the MD.ai
/// output list and the Quality check as for an MMAR. The smoke run runs MdaiClara's engine, not MONAI: run the package
/// once against a real MONAI before relying on it (the README says how).</para>
/// <example><code>Publish-MdaiModel -Bundle ./bundle -Destination ./bundle-deliveries -DeviceType Cpu | Select-Object -ExpandProperty Checks</code>
/// <para>Validates, packages, verifies and smoke-runs a MONAI bundle on the module's phantom CT series, then delivers its package; the record lists each check.</para></example>
/// <example><code>Publish-MdaiModel -Bundle ./bundle -Destination ./bundle-out -DeviceType Cpu -Study ./studies -GroundTruth @{ Path = './bundle/sample_data/ct_pls.nii.gz'; LabelPath = './bundle/expected/ct_pls_seg.nii.gz' } -MinimumDice 0.9 -WhatIf | Format-List</code>
/// <para>Smoke-runs the bundle's package on your own study and adds a Quality check on a labelled image (here the bundle's sample with MONAI's own result as the labels), without delivering.</para></example>
/// <example><code>Publish-MdaiModel -Mmar ./mmar -Destination ./deliveries</code>
/// <para>Checks and delivers the package to a folder (a mounted share works the same); the record lists each check.</para></example>
/// <example><code>Publish-MdaiModel -Mmar ./mmar -Destination ./out -Study ./studies/ct1 -WhatIf | Format-List</code>
/// <para>Runs every check on your own study, without delivering.</para></example>
/// <example><code>Publish-MdaiModel -Mmar ./mmar -Destination ./out -Include 'resources/atlas.nii.gz' -WhatIf</code>
/// <para>Packages an atlas the MMAR's config reads; without -Include naming it, the package check fails on image data.</para></example>
/// <example><code>Publish-MdaiModel -Mmar ./mmar -Destination ./out -GroundTruth @{ Path = './ct.nii.gz'; LabelPath = './truth.nii.gz' } -MinimumDice @{ organ = 0.8 } -WhatIf</code>
/// <para>Adds a Quality check: the model is measured on the labelled image as Measure-ClaraModel measures it, and delivery stops when the organ's mean Dice is below 0.8.</para></example>
/// </summary>
[Cmdlet(VerbsData.Publish, "MdaiModel", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = MmarSet)]
[OutputType(typeof(PublishResult))]
public sealed class PublishMdaiModelCommand : MdaiPackageCmdlet
{
    /// <summary><para type="description">The folder the package is delivered to (created, with its parents, when the package is delivered; not under -WhatIf).</para></summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = null!;

    /// <summary><para type="description">A MONAI bundle (the path of its root folder, or an object with a Path property naming it): validated
    /// with the bundle rules, packaged as New-MdaiModelPackage -Bundle does, its package verified and smoke-run on -Study
    /// (or the phantom), measured with -GroundTruth when given, and delivered.</para></summary>
    [Parameter(Mandatory = true, ParameterSetName = BundleSet)]
    [ValidateNotNull]
    public PSObject Bundle { get; set; } = null!;

    /// <summary><para type="description">Replace a package of the same name already in -Destination. Without it the Deliver check fails and the package there is kept.</para></summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary><para type="description">DICOM files or a folder of one study to smoke-run the packaged model on (default: the module's phantom CT series, for segmentation models).</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Study { get; set; }

    /// <summary><para type="description">Where the smoke run runs: Cpu (default), Auto, Cuda or Cuda:N.</para></summary>
    [Parameter]
    [ArgumentCompleter(typeof(DeviceCompleter))]
    [ValidateNotNullOrEmpty]
    public string Device { get; set; } = "Cpu";

    /// <summary><para type="description">Ground truth for the Quality check: 'Validation' (the MMAR's validation datalist, as validate.sh reads it), or a hashtable of Measure-ClaraModel's ground-truth parameters: @{ Path = './images'; LabelPath = './labels' }, @{ DataList = './list.json'; DataListKey = 'test' }, @{ Study = './studies'; Annotations = './export.json'; LabelName = 'Spleen' }, @{ DataRoot = './data' }.</para></summary>
    [Parameter]
    [ValidateNotNull]
    public object? GroundTruth { get; set; }

    /// <summary><para type="description">The minimum mean Dice on -GroundTruth: one number for the mean over classes, or a hashtable per class name (@{ spleen = 0.9; tumour = 0.6 }).</para></summary>
    [Parameter]
    [ValidateNotNull]
    public object? MinimumDice { get; set; }

    /// <summary><para type="description">A classifier's minimum AUC on -GroundTruth: one number for the mean over classes, or a hashtable per class name.</para></summary>
    [Parameter]
    [ValidateNotNull]
    public object? MinimumAuc { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            var bundle = ParameterSetName == BundleSet;
            var mmarPath = bundle ? MmarPaths.ResolveBundle(this, Bundle) : MmarPaths.Resolve(this, Mmar);
            var destination = ResolveOutputPath(Destination, nameof(Destination));
            var study = Study?.Select(s => SessionState.Path.GetUnresolvedProviderPathFromPSPath(s)).ToList();
            var deliver = ShouldProcess(destination, $"Deliver the MD.ai package of {mmarPath} after its checks pass");
            var options = new PublishOptions
            {
                Destination = destination,
                Study = study,
                Device = DeviceSpec.Parse(Device),
                Deliver = deliver,
                ReplaceExisting = Force,
                Package = PackageOptions(),
                Quality = Quality(),
            };

            var result = RunOnWorker(token => bundle
                ? MdaiBundlePublisher.Publish(mmarPath, options, ModuleState.Models, Log, token)
                : MdaiPublisher.Publish(mmarPath, options, ModuleState.Models, Log, token));
            WriteObject(TypeNames.Tag(result, TypeNames.PublishResult));
            if (!result.Passed)
            {
                var failed = result.Checks.First(c => c.Status == PublishCheckStatus.Failed);
                var kept = failed.Name == "Deliver" && !Force && result.Package is null && failed.Detail.Contains("already exists", StringComparison.Ordinal);
                WriteError(new ErrorRecord(
                    new InvalidOperationException($"Publishing {result.Mmar} stopped at '{failed.Name}': {failed.Detail}{(kept ? " Add -Force to replace it." : string.Empty)}"),
                    kept ? OutputFileExistsErrorId : "MdaiPublishFailed", kept ? ErrorCategory.ResourceExists : ErrorCategory.InvalidResult, result));
            }
        }
        catch (MdaiClaraException ex)
        {
            WriteEngineError(ex);
        }
        catch (Exception ex) when (IsUnexpected(ex))
        {
            WriteUnexpectedError(ex, Destination);
        }
    }

    /// <summary>The quality gate the parameters ask for, or null; a threshold without ground truth (or the reverse) is an error.</summary>
    private QualityGate? Quality()
    {
        if (GroundTruth is null && MinimumDice is null && MinimumAuc is null)
        {
            return null;
        }

        if (GroundTruth is null || (MinimumDice is null && MinimumAuc is null))
        {
            throw new MdaiClaraException(
                GroundTruth is null ? "-MinimumDice and -MinimumAuc need -GroundTruth: the cases to measure the model on." : "-GroundTruth needs -MinimumDice (segmentation) or -MinimumAuc (classification): the quality to reach.",
                ErrorIds.QualityGateInvalid, ErrorKind.InvalidArgument, GroundTruth);
        }

        return new QualityGate(GroundTruthArguments.FromObject(this, GroundTruth))
        {
            MinimumDice = Threshold(MinimumDice, nameof(MinimumDice)),
            MinimumAuc = Threshold(MinimumAuc, nameof(MinimumAuc)),
        };
    }

    private static QualityThreshold? Threshold(object? value, string parameter)
    {
        var raw = value is PSObject ps ? ps.BaseObject : value;
        static double? Number(object? v) => (v is PSObject p ? p.BaseObject : v) switch
        {
            double d => d,
            float f => f,
            int i => i,
            long l => l,
            decimal m => (double)m,
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };

        MdaiClaraException Invalid(object? what) => new($"-{parameter} takes a number from 0 to 1, or a hashtable of class name = number (@{{ spleen = 0.9 }}), not '{what}'.", ErrorIds.QualityGateInvalid, ErrorKind.InvalidArgument, what);
        switch (raw)
        {
            case null:
                return null;
            case IDictionary table:
                var perClass = new System.Collections.Generic.Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
                foreach (DictionaryEntry e in table)
                {
                    perClass[Convert.ToString(e.Key, CultureInfo.InvariantCulture)!] = Number(e.Value) is { } n and >= 0 and <= 1 ? n : throw Invalid(e.Value);
                }

                return new QualityThreshold(null, perClass);
            default:
                return Number(raw) is { } overall and >= 0 and <= 1 ? new QualityThreshold(overall, new System.Collections.Generic.Dictionary<string, double>()) : throw Invalid(raw);
        }
    }
}
