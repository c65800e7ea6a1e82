using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Imaging.Nifti;
using MdaiClara.Engine.Inference.Inferers;
using MdaiClara.Engine.Inference.Pipeline.Steps;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Models;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Pipeline;

/// <summary>What a session is built with: the device, the MONAI semantics to force (else the model's), the user's overrides.</summary>
public sealed record InferenceSessionOptions(DeviceSpec Device, MonaiSemantics? Semantics = null, InferenceOverrides? Overrides = null);

/// <summary>
/// A model's inference (an MMAR's, a bundle's: any <see cref="RunnableModel"/>), ready to run: its pre-transforms, inferer and post-transforms bound once, its TorchScript model
/// loaded once on the device (through the module's cache), then run on any number of inputs. Each run works inside a
/// dispose scope with inference mode on, so device memory is freed when it ends, also on cancellation. Runs are
/// sequential: a session is used by one thread at a time.
/// </summary>
public sealed class ClaraInferenceSession : IDisposable
{
    private readonly IReadOnlyList<IPipelineStep> _pre;
    private readonly IReadOnlyList<IPipelineStep> _post;
    private readonly IInferer _inferer;
    private readonly TorchScriptModel _model;
    private readonly RunnableModel _info;
    private readonly IEngineLog? _log;

    private ClaraInferenceSession(RunnableModel info, IReadOnlyList<IPipelineStep> pre, IInferer inferer, IReadOnlyList<IPipelineStep> post, TorchScriptModel model, MonaiSemantics semantics, IEngineLog? log)
    {
        _info = info;
        _pre = pre;
        _inferer = inferer;
        _post = post;
        _model = model;
        Semantics = semantics;
        _log = log;
    }

    public MonaiSemantics Semantics { get; }

    /// <summary>Frees what the inferer keeps on the device (importance maps); the model stays in the module's cache.</summary>
    public void Dispose() => (_inferer as IDisposable)?.Dispose();

    public string Device => _model.Device.ToString();

    /// <summary>Binds the model's inference config and loads its model. Every transform is checked before anything runs.</summary>
    public static ClaraInferenceSession Create(RunnableModel model, InferenceSessionOptions options, ModelSessionCache cache, IEngineLog? log = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(cache);
        if (model.NotRunnable is not null || model.Inference is null)
        {
            throw new MdaiClaraException(
                model.NotRunnable ?? $"{model.Name} has no inference config that can be read.", ErrorIds.InferenceConfigInvalid, ErrorKind.InvalidData, model.Origin);
        }

        var config = model.Inference;
        var semantics = options.Semantics ?? MonaiSemanticsVersions.Parse(model.MonaiVersion);
        log.Verbose($"{model.Name}: running {config.File} with {MonaiSemanticsVersions.Describe(semantics)} semantics ({(options.Semantics is null ? $"{model.MonaiVersionSource ?? $"MONAI {model.MonaiVersion}"}; {MonaiSemanticsChoices.Choose(model.MonaiVersion).Reason}" : "chosen by the caller")}).");
        var bound = PipelineBinder.Bind(config, semantics, options.Overrides, log);
        if (bound.Problems.Count > 0)
        {
            bound.Dispose();
            throw bound.Problems[0].Error;
        }

        var (pre, inferer, post) = (bound.Pre, bound.Inferer!, bound.Post);
        if (model.ModelFile is not { } file)
        {
            bound.Dispose();
            throw new MdaiClaraException($"{model.Name} has no TorchScript model to run ({model.ModelFileExpected ?? "none named"}); {model.ModelFileRemedy}.", ErrorIds.MmarModelMissing, ErrorKind.ObjectNotFound, model.Origin);
        }

        var loaded = cache.GetOrLoad(file.Sha256, options.Device, d => TorchScriptModel.Load(file, d, log), log, file.DisplayPath);
        return new ClaraInferenceSession(model, pre, inferer, post, loaded, semantics, log);
    }

    /// <summary>
    /// A 2-D picture given to a model whose sliding window is 3-D would fail deep in a transform (Orientationd's axis
    /// codes, the window's rank); say so when it is loaded, naming the input.
    /// </summary>
    private void CheckSpatialRank(PipelineItem item, InputSource input)
    {
        if (_inferer is SlidingWindowInferer { Options.RoiSize: { Length: 3 } roi } && item.TryGet("image", out var loaded) && loaded.SpatialRank == 2)
        {
            var what = input.Files.Count == 1 ? input.Files[0] : input.Name;
            var size = string.Join("×", loaded.Data.shape.Take(2));
            throw new MdaiClaraException(
                $"{what} is a 2-D image ({size}), but this model needs a 3-D volume: its SlidingWindowInferer works on {string.Join("×", roi)} windows. Give it a 3-D image (a NIfTI volume or a DICOM series).",
                ErrorIds.InputRankMismatch, ErrorKind.InvalidArgument, what);
        }
    }

    /// <summary>
    /// Runs the pipeline on one input. With <paramref name="outputDirectory"/>, writes &lt;name&gt;_seg.nii.gz (and
    /// &lt;name&gt;_prob.nii.gz with <paramref name="saveProbabilities"/>) there, each written to a temporary file first.
    /// </summary>
    /// <param name="input">The image to run on.</param>
    /// <param name="outputDirectory">Where to write the result files, or null to write none.</param>
    /// <param name="saveProbabilities">Also write the probabilities before argmax.</param>
    /// <param name="progress">Receives the sliding window's progress.</param>
    /// <param name="cancellationToken">Stops the run between windows and steps.</param>
    /// <param name="observe">Called after each stage with its name ("pre_00_LoadImaged", "inferer", "post_01_AsDiscreted") and the data: tests and diagnostics look there.</param>
    public InferenceResult Run(InputSource input, string? outputDirectory, bool saveProbabilities, IProgress<InferenceProgress>? progress, CancellationToken cancellationToken, Action<string, PipelineItem>? observe = null)
    {
        var clock = Stopwatch.StartNew();
        double Lap()
        {
            var ms = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            return ms;
        }

        using var scope = NewDisposeScope();
        using var noGrad = inference_mode();
        using var item = new PipelineItem { InputName = input.Name };
        item.Sources["image"] = input;
        var context = new PipelineContext
        {
            Semantics = Semantics,
            Device = _model.Device,
            Log = _log,
            CancellationToken = cancellationToken,
            OutputDirectory = outputDirectory,
        };

        Run(_pre[0], item, context);
        CheckSpatialRank(item, input);
        observe?.Invoke($"pre_00_{_pre[0].Name}", item);
        var loadMs = Lap();
        for (var s = 1; s < _pre.Count; s++)
        {
            Run(_pre[s], item, context);
            observe?.Invoke($"pre_{s:00}_{_pre[s].Name}", item);
        }

        var image = item.TryGet("image", out var i) ? i : throw new MdaiClaraException($"{input.Name}: the pre-transforms left no 'image' for the model.", ErrorIds.TransformInputInvalid, ErrorKind.InvalidData, input.Name);
        if (!image.ChannelFirst)
        {
            throw new MdaiClaraException(
                $"{input.Name}: the pre-transforms never put a channel axis first (no EnsureChannelFirstd or AddChanneld), so the model cannot take [{string.Join(", ", image.Data.shape)}].",
                ErrorIds.TransformInputInvalid, ErrorKind.InvalidData, input.Name);
        }

        var modelInput = image.Data.shape;
        var preMs = Lap();

        var windows = _inferer is SlidingWindowInferer sw ? sw.CountWindows(image.SpatialShape) : 1;
        Tensor output;
        using (var batch = image.Data.to_type(ScalarType.Float32).unsqueeze(0))
        {
            output = Infer(batch, progress, cancellationToken, input.Name);
        }

        var pred = output[0];
        output.Dispose();
        var inferMs = Lap();

        var spatial = pred.dim() == image.SpatialRank + 1;
        item["pred"] = spatial ? image.Derive(pred) : new ImageItem(pred, image.Affine, 0, null, image.FileName) { ChannelFirst = true };
        observe?.Invoke("inferer", item);

        // The probabilities are the prediction as it is just before it is made discrete (or at the end when nothing makes it
        // discrete); taken with their geometry, so they are brought to the input's grid whether or not Invertd ran before.
        ImageItem? probabilities = null;
        var classifier = new ClassifierOutput();
        for (var s = 0; s < _post.Count; s++)
        {
            var step = _post[s];
            if (!spatial)
            {
                classifier.Before(step, item);
            }

            if (saveProbabilities && probabilities is null && step is AsDiscreteStep && item.TryGet("pred", out var beforeDiscrete))
            {
                probabilities = Snapshot(beforeDiscrete);
            }

            Run(step, item, context);
            observe?.Invoke($"post_{s:00}_{step.Name}", item);
        }

        var result = item["pred"];
        var warnings = image.SourceVolume?.Warnings.ToList() ?? new List<string>();
        if (saveProbabilities && probabilities is null && spatial && result.Data.is_floating_point() && !IsDiscrete(result.Data))
        {
            probabilities = Snapshot(result);
        }
        else if (saveProbabilities && probabilities is null)
        {
            Note(warnings, $"{input.Name}: the probabilities asked for were not written: {(spatial ? "the config's final prediction is already a label map and no AsDiscrete step comes before it" : "a classifier's probabilities are on the result's Probabilities")}.");
        }
        var files = new List<string>();
        InferenceResult Finish(string task, IReadOnlyList<SegmentationClass> classes, IReadOnlyList<ClassProbability> probs, Volume? label, double postMs, double writeMs, IReadOnlyList<ClassDecision>? decided = null) => new()
        {
            Input = input.Name,
            Source = input.Volume?.Source ?? string.Join(", ", input.Files.Take(3)) + (input.Files.Count > 3 ? $" and {input.Files.Count - 3} more" : string.Empty),
            Model = _info.Name,
            ModelVersion = _info.VersionLabel,
            ModelSha256 = _info.ModelFile?.Sha256,
            Device = Device,
            Task = task,
            Semantics = MonaiSemanticsVersions.Describe(Semantics),
            Shape = image.OriginalSpatialShape,
            ModelInputShape = modelInput,
            Windows = windows,
            Classes = classes,
            Probabilities = probs,
            Decided = decided ?? Array.Empty<ClassDecision>(),
            Label = label,
            OutputFiles = files,
            Timings = new InferenceTimings(loadMs, preMs, inferMs, postMs, writeMs),
            Warnings = warnings,
            InputDicom = image.SourceVolume?.Dicom,
            InputAffine = image.SourceVolume?.Affine,
            Sigmoid = _post.OfType<ActivationsStep>().Any(a => a.Sigmoid),
        };

        if (!spatial || result.Data.dim() != image.SpatialRank + 1)
        {
            var values = result.Data.flatten().to_type(ScalarType.Float64).cpu().data<double>().ToArray();
            var probs = classifier.Probabilities(values).Select((p, k) => new ClassProbability(k, ClassName(k), p)).ToList();
            var decided = classifier.Decided(values);
            if (decided is null)
            {
                Note(warnings, $"{input.Name}: the postprocessing's AsDiscrete left [{string.Join(", ", values.Take(8))}], which is neither a class index nor a 0/1 value per class; no class is reported as decided.");
            }
            else if (classifier.Discrete && probs.Count == 0)
            {
                Note(warnings, $"{input.Name}: the postprocessing decides the class from the network's raw scores (AsDiscrete without an activation before it), so, as in MONAI, there are no probabilities; the decided class is on Decided.");
            }

            return Finish("classification", Array.Empty<SegmentationClass>(), probs, null, Lap(), 0, (decided ?? Array.Empty<int>()).Select(k => new ClassDecision(k, ClassName(k))).ToList());
        }

        if (!result.Inverted && image.Applied.Count > 0)
        {
            var note = $"The config does not invert its pre-transforms ({string.Join(", ", image.Applied.Select(a => a.Transform).Distinct())}); the result was mapped back to the input's grid with nearest-neighbour resampling.";
            _log.Verbose($"{input.Name}: {note}");
            TransformInversion.Replay(result, image.Applied, nearest: true, Semantics);
        }

        var labels = LabelMap(result.Data, warnings, input.Name);
        var affine = image.SourceVolume is { } source && source.Shape.Take(image.SpatialRank).SequenceEqual(labels.shape) ? source.Affine : result.Affine;
        var classCount = (int)Math.Max(_info.ClassNames.Count, result.Data.shape[0] > 1 ? result.Data.shape[0] : 0);
        var counts = bincount(labels.flatten(), minlength: Math.Max(classCount, 1)).cpu().data<long>().ToArray();
        var label = VolumeTensors.ToVolume(labels, affine, labels.dtype == ScalarType.Byte ? VoxelType.UInt8 : VoxelType.Int32, input.Name);
        if (image.SourceVolume?.Dicom is { } dicom)
        {
            label = new Volume(label.GetVoxels(), label.Shape.ToArray(), label.Affine, label.Source) { Dicom = dicom, Modality = "SEG" };
        }

        var voxelMl = VoxelVolumeMl(affine, image.SpatialRank);
        var classes = counts.Select((n, k) => new SegmentationClass(k, ClassName(k), n, n * voxelMl)).ToList();
        Volume? probabilityVolume = null;
        if (probabilities is not null)
        {
            using (probabilities)
            {
                if (!probabilities.Inverted)
                {
                    TransformInversion.Replay(probabilities, image.Applied, nearest: false, Semantics);
                }

                // Classes last; a 2-D map keeps a one-voxel third axis so the classes are the fourth (NIfTI's 5th dim, as nibabel reads it).
                var channelsLast = probabilities.Data.movedim(new long[] { 0 }, new long[] { -1 });
                probabilityVolume = VolumeTensors.ToVolume(image.SpatialRank == 2 ? channelsLast.unsqueeze(2) : channelsLast, affine, VoxelType.Float32, input.Name);
            }
        }

        var postMs = Lap();
        if (outputDirectory is not null)
        {
            Directory.CreateDirectory(outputDirectory);
            var stem = InferenceInputs.SafeFileName(input.Name);
            var segPath = Path.Combine(outputDirectory, stem + "_seg.nii.gz");
            NiftiWriter.Write(label, segPath, cancellationToken);
            files.Add(segPath);
            if (probabilityVolume is not null)
            {
                var probPath = Path.Combine(outputDirectory, stem + "_prob.nii.gz");
                NiftiWriter.Write(probabilityVolume, probPath, cancellationToken);
                files.Add(probPath);
            }
        }

        return Finish("segmentation", classes, Array.Empty<ClassProbability>(), label, postMs, Lap());
    }

    private Tensor Infer(Tensor batch, IProgress<InferenceProgress>? progress, CancellationToken cancellationToken, string input)
    {
        try
        {
            return _inferer.Infer(batch, _model.Forward, progress, cancellationToken);
        }
        catch (MdaiClaraException ex) when (ex.ErrorId == ErrorIds.TorchScriptForwardFailed)
        {
            throw new MdaiClaraException($"{input}: {ex.Message}", ErrorIds.InferenceFailed, ErrorKind.InvalidData, input, ex);
        }
        catch (ExternalException ex)
        {
            // libtorch itself failed (most often: not enough memory for the windows of this roi_size and sw_batch_size).
            throw new MdaiClaraException(
                $"{input}: the {_inferer.GetType().Name} could not run: {FirstLine(ex.Message)} A smaller ROI size or window batch size needs less memory.",
                ErrorIds.InferenceFailed, ErrorKind.ResourceUnavailable, input, ex);
        }
    }

    private static void Run(IPipelineStep step, PipelineItem item, PipelineContext context)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        try
        {
            step.Apply(item, context);
        }
        catch (ExternalException ex)
        {
            throw new MdaiClaraException(
                $"{item.InputName}: {step.Name} failed in libtorch: {FirstLine(ex.Message)}", ErrorIds.InferenceFailed, ErrorKind.InvalidData, item.InputName, ex);
        }
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? message;
        return line.EndsWith('.') ? line : line + ".";
    }

    /// <summary>Labels from the final prediction: argmax of several channels, else the values (rounded), else ≥ 0.5.</summary>
    /// <summary>
    /// The label map of the final prediction: the argmax of several channels, else the one channel's values. Values that
    /// are not whole numbers (probabilities, or labels interpolated by a linear Invertd) go to the nearest label, halves
    /// up, so a probability ≥ 0.5 is 1; a warning says so when they are more than probabilities.
    /// </summary>
    private Tensor LabelMap(Tensor pred, List<string> warnings, string input)
    {
        Tensor labels;
        if (pred.shape[0] > 1)
        {
            // max(dim)'s indices are argmax's (first maximum wins), and far faster over the channel axis on the CPU.
            labels = pred.max(0).indexes;
        }
        else if (!pred.is_floating_point())
        {
            labels = pred[0].to_type(ScalarType.Int64);
        }
        else
        {
            var values = pred[0].to_type(ScalarType.Float32);
            if (!IsDiscrete(values) && values.max().item<float>() > 1)
            {
                Note(warnings, $"{input}: the final prediction holds values between labels (a label map resampled with interpolation?); each voxel took the nearest label.");
            }

            labels = (values + 0.5f).floor();
        }

        var min = labels.min().to_type(ScalarType.Float64).item<double>();
        if (min < 0)
        {
            throw new MdaiClaraException($"{input}: the final prediction holds negative values ({min}), so it is not a label map; check the post-transforms.", ErrorIds.TransformInputInvalid, ErrorKind.InvalidData, input);
        }

        // One byte per voxel whenever the labels allow it: the map is counted, copied to the host and written as it is.
        var max = labels.max().to_type(ScalarType.Float64).item<double>();
        return labels.to_type(max <= byte.MaxValue ? ScalarType.Byte : ScalarType.Int32);
    }

    private static bool IsDiscrete(Tensor values)
    {
        if (!values.is_floating_point())
        {
            return true;
        }

        using var asFloat = values.to_type(ScalarType.Float32);
        return asFloat.eq(asFloat.round()).all().item<bool>();
    }

    private static ImageItem Snapshot(ImageItem item)
    {
        var copy = item.Derive(item.Data.to_type(ScalarType.Float32).clone());
        copy.Affine = item.Affine;
        copy.Inverted = item.Inverted;
        return copy;
    }

    private void Note(List<string> warnings, string message)
    {
        warnings.Add(message);
        _log.Warning(message);
    }

    private string ClassName(int k) => _info.ClassName(k);

    private static double VoxelVolumeMl(Affine a, int rank)
    {
        var m = new double[3, 3];
        for (var r = 0; r < 3; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                m[r, c] = a[r, c];
            }
        }

        var det = (m[0, 0] * ((m[1, 1] * m[2, 2]) - (m[1, 2] * m[2, 1]))) - (m[0, 1] * ((m[1, 0] * m[2, 2]) - (m[1, 2] * m[2, 0]))) + (m[0, 2] * ((m[1, 0] * m[2, 1]) - (m[1, 1] * m[2, 0])));
        return Math.Abs(det) / 1000.0;
    }
}
