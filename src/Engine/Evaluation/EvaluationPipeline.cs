using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Inferers;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Models;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Evaluation;

/// <summary>
/// A model's pipeline bound once (pre-transforms, inferer, post-transforms, through the inference floor's
/// <see cref="PipelineBinder"/>) with its model loaded once, run case by case. As validate.sh runs it, the label
/// is read beside the image and goes through every transform that names it (LoadImaged, Spacingd, AsDiscreted
/// to_onehot…); as inference runs it, only the image does and the label stays as read. Either way the prediction ends
/// on the image's own grid (the config's Invertd, else the pre-transforms replayed backwards, nearest neighbour) and is
/// compared there with the truth as read.
/// </summary>
internal sealed class EvaluationPipeline : IDisposable
{
    private readonly BoundPipeline _bound;
    private readonly TorchScriptModel _model;
    private readonly bool _labelInPipeline;
    private readonly IEngineLog? _log;

    private EvaluationPipeline(BoundPipeline bound, TorchScriptModel model, MonaiSemantics semantics, bool labelInPipeline, IEngineLog? log)
    {
        _bound = bound;
        _model = model;
        Semantics = semantics;
        _labelInPipeline = labelInPipeline;
        _log = log;
    }

    public MonaiSemantics Semantics { get; }

    public string Device => _model.Device.ToString();

    public static EvaluationPipeline Create(RunnableModel model, InferenceConfig config, bool labelInPipeline, DeviceSpec device, MonaiSemantics? semantics, ModelSessionCache cache, IEngineLog? log)
    {
        var chosen = semantics ?? MonaiSemanticsVersions.Parse(model.MonaiVersion);
        var bound = PipelineBinder.Bind(config, chosen, null, log);
        if (bound.Problems.Count > 0)
        {
            bound.Dispose();
            throw bound.Problems[0].Error;
        }

        if (model.ModelFile is not { } file)
        {
            bound.Dispose();
            throw new MdaiClaraException($"{model.Name} has no TorchScript model to run; {model.ModelFileRemedy}.", ErrorIds.MmarModelMissing, ErrorKind.ObjectNotFound, model.Origin);
        }

        try
        {
            var loaded = cache.GetOrLoad(
                file.Sha256,
                device,
                d => TorchScriptModel.Load(file, d, log),
                log,
                file.DisplayPath);
            log.Verbose($"{model.Name}: evaluating with {config.File} ({MonaiSemanticsVersions.Describe(chosen)} semantics){(labelInPipeline ? ", the label through the transforms that name it" : string.Empty)}.");
            return new EvaluationPipeline(bound, loaded, chosen, labelInPipeline, log);
        }
        catch
        {
            bound.Dispose();
            throw;
        }
    }

    public void Dispose() => _bound.Dispose();

    /// <summary>Runs one case; the label map comes back on the truth's grid (an error when the grids cannot be matched).</summary>
    public CaseOutput Run(GroundTruthCase c, IProgress<InferenceProgress>? progress, CancellationToken cancellationToken)
    {
        using var scope = NewDisposeScope();
        using var noGrad = inference_mode();
        using var item = new PipelineItem { InputName = c.Name };
        item.Sources["image"] = c.Image;
        if (_labelInPipeline && c.Label is { } labelSource)
        {
            item.Sources["label"] = labelSource;
        }

        var context = new PipelineContext { Semantics = Semantics, Device = _model.Device, Log = _log, CancellationToken = cancellationToken };
        foreach (var step in _bound.Pre)
        {
            Apply(step, item, context);
        }

        var image = item.TryGet("image", out var i) ? i : throw new MdaiClaraException($"{c.Name}: the pre-transforms left no 'image' for the model.", ErrorIds.TransformInputInvalid, ErrorKind.InvalidData, c.Name);
        if (!image.ChannelFirst)
        {
            throw new MdaiClaraException($"{c.Name}: the pre-transforms never put a channel axis first, so the model cannot take [{string.Join(", ", image.Data.shape)}].", ErrorIds.TransformInputInvalid, ErrorKind.InvalidData, c.Name);
        }

        Tensor output;
        using (var batch = image.Data.to_type(ScalarType.Float32).unsqueeze(0))
        {
            try
            {
                output = _bound.Inferer!.Infer(batch, _model.Forward, progress, cancellationToken);
            }
            catch (ExternalException ex)
            {
                throw new MdaiClaraException($"{c.Name}: the inferer could not run: {ex.Message.Split('\n')[0]}", ErrorIds.InferenceFailed, ErrorKind.ResourceUnavailable, c.Name, ex);
            }
        }

        var spatial = output.dim() == image.SpatialRank + 2;
        item["pred"] = spatial ? image.Derive(output[0]) : new ImageItem(output[0], image.Affine, 0, null, image.FileName) { ChannelFirst = true };
        var classifier = new ClassifierOutput();
        foreach (var step in _bound.Post)
        {
            if (!spatial)
            {
                classifier.Before(step, item);
            }

            Apply(step, item, context);
        }

        var pred = item["pred"];
        if (!spatial || pred.Data.dim() != image.SpatialRank + 1)
        {
            // A classifier's scores are its class scores, never the class an AsDiscrete decided from them.
            return new CaseOutput { Scores = classifier.Scores(pred.Data.flatten().to_type(ScalarType.Float64).cpu().data<double>().ToArray()) };
        }

        var postPrediction = pred.Data.detach().clone().MoveToOuterDisposeScope();
        var postLabel = item.TryGet("label", out var l) ? l.Data.detach().clone().MoveToOuterDisposeScope() : null;
        var truth = c.LabelVolume ?? (item.TryGet("label", out var loaded) ? loaded.SourceVolume : null) ?? ReadLabel(c, context);
        var prediction = OnTruthGrid(c.Name, pred, image, truth);
        return new CaseOutput { Prediction = prediction, Truth = truth, Image = image.SourceVolume, PostPrediction = postPrediction, PostLabel = postLabel };
    }

    /// <summary>The label map of the final prediction (argmax of several channels, else the values to the nearest label) on the truth's grid.</summary>
    private Volume OnTruthGrid(string name, ImageItem pred, ImageItem image, Volume truth)
    {
        var labels = pred.Data.shape[0] > 1 ? pred.Data.max(0).indexes : (pred.Data[0].to_type(ScalarType.Float32) + 0.5f).floor();
        using var mapped = pred.Derive(labels.unsqueeze(0).to_type(ScalarType.Float32));
        mapped.Affine = pred.Affine;
        mapped.Inverted = pred.Inverted;
        if (!mapped.Inverted && image.Applied.Count > 0)
        {
            // As inference does when a config does not invert: the pre-transforms replayed backwards, nearest neighbour.
            TransformInversion.Replay(mapped, image.Applied, nearest: true, Semantics);
        }

        var shape = mapped.Data.shape.Skip(1).ToArray();
        var truthShape = truth.Shape.Take(shape.Length).ToArray();
        var extra = truth.Shape.Skip(shape.Length).Any(n => n != 1);
        if (!shape.SequenceEqual(truthShape) || extra)
        {
            throw new MdaiClaraException(
                $"{name}: the prediction is on the image's grid ({string.Join("×", shape)}), the truth on another ({string.Join("×", truth.Shape)}); the label must be on its image's grid.",
                ErrorIds.EvaluationGridMismatch, ErrorKind.InvalidData, name);
        }

        var imageAffine = image.SourceVolume?.Affine ?? image.OriginalAffine;
        if (MaxDifference(imageAffine, truth.Affine) > 1e-2)
        {
            throw new MdaiClaraException(
                $"{name}: the image and the truth have the same shape but not the same position in space (image affine {imageAffine}, truth affine {truth.Affine}); the label must be on its image's grid.",
                ErrorIds.EvaluationGridMismatch, ErrorKind.InvalidData, name);
        }

        var values = mapped.Data[0];
        var max = values.max().item<float>();
        return VolumeTensors.ToVolume(values, truth.Affine, max <= byte.MaxValue ? VoxelType.UInt8 : VoxelType.Int32, $"prediction for {name}");
    }

    private static double MaxDifference(Affine a, Affine b)
    {
        var max = 0.0;
        for (var r = 0; r < 3; r++)
        {
            for (var col = 0; col < 4; col++)
            {
                max = Math.Max(max, Math.Abs(a[r, col] - b[r, col]));
            }
        }

        return max;
    }

    private static Volume ReadLabel(GroundTruthCase c, PipelineContext context)
    {
        if (c.Label is not { } label)
        {
            throw new MdaiClaraException($"{c.Name}: no label map was given to measure the prediction against.", ErrorIds.GroundTruthItemMissing, ErrorKind.ObjectNotFound, c.Name);
        }

        using var loaded = ImageLoader.Load(label, CPU, context.CancellationToken, context.Log);
        return loaded.SourceVolume ?? throw new MdaiClaraException($"{c.Name}: the label {label.Name} is a picture, not a label volume.", ErrorIds.GroundTruthItemMissing, ErrorKind.InvalidData, label.Name);
    }

    private static void Apply(IPipelineStep step, PipelineItem item, PipelineContext context)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        try
        {
            step.Apply(item, context);
        }
        catch (ExternalException ex)
        {
            throw new MdaiClaraException($"{item.InputName}: {step.Name} failed in libtorch: {ex.Message.Split('\n')[0]}", ErrorIds.InferenceFailed, ErrorKind.InvalidData, item.InputName, ex);
        }
    }
}
