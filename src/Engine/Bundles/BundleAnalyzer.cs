using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Bundles;

/// <summary>
/// Opens and analyses a MONAI bundle (folder or zip): reads configs/metadata.json and the inference config with
/// positions, resolves the pipeline as MONAI's ConfigParser would (without running Python), and derives name,
/// versions, task, channels, labels and the model file, each with its source. Problems are kept for the rules of
/// Test-MonaiBundle; only an unopenable bundle throws.
/// </summary>
public static class BundleAnalyzer
{
    public static BundleAnalysis Analyze(string path, CancellationToken cancellationToken = default)
    {
        var source = BundleSource.Open(path);
        try
        {
            return Analyze(source, cancellationToken);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    public static BundleAnalysis Analyze(BundleSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var unreadable = new List<string>();
        var cache = new Dictionary<string, ConfigFile?>(StringComparer.Ordinal);
        ConfigFile? Load(string relative)
        {
            if (cache.TryGetValue(relative, out var known))
            {
                return known;
            }

            ConfigFile? file = null;
            if (source.FileExists(relative))
            {
                try
                {
                    file = ConfigFile.Parse(relative, source.ReadAllBytes(relative, BundleSource.MaxConfigBytes));
                }
                catch (MdaiClaraException ex)
                {
                    unreadable.Add($"{relative}: {ex.Message}");
                }
            }

            cache[relative] = file;
            return file;
        }

        var metadata = Load(BundleLayout.MetadataFile);
        var inferencePath = BundleLayout.InferenceConfigCandidates.FirstOrDefault(source.FileExists);
        var inference = inferencePath is null ? null : Load(inferencePath);
        cancellationToken.ThrowIfCancellationRequested();

        ConfigResolver? resolver = null;
        if (inference?.Root is { IsObject: true } root)
        {
            // MONAI's bundle scripts put the metadata under "_meta_" (read_meta), so "@_meta_::…" resolves.
            var entries = root.Entries.ToList();
            if (metadata?.Root is { IsObject: true } metaRoot && root.Get("_meta_") is null)
            {
                entries.Add(new("_meta_", metaRoot));
            }

            resolver = new ConfigResolver(ConfigNode.Object(root.Position, entries), Load);
        }

        var derived = new List<DerivedValue>();
        var meta = new BundleMetadataReader(metadata, derived);
        var name = meta.Text("Name", "name");
        if (name is null)
        {
            var location = source.Location.TrimEnd('/', '\\');
            name = source.Kind == BundleSourceKind.Zip ? Path.GetFileNameWithoutExtension(location) : Path.GetFileName(location);
            meta.Add("Name", name, "the bundle's folder or zip name (metadata.json has no name)");
        }

        var version = meta.Text("Version", "version");
        var monai = meta.Text("MonaiVersion", "monai_version");
        var pytorch = meta.Text("PytorchVersion", "pytorch_version");
        var numpy = meta.Text("NumpyVersion", "numpy_version");
        var packages = meta.Packages();
        var taskText = meta.Text("TaskDescription", "task");
        var input = FirstKey(meta.Node("network_data_format.inputs"), "image");
        var output = FirstKey(meta.Node("network_data_format.outputs"), "pred");
        var inputPath = $"network_data_format.inputs.{input}";
        var outputPath = $"network_data_format.outputs.{output}";
        var inChannels = meta.Integer("InputChannels", inputPath + ".num_channels");
        var labels = meta.Labels(outputPath + ".channel_def");
        var outChannels = meta.Integer("OutputChannels", outputPath + ".num_channels");
        if (outChannels is null && labels.Count > 0)
        {
            outChannels = labels.Count;
            meta.Add("OutputChannels", outChannels, $"the number of {outputPath}.channel_def entries (num_channels is absent)");
        }

        var shape = meta.Shape("InputSpatialShape", inputPath + ".spatial_shape");

        var torchScript = ModelFile(source, derived, cancellationToken);
        var checkpoint = source.FileExists(BundleLayout.CheckpointFile) ? BundleLayout.CheckpointFile : null;
        BundlePipeline? pipeline = null;
        if (resolver is not null)
        {
            pipeline = BundlePipelineReader.Read(inferencePath!, resolver);
            derived.Add(new DerivedValue("Pipeline", pipeline.ToString(), inferencePath!));
            if (pipeline.Datalist is { } datalist)
            {
                derived.Add(datalist);
            }
        }

        var task = Task(meta, outputPath, pipeline);

        var info = new BundleInfo
        {
            Path = source.Location,
            Name = name,
            Version = version,
            MonaiVersion = monai,
            PytorchVersion = pytorch,
            NumpyVersion = numpy,
            OptionalPackages = packages,
            TaskDescription = taskText,
            Task = task,
            InputChannels = inChannels,
            OutputChannels = outChannels,
            Labels = labels,
            InputSpatialShape = shape,
            TorchScript = torchScript,
            Checkpoint = checkpoint,
            InferenceConfigFile = inferencePath,
            Pipeline = pipeline,
            Derived = derived,
        };
        return new BundleAnalysis(source, metadata, inference, resolver, info, unreadable);
    }

    /// <summary>"image" (or "pred") when present, else the first key of inputs (outputs).</summary>
    private static string FirstKey(ConfigNode? node, string preferred) =>
        node?.Get(preferred) is not null ? preferred : node?.Entries.FirstOrDefault().Key ?? preferred;

    /// <summary>
    /// The task from the output's format (or type). Type "image" with format "labels" is a label map
    /// (prostate_mri_anatomy) as often as class labels (breast_density_classification): a SaveImaged in the inference
    /// postprocessing makes it a segmentation, as the image it writes is the result.
    /// </summary>
    private static BundleTask Task(BundleMetadataReader meta, string outputPath, BundlePipeline? pipeline)
    {
        var format = meta.Node(outputPath + ".format");
        var type = meta.Node(outputPath + ".type");
        var (task, node, field) = (format?.Text?.ToLowerInvariant(), type?.Text?.ToLowerInvariant()) switch
        {
            ("segmentation", _) => (BundleTask.Segmentation, format, "format"),
            ("classes" or "labels" or "classification", _) => (BundleTask.Classification, format, "format"),
            (_, "probabilities") => (BundleTask.Classification, type, "type"),
            _ => (BundleTask.Other, format ?? type, "format"),
        };
        var source = node is null ? $"no {outputPath}.format in configs/metadata.json" : BundleMetadataReader.Where(node, $"{outputPath}.{field} = {node.Text}");
        if (task == BundleTask.Classification && format?.Text == "labels" && type?.Text == "image"
            && pipeline?.PostTransforms.FirstOrDefault(t => t.ShortName is "SaveImaged" or "SaveImage") is { } saver)
        {
            task = BundleTask.Segmentation;
            source += $", type = image, and the postprocessing saves an image ({saver.ShortName}): a label map";
        }

        meta.Add("Task", task, source);
        return task;
    }

    private static BundleModelFile? ModelFile(BundleSource source, List<DerivedValue> derived, CancellationToken cancellationToken)
    {
        if (!source.FileExists(BundleLayout.TorchScriptFile))
        {
            return null;
        }

        try
        {
            using var stream = source.OpenRead(BundleLayout.TorchScriptFile);
            using var sha = SHA256.Create();
            var buffer = new byte[1 << 20];
            long bytes = 0;
            int n;
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                sha.TransformBlock(buffer, 0, n, null, 0);
                bytes += n;
            }

            sha.TransformFinalBlock(Array.Empty<byte>(), 0, 0);
            var file = new BundleModelFile(BundleLayout.TorchScriptFile, bytes, Convert.ToHexString(sha.Hash!).ToLowerInvariant());
            derived.Add(new DerivedValue("ModelFile", $"{file.RelativePath} ({file.Bytes:N0} bytes, SHA-256 {file.Sha256[..12]}…)", "the bundle's models/ folder"));
            return file;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new MdaiClaraException($"Cannot read {source.DisplayPath(BundleLayout.TorchScriptFile)}: {ex.Message.TrimEnd('.')}.", ErrorIds.BundleReadFailed, ErrorKind.InvalidData, source.Location, ex);
        }
    }
}
