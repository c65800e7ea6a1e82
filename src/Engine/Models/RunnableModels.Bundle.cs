using System;
using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Bundles;
using MdaiClara.Engine.Configs;

namespace MdaiClara.Engine.Models;

/// <summary>The runnable-model description of a MONAI bundle.</summary>
public static partial class RunnableModels
{
    /// <summary>The MONAI version assumed when a bundle's metadata.json names none.</summary>
    public const string DefaultBundleMonaiVersion = "1.3.2";

    /// <summary>
    /// The description of an analysed bundle: task, channels and labels from metadata.json's network_data_format,
    /// models/model.ts, monai_version, and the inference config's preprocessing, inferer and postprocessing as component
    /// specs with their file:line:column. When the pipeline does not resolve (a refused expression, a missing reference)
    /// <see cref="RunnableModel.NotRunnable"/> says where. The model file stays readable only while
    /// <paramref name="analysis"/> is open.
    /// </summary>
    public static RunnableModel FromBundle(BundleAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var info = analysis.Info;
        var source = analysis.Source;
        string? Source(string name) => info.Derived.LastOrDefault(d => d.Name == name)?.Source;
        ModelFile? file = info.TorchScript is { } ts
            ? new ModelFile(source.DisplayPath(ts.RelativePath), source.FileSystemPath(ts.RelativePath), ts.Bytes, ts.Sha256, () => source.ReadAllBytes(ts.RelativePath, int.MaxValue - 64))
            {
                RelativePath = ts.RelativePath,
            }
            : null;
        var monaiVersion = info.MonaiVersion ?? DefaultBundleMonaiVersion;
        var inference = info.Pipeline is { Resolved: true } p ? ToInferenceConfig(p, analysis.Resolver, monaiVersion) : null;
        return new RunnableModel
        {
            Name = info.Name,
            Origin = info.Path,
            Format = "MONAI bundle",
            FormatVersion = info.Version,
            VersionLabel = info.Version,
            Task = info.Task switch
            {
                BundleTask.Segmentation => ModelTask.Segmentation,
                BundleTask.Classification => ModelTask.Classification,
                _ => ModelTask.Other,
            },
            TaskSource = Source("Task"),
            InputChannels = info.InputChannels,
            InputChannelsSource = Source("InputChannels"),
            InputChannelsSetting = "network_data_format.inputs.image.num_channels in configs/metadata.json",
            OutputChannels = info.OutputChannels,
            OutputChannelsSource = Source("OutputChannels"),
            ClassNames = info.Labels,
            ModelFile = file,
            ModelFileExpected = BundleLayout.TorchScriptFile,
            ModelFileRemedy = BundleRemedies.ModelFile(info),
            MonaiVersion = monaiVersion,
            MonaiVersionSource = info.MonaiVersion is null
                ? $"configs/metadata.json names no monai_version; MONAI {DefaultBundleMonaiVersion} assumed"
                : $"monai_version in configs/metadata.json ({Source("MonaiVersion")})",
            Inference = inference,
            NotRunnable = NotRunnable(info),
            RootDirectory = source.Kind == BundleSourceKind.Folder && source.FileSystemPath(string.Empty) is { } root && System.IO.Directory.Exists(root) ? root : null,
            ReadPackageFile = relative => BundleSource.NormalizeInside(relative) is { } inside && source.FileExists(inside) ? source.ReadAllBytes(inside, BundleSource.MaxConfigBytes) : null,
            ReadEvaluation = () => BundleEvaluationSettings(analysis),
        };
    }

    /// <summary>Why a bundle cannot run: no inference config, or a part of its pipeline that does not resolve (with where).</summary>
    private static string? NotRunnable(BundleInfo info)
    {
        if (info.Pipeline is not { } pipeline)
        {
            return $"{info.Name} has no inference config that reads ({string.Join(", ", BundleLayout.InferenceConfigCandidates)}).";
        }

        if (pipeline.Problems.FirstOrDefault() is { } problem)
        {
            return $"{info.Name}'s inference pipeline cannot be read without running Python: {problem.Position}: {problem.Message}.";
        }

        return pipeline.Inferer is null ? $"{info.Name}'s {pipeline.File} has no inferer (no \"inferer\" item)." : null;
    }

    /// <summary>The pipeline as component specs, with the defaults that the bundle's MONAI release changed after 1.3.2 filled in.</summary>
    private static InferenceConfig ToInferenceConfig(BundlePipeline pipeline, ConfigResolver? resolver, string monaiVersion)
    {
        ComponentSpec Of(PipelineComponent c) => MonaiReleaseDefaults.Apply(Spec(c, pipeline.File), monaiVersion);
        var amp = resolver?.TryResolve("evaluator::amp") is ({ } v, null) && v is bool b ? b : (bool?)null;
        return new InferenceConfig(
            pipeline.File,
            $"the bundle's inference config ({pipeline.File})",
            pipeline.PreTransforms.Select(Of).ToList(),
            pipeline.Inferer is null ? null : Of(pipeline.Inferer),
            pipeline.PostTransforms.Select(Of).ToList(),
            Array.Empty<ComponentSpec>(),
            Array.Empty<ModelReference>(),
            null,
            amp);
    }

    /// <summary>A resolved bundle component as a component spec: arguments as plain data, its id as a JSON pointer.</summary>
    public static ComponentSpec Spec(PipelineComponent component, string file)
    {
        var c = component.Component ?? throw new ArgumentException($"{component.Id} did not resolve.", nameof(component));
        var args = new ConfigObject(c.Args.Select(a => new KeyValuePair<string, object?>(a.Key, Plain(a.Value))));
        return new ComponentSpec(
            c.Target,
            ComponentSpec.Canonicalize(c.Target),
            c.IsCustomCode,
            args,
            c.Disabled,
            c.Position.File.Length > 0 ? c.Position.File : file,
            "/" + string.Join('/', ConfigIds.Split(c.Id).Select(p => p.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal))),
            new SourceLocation(c.Position.Line, c.Position.Column));
    }

    /// <summary>
    /// A resolved value as the plain data component specs hold: a referenced component stays "@id" (as Clara writes
    /// "@pre_transforms"), a dtype its numpy name, other symbolic values their expression.
    /// </summary>
    private static object? Plain(object? value) => value switch
    {
        ComponentValue c => "@" + c.Id,
        DTypeValue d => d.Name,
        SymbolicValue s => s.Expression,
        ResolvedDict d => new ConfigObject(d.Entries.Select(e => new KeyValuePair<string, object?>(e.Key, Plain(e.Value)))),
        object?[] list => list.Select(Plain).ToArray(),
        _ => value,
    };
}
