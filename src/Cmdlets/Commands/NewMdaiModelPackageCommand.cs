using System;
using System.Collections;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Mmar;

namespace MdaiClara.Cmdlets.Commands;

/// <summary>
/// <para type="synopsis">Writes an MMAR as an MD.ai deployment package (a zip MD.ai's model builder takes as it is).</para>
/// <para type="description">The zip holds model/.mdai/config.yaml (base_image nvidia, device_type, clara_version "4.1.0"),
/// the interface code MD.ai runs (mdai_deploy.py for the MMAR's task: it turns the DICOM series MD.ai sends into the
/// NIfTI the MMAR expects with its true geometry, runs the MMAR's own commands/infer.sh, and maps the label map back to
/// every instance by position), its settings and requirements, and the MMAR itself in model/workspace/ with
/// environment.json carrying OUTPUT_CHANNELS, INFER_DATALIST_KEY and DATASET_JSON. -ClaraVersion 4.0 writes the 2021
/// layout instead (MMAR in a subfolder, config_mdai.json beside it). MMARs MD.ai's Clara container cannot serve are
/// refused with the reason (Clara 3.x TensorFlow, no infer.sh, a config that saves no result). The same MMAR always
/// gives the same bytes; the zip is written to a temporary file and renamed. An existing package is replaced only with
/// -Force.</para>
/// <para type="description">Of the MMAR, only what inference needs is packaged: config/, commands/, resources/, docs/,
/// custom/ (and folders infer.sh or set_env.sh name under $MMAR_ROOT), README/LICENSE files at the top, files the
/// inference config names, and the model file the config loads. Left out, each with its reason in the record's LeftOut
/// list: eval/ (EvaluationOutput: earlier predictions, possibly of patients), .git/.svn/.hg (VersionControl),
/// __pycache__, .ipynb_checkpoints, *.pyc (Cache), model files the config does not load such as model.pt beside the
/// model.ts it loads (ModelNotLoaded), DATA_ROOT inside the MMAR and folders such as data/ or imagesTr/ (Dataset),
/// NIfTI/DICOM/MetaImage/NRRD files judged by name and by content (ImageData), and anything else (NotNeeded).
/// -Include adds files back and -Exclude leaves more out; -Exclude wins over -Include, and the files inference needs
/// are always packaged (an -Exclude that names one is refused).</para>
/// <para type="description">-Bundle packages a MONAI bundle instead: its root folder (with configs/metadata.json and
/// configs/inference.json) or its .zip as the Model Zoo ships it (one top folder; read in place, never unpacked; a zip
/// with entries that would land outside the bundle is refused). MD.ai's Clara image carries MONAI 0.8.1 only, so the
/// package goes on MD.ai's Python image (config.yaml base_image py310) with a requirements.txt pinning the bundle's
/// monai_version, pytorch_version and optional_packages_version; the interface code runs the bundle's own inference
/// config through MONAI's bundle API with only its datalist and output folder (and bundle_root) replaced. A segmentation
/// bundle (SaveImaged) gets its label map mapped to instances, a classifier (SaveClassificationd or a
/// ClassificationSaver handler writing a CSV) gets each instance classified and annotated, both with the same code as
/// an MMAR package. The bundle's configs/, models/, docs/ and scripts/ go in (in model/bundle/); everything else of
/// the bundle (sample data, earlier outputs) is left out and listed.</para>
/// <example><code>New-MdaiModelPackage -Mmar ./mmar ./mmar-mdai.zip</code>
/// <para>Writes the package MD.ai's model builder takes.</para></example>
/// <example><code>Get-Mmar ./mmar | New-MdaiModelPackage -OutputPath ./packages
/// Get-Mmar ./mmar | New-MdaiModelPackage -OutputPath ./packages -Force</code>
/// <para>Writes ./packages/&lt;MMAR name&gt;.zip (creating ./packages), then writes it again: the second time needs -Force.</para></example>
/// <example><code>Get-Mmar ./mmar | New-MdaiModelPackage -OutputPath ./packages -DeviceType Cpu -WhatIf</code>
/// <para>Shows where the package would be written (./packages/&lt;MMAR name&gt;.zip) without writing it.</para></example>
/// <example><code>$package = New-MdaiModelPackage -Mmar ./mmar -OutputPath ./mmar-mdai.zip -Exclude 'docs/*.json'
/// $package.LeftOut | Format-Table Path, Reason, Files, Detail</code>
/// <para>Packages the MMAR without the JSON files in docs/, then lists what was left out and why.</para></example>
/// <example><code>New-MdaiModelPackage -Mmar ./mmar -OutputPath ./with-atlas.zip -Include 'resources/*.nii.gz', 'models/*.pt'</code>
/// <para>Also packages NIfTI files in resources/ (an atlas the model's custom code reads; Publish-MdaiModel then accepts
/// them as named) and the checkpoints in models/ that the inference config does not load.</para></example>
/// <example><code>$package = New-MdaiModelPackage -Bundle ./bundle -OutputPath ./bundle-mdai.zip -DeviceType Cpu
/// $package.Requirements</code>
/// <para>Packages the MONAI bundle in ./bundle for MD.ai's Python image and shows the versions its requirements.txt pins.</para></example>
/// <example><code>Compress-Archive -Path ./bundle -DestinationPath ./downloaded-bundle.zip
/// $package = New-MdaiModelPackage -Bundle ./downloaded-bundle.zip -OutputPath ./packages
/// $package.Path; $package.Task; $package.LeftOut | Format-Table Path, Reason</code>
/// <para>Packages a zipped bundle (one top folder, as Model Zoo downloads are) without unpacking it, into
/// ./packages/downloaded-bundle.zip, then shows its task and what of the bundle stayed out.</para></example>
/// </summary>
[Cmdlet(VerbsCommon.New, "MdaiModelPackage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = MmarSet)]
[OutputType(typeof(MdaiPackage), ParameterSetName = new[] { MmarSet })]
[OutputType(typeof(MdaiBundlePackage), ParameterSetName = new[] { BundleSet })]
public sealed class NewMdaiModelPackageCommand : MdaiPackageCmdlet
{
    /// <summary><para type="description">A MONAI bundle: the path of its root folder (holding configs/ and models/) or of its .zip, or an object with a Path property naming it (e.g. from Get-MonaiBundle or Get-Item).</para></summary>
    [Parameter(Mandatory = true, ParameterSetName = BundleSet)]
    [ValidateNotNull]
    public PSObject Bundle { get; set; } = null!;

    /// <summary><para type="description">The .zip to write, or a folder to write &lt;MMAR name&gt;.zip into (a path without an extension; created, with its parents, when the package is written; not under -WhatIf).</para></summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string OutputPath { get; set; } = null!;

    /// <summary><para type="description">Replace a package that already exists. Without it an existing .zip is kept and the MMAR gets an OutputFileExists error.</para></summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == BundleSet)
        {
            PackageBundle();
            return;
        }

        string mmarPath;
        string target;
        MdaiPackageOptions options;
        try
        {
            mmarPath = MmarPaths.Resolve(this, Mmar);
            target = ResolveOutputPath(OutputPath, nameof(OutputPath));
            options = PackageOptions();
        }
        catch (MdaiClaraException ex)
        {
            WriteEngineError(ex);
            return;
        }

        try
        {
            // Analysed once: the MMAR's name decides a folder target's file name, then the same analysis is packaged;
            // ShouldProcess runs on the pipeline thread in between.
            using var source = RunOnWorker(_ => MmarLocator.Open(mmarPath));
            var analysis = RunOnWorker(token => MmarAnalyzer.Analyze(source, token));
            var name = MdaiPackageBuilder.Clara40FolderName(analysis.Info);
            var kind = ClassifyOutputPath(target, ".zip");
            if (kind == OutputPathKind.Unknown)
            {
                throw new MdaiClaraException($"'{OutputPath}' is neither a folder nor a .zip file name.", ErrorIds.MdaiPackageOptionInvalid, ErrorKind.InvalidArgument, OutputPath);
            }

            var zip = kind == OutputPathKind.Folder ? System.IO.Path.Combine(target, name + ".zip") : target;
            if (!MayWrite(zip, Force))
            {
                return;
            }

            if (!ShouldProcess(zip, $"Write the MD.ai deployment package of {name}{(File.Exists(zip) ? ", replacing the existing file" : string.Empty)}")
                || !EnsureOutputFolder(System.IO.Path.GetDirectoryName(zip)!, zip))
            {
                return;
            }

            var progress = new LatestPackageProgress();
            var package = RunOnWorker(
                token => MdaiPackageBuilder.Build(analysis, zip, options, progress, Log, token),
                () => progress.WriteTo(this));
            WriteProgress(new ProgressRecord(2, "New-MdaiModelPackage", "Done") { RecordType = ProgressRecordType.Completed });
            WriteObject(TypeNames.Tag(package, TypeNames.MdaiPackage));
        }
        catch (MdaiClaraException ex)
        {
            WriteEngineError(ex);
        }
        catch (Exception ex) when (IsUnexpected(ex))
        {
            WriteUnexpectedError(ex, mmarPath);
        }
    }

    private void PackageBundle()
    {
        string folder = "";
        try
        {
            folder = BundlePath();
            var target = ResolveOutputPath(OutputPath, nameof(OutputPath));
            var options = PackageOptions();
            var kind = ClassifyOutputPath(target, ".zip");
            if (kind == OutputPathKind.Unknown)
            {
                throw new MdaiClaraException($"'{OutputPath}' is neither a folder nor a .zip file name.", ErrorIds.MdaiPackageOptionInvalid, ErrorKind.InvalidArgument, OutputPath);
            }

            var trimmed = folder.TrimEnd(System.IO.Path.DirectorySeparatorChar);
            var name = File.Exists(trimmed) ? System.IO.Path.GetFileNameWithoutExtension(trimmed) : System.IO.Path.GetFileName(trimmed);
            var zip = kind == OutputPathKind.Folder ? System.IO.Path.Combine(target, name + ".zip") : target;
            if (string.Equals(System.IO.Path.GetFullPath(zip), System.IO.Path.GetFullPath(trimmed), OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
            {
                throw new MdaiClaraException($"The package {zip} would replace the bundle's own zip; give -OutputPath another file or folder.", ErrorIds.MdaiPackageOptionInvalid, ErrorKind.InvalidArgument, OutputPath);
            }

            if (!MayWrite(zip, Force)
                || !ShouldProcess(zip, $"Write the MD.ai deployment package of the bundle {name}{(File.Exists(zip) ? ", replacing the existing file" : string.Empty)}")
                || !EnsureOutputFolder(System.IO.Path.GetDirectoryName(zip)!, zip))
            {
                return;
            }

            var progress = new LatestPackageProgress();
            var package = RunOnWorker(
                token => MdaiBundlePackageBuilder.Build(folder, zip, options, progress, Log, token),
                () => progress.WriteTo(this));
            WriteProgress(new ProgressRecord(2, "New-MdaiModelPackage", "Done") { RecordType = ProgressRecordType.Completed });
            WriteObject(TypeNames.Tag(package, TypeNames.MdaiBundlePackage));
        }
        catch (MdaiClaraException ex)
        {
            WriteEngineError(ex);
        }
        catch (Exception ex) when (IsUnexpected(ex))
        {
            WriteUnexpectedError(ex, folder);
        }
    }

    /// <summary>The bundle folder or .zip -Bundle names: a path, a FileSystemInfo, or any object with a Path property.</summary>
    private string BundlePath()
    {
        var value = Bundle.BaseObject;
        var path = value switch
        {
            string s => s,
            FileSystemInfo f => f.FullName,
            _ => Bundle.Properties["Path"]?.Value is { } p ? (p is PSObject w ? w.BaseObject : p) as string : null,
        };
        return path is null
            ? throw new MdaiClaraException($"-Bundle takes the path of a bundle folder or .zip, or an object with a Path property, not {value.GetType().Name}.", ErrorIds.MdaiPackageOptionInvalid, ErrorKind.InvalidArgument, value)
            : SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
    }

    /// <summary>The worker's latest byte count; the pipeline thread turns it into progress records.</summary>
    private sealed class LatestPackageProgress : IProgress<MdaiPackageProgress>
    {
        private readonly object _gate = new();
        private MdaiPackageProgress? _latest;

        public void Report(MdaiPackageProgress value)
        {
            lock (_gate)
            {
                _latest = value;
            }
        }

        public void WriteTo(Cmdlet cmdlet)
        {
            MdaiPackageProgress? latest;
            lock (_gate)
            {
                latest = _latest;
            }

            if (latest is { BytesTotal: > 0 } p)
            {
                cmdlet.WriteProgress(new ProgressRecord(2, "New-MdaiModelPackage", $"{p.CurrentFile}: {p.BytesDone / (1024 * 1024):N0} of {p.BytesTotal / (1024 * 1024):N0} MB")
                {
                    PercentComplete = (int)(100 * p.BytesDone / p.BytesTotal),
                });
            }
        }
    }
}
