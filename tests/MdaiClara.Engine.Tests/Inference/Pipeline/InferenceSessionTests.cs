using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Nifti;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Inferers;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Inference.Pipeline;

/// <summary>The session around the pipeline: results on the input grid whatever the config inverts, files, cancellation, bad configs.</summary>
[Collection(TorchCollection.Name)]
public class InferenceSessionTests
{
    private static readonly string PhantomNifti = Path.Combine(TestPaths.RepoRoot, "samples", "phantom", "phantom_ct.nii.gz");

    public InferenceSessionTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void TheSampleRunsAndItsLabelMapLiesOnTheInputGrid()
    {
        using var cache = new ModelSessionCache();
        using var temp = new TempDirectory();
        using var session = Session(TestPaths.SampleMmar, cache);

        var result = session.Run(InputSource.FromFile(PhantomNifti, "phantom_ct"), temp.Path, true, null, default);

        var input = NiftiReader.Read(PhantomNifti);
        Assert.Equal(input.Shape, result.Label!.Shape);
        Assert.True(result.Label.Affine.MaxAbsDifference(input.Affine) < 1e-9);
        Assert.Equal(new[] { "background", "organ", "lesion" }, result.Classes.Select(c => c.Name));
        Assert.Equal(input.VoxelCount, result.Classes.Sum(c => c.Voxels));
        Assert.Equal(new[] { Path.Combine(temp.Path, "phantom_ct_seg.nii.gz"), Path.Combine(temp.Path, "phantom_ct_prob.nii.gz") }, result.OutputFiles);
        Assert.Equal(new[] { "phantom_ct_prob.nii.gz", "phantom_ct_seg.nii.gz" }, Directory.GetFiles(temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var written = NiftiReader.Read(result.OutputFiles[0]);
        Assert.Equal(result.Label.GetVoxels<byte>(), written.GetVoxels<byte>());
        var probabilities = NiftiReader.Read(result.OutputFiles[1]);
        Assert.Equal(new long[] { 96, 88, 40, 3 }, probabilities.Shape);
    }

    [Fact]
    public void AConfigWithoutInvertdIsStillMappedBackToTheInputGrid()
    {
        using var cache = new ModelSessionCache();
        using var temp = new TempDirectory();
        var log = new CollectingLog();
        var withInvert = Session(TestPaths.SampleMmar, cache).Run(InputSource.FromFile(PhantomNifti, "phantom_ct"), null, false, null, default);
        var mmar = CopySample(temp, config =>
        {
            var post = config["post_transforms"]!.AsArray();
            post.Remove(post.First(t => t!["name"]!.GetValue<string>() == "Invertd"));
        });

        var without = Session(mmar, cache, log).Run(InputSource.FromFile(PhantomNifti, "phantom_ct"), null, false, null, default);

        Assert.Equal(withInvert.Label!.Shape, without.Label!.Shape);
        Assert.True(without.Label.Affine.MaxAbsDifference(withInvert.Label.Affine) < 1e-9);
        var a = withInvert.Label.GetVoxels<byte>();
        var b = without.Label.GetVoxels<byte>();
        // Argmax then nearest vs trilinear probabilities then argmax: they differ only along boundaries.
        Assert.True(a.Zip(b).Count(p => p.First == p.Second) > 0.99 * a.Length);
        Assert.Contains(log.Messages, m => m.Message.Contains("does not invert its pre-transforms", StringComparison.Ordinal));
    }

    [Fact]
    public void Clara40HandlersInvertAndSave()
    {
        using var cache = new ModelSessionCache();
        using var temp = new TempDirectory();
        var log = new CollectingLog();
        var mmar = CopySample(temp, config =>
        {
            var post = config["post_transforms"]!.AsArray();
            post.Remove(post.First(t => t!["name"]!.GetValue<string>() == "Invertd"));
            post.Remove(post.First(t => t!["name"]!.GetValue<string>() == "SaveImaged"));
            config["handlers"] = new JsonArray(
                new JsonObject { ["name"] = "TransformInverter", ["args"] = new JsonObject { ["output_keys"] = "pred", ["batch_keys"] = "image", ["nearest_interp"] = true } },
                new JsonObject { ["name"] = "SegmentationSaver", ["args"] = new JsonObject { ["output_dir"] = "{MMAR_EVAL_OUTPUT_PATH}", ["batch_transform"] = "lambda x: x['image_meta_dict']", ["output_transform"] = "lambda x: x['pred']" } });
        });

        var result = Session(mmar, cache, log).Run(InputSource.FromFile(PhantomNifti, "phantom_ct"), null, false, null, default);

        Assert.Equal(new long[] { 96, 88, 40 }, result.Label!.Shape);
        Assert.Contains(log.Messages, m => m.Message.Contains("TransformInverter inverts the pre-transforms", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Messages, m => m.Message.Contains("does not invert", StringComparison.Ordinal));
    }

    [Fact]
    public void CancellingStopsBetweenWindows()
    {
        using var cache = new ModelSessionCache();
        using var session = Session(TestPaths.SampleMmar, cache, overrides: new InferenceOverrides(new long[] { 32, 32, 16 }, 0.5, 1));
        using var stop = new CancellationTokenSource();
        var reports = 0;
        var progress = new SynchronousProgress(p =>
        {
            reports++;
            stop.Cancel();
        });

        Assert.ThrowsAny<OperationCanceledException>(() => session.Run(InputSource.FromFile(PhantomNifti, "phantom_ct"), null, false, progress, stop.Token));
        Assert.Equal(1, reports);
    }

    [Fact]
    public void ProgressCountsEveryWindow()
    {
        using var cache = new ModelSessionCache();
        using var session = Session(TestPaths.SampleMmar, cache, overrides: new InferenceOverrides(new long[] { 32, 32, 16 }, 0.25, 3));
        InferenceProgress last = default;

        var result = session.Run(InputSource.FromFile(PhantomNifti, "phantom_ct"), null, false, new SynchronousProgress(p => last = p), default);

        Assert.Equal(result.Windows, last.WindowsTotal);
        Assert.Equal(last.WindowsTotal, last.WindowsDone);
        Assert.True(result.Windows > 10);
    }

    [Fact]
    public void APipelineThatNeverAddsAChannelSaysSo()
    {
        using var cache = new ModelSessionCache();
        using var temp = new TempDirectory();
        var mmar = CopySample(temp, config =>
        {
            var pre = config["pre_transforms"]!.AsArray();
            pre.Remove(pre.First(t => t!["name"]!.GetValue<string>() == "EnsureChannelFirstd"));
        });

        var ex = Assert.Throws<MdaiClaraException>(() => Session(mmar, cache).Run(InputSource.FromFile(PhantomNifti, "phantom_ct"), null, false, null, default));

        Assert.Equal(ErrorIds.TransformInputInvalid, ex.ErrorId);
        Assert.Contains("Orientationd (config/config_inference.json:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("has no channel axis yet; put EnsureChannelFirstd (or AddChanneld) before Orientationd", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATensorFlowMmarIsRefusedBeforeAnythingLoads()
    {
        using var cache = new ModelSessionCache();
        using var temp = new TempDirectory();
        var clara3 = SyntheticMmars.WriteClara3(temp);

        var ex = Assert.Throws<MdaiClaraException>(() => ClaraInferenceSession.Create(MmarAnalyzer.Open(clara3), new InferenceSessionOptions(DeviceSpec.Cpu), cache));

        Assert.Equal(ErrorIds.InferenceConfigInvalid, ex.ErrorId);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void ASingleDicomImageIsClassifiedAsATwoDimensionalImage()
    {
        // The golden chest X-ray classifier's config (LoadImaged, EnsureChannelFirstd, ScaleIntensityd, Resized 256×256)
        // on a one-slice DICOM file: ITK reads that as a 2-D image, and so must we.
        using var cache = new ModelSessionCache();
        using var temp = new TempDirectory();
        var root = temp.Combine("cls");
        Directory.CreateDirectory(Path.Combine(root, "config"));
        Directory.CreateDirectory(Path.Combine(root, "models"));
        File.Copy(TestPaths.Golden("pipelines/cls_png8/config_inference.json"), Path.Combine(root, "config", "config_inference.json"));
        File.Copy(TestPaths.Golden("models/cls2d/model.ts"), Path.Combine(root, "models", "model.ts"));
        File.WriteAllText(Path.Combine(root, "config", "environment.json"), "{\"MMAR_TORCHSCRIPT\": \"models/model.ts\", \"DATASET_JSON\": \"config/dataset.json\", \"DATA_ROOT\": \".\"}");
        var dicom = Path.Combine(TestPaths.Fixtures, "dicom", "corpus", "files", "MR_small_padded.dcm");

        var result = Session(root, cache).Run(InputSource.FromFile(dicom, "MR_small_padded"), null, false, null, default);

        Assert.Equal("classification", result.Task);
        Assert.Equal(new long[] { 64, 64 }, result.Shape);
        Assert.Equal(new long[] { 1, 256, 256 }, result.ModelInputShape);
        Assert.Equal(15, result.Probabilities.Count);
        Assert.All(result.Probabilities, p => Assert.InRange(p.Probability, 0, 1));
        Assert.Null(result.Label);
    }

    [Theory]
    [InlineData("CastToTyped", "uint8")]
    [InlineData("CastToTyped", "int64")]
    [InlineData("EnsureTyped", "float16")]
    [InlineData("CastToTyped", "float64")]
    public void AFinalPredictionOfAnyDtypeIsALabelMap(string transform, string dtype)
    {
        using var cache = new ModelSessionCache();
        using var temp = new TempDirectory();
        var reference = Session(TestPaths.SampleMmar, cache).Run(InputSource.FromFile(PhantomNifti, "phantom_ct"), null, false, null, default);
        var mmar = CopySample(temp, config => config["post_transforms"]!.AsArray().Add(
            new JsonObject { ["name"] = transform, ["args"] = new JsonObject { ["keys"] = "pred", ["dtype"] = dtype } }));

        var result = Session(mmar, cache).Run(InputSource.FromFile(PhantomNifti, "phantom_ct"), null, false, null, default);

        Assert.Equal(reference.Classes.Select(c => c.Voxels), result.Classes.Select(c => c.Voxels));
    }

    [Fact]
    public void ArrayTransformsAfterTheInfererWorkOnThePrediction()
    {
        using var cache = new ModelSessionCache();
        using var temp = new TempDirectory();
        var mmar = CopySample(temp, config => config["post_transforms"]!.AsArray().Add(
            new JsonObject { ["name"] = "CastToType", ["args"] = new JsonObject { ["dtype"] = "uint8" } }));
        TorchSharp.torch.ScalarType? predType = null;

        Session(mmar, cache).Run(InputSource.FromFile(PhantomNifti, "phantom_ct"), null, false, null, default, (stage, item) =>
        {
            if (stage.EndsWith("CastToType", StringComparison.Ordinal))
            {
                predType = item["pred"].Data.dtype;
            }
        });

        Assert.Equal(TorchSharp.torch.ScalarType.Byte, predType);
    }

    [Fact]
    public void LabelsInterpolatedByALinearInvertdKeepEveryClass()
    {
        using var cache = new ModelSessionCache();
        using var temp = new TempDirectory();
        var log = new CollectingLog();
        var mmar = CopySample(temp, config =>
        {
            // argmax first, then Invertd with trilinear interpolation: the map holds values between labels.
            var post = config["post_transforms"]!.AsArray();
            var discrete = post.First(t => t!["name"]!.GetValue<string>() == "AsDiscreted")!;
            post.Remove(discrete);
            post.Insert(1, discrete);
        });

        var result = Session(mmar, cache, log).Run(InputSource.FromFile(PhantomNifti, "phantom_ct"), null, false, null, default);

        Assert.All(result.Classes.Skip(1), c => Assert.True(c.Voxels > 0, $"{c.Name} vanished"));
        Assert.Contains(result.Warnings, w => w.Contains("nearest label", StringComparison.Ordinal));
    }

    [Fact]
    public void ProbabilitiesTakenBeforeInvertdAreBroughtToTheInputGridToo()
    {
        using var cache = new ModelSessionCache();
        using var temp = new TempDirectory();
        var mmar = CopySample(temp, config =>
        {
            // One-hot before Invertd: the probabilities are taken on the model's grid (RAS, 1.5 mm), the label map inverted later.
            var post = config["post_transforms"]!.AsArray();
            var discrete = post.First(t => t!["name"]!.GetValue<string>() == "AsDiscreted")!;
            post.Remove(discrete);
            discrete["args"]!["to_onehot"] = 3;
            post.Insert(1, discrete);
        });

        var result = Session(mmar, cache).Run(InputSource.FromFile(PhantomNifti, "phantom_ct"), temp.Combine("out"), true, null, default);

        var prob = NiftiReader.Read(result.OutputFiles[1]);
        Assert.Equal(new long[] { 96, 88, 40, 3 }, prob.Shape);
        Assert.True(prob.Affine.MaxAbsDifference(result.Label!.Affine) < 1e-9);
        var p = prob.GetVoxels<float>();
        var labels = result.Label.GetVoxels<byte>();
        var voxels = labels.Length;
        var agree = Enumerable.Range(0, voxels).Count(v =>
        {
            var best = Enumerable.Range(0, 3).MaxBy(c => p[v + (c * voxels)]);
            return best == labels[v];
        });
        Assert.True(agree > 0.99 * voxels, $"argmax of the probabilities matches the label map on {agree} of {voxels} voxels");
    }

    [Fact]
    public void ProbabilitiesAreSavedWhenNothingMakesThePredictionDiscrete()
    {
        using var cache = new ModelSessionCache();
        using var temp = new TempDirectory();
        var mmar = CopySample(temp, config =>
        {
            var post = config["post_transforms"]!.AsArray();
            post.Remove(post.First(t => t!["name"]!.GetValue<string>() == "AsDiscreted"));
        });

        var result = Session(mmar, cache).Run(InputSource.FromFile(PhantomNifti, "phantom_ct"), temp.Combine("out"), true, null, default);

        Assert.Equal(2, result.OutputFiles.Count);
        Assert.Equal(new long[] { 96, 88, 40, 3 }, NiftiReader.Read(result.OutputFiles[1]).Shape);
    }

    [Fact]
    public void AConfigThatIsNotJsonIsReportedWithItsLine()
    {
        using var cache = new ModelSessionCache();
        using var temp = new TempDirectory();
        var root = temp.CopySample();
        var path = Path.Combine(root, "config", "config_inference.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"keys\": [", "\"keys\" [", StringComparison.Ordinal));

        var ex = Assert.Throws<MdaiClaraException>(() => ClaraInferenceSession.Create(MmarAnalyzer.Open(root), new InferenceSessionOptions(DeviceSpec.Cpu), cache));

        Assert.Equal(ErrorIds.InferenceConfigInvalid, ex.ErrorId);
        Assert.Contains("config/config_inference.json:", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("png16_gray.png")]
    [InlineData("png16_filters.png")]
    public void SixteenBitPngsKeepTheirSixteenBitsAsPilDoes(string name)
    {
        var expected = Npy.Read(Path.Combine(TestPaths.Fixtures, "png", "png16_gray.npy"));

        using var image = ImageLoader.Load(InputSource.FromFile(Path.Combine(TestPaths.Fixtures, "png", name), "png16"), TorchSharp.torch.CPU, default, null);

        // PIL's layout: [width, height], so element [x, y] is the value at row y, column x.
        Assert.Equal(new[] { expected.Shape[1], expected.Shape[0] }, image.Data.shape);
        var actual = image.Data.t().contiguous().data<float>().ToArray().Select(v => (double)v);
        Assert.Equal(expected.Values, actual);
        Assert.Equal(65535, expected.Values.Max());
    }

    [Fact]
    public void ABrokenSixteenBitPngIsAClearError()
    {
        using var temp = new TempDirectory();
        var bytes = File.ReadAllBytes(Path.Combine(TestPaths.Fixtures, "png", "png16_gray.png"));
        var truncated = temp.Combine("truncated.png");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var huge = temp.Combine("huge.png");
        var claim = (byte[])bytes.Clone();
        claim[16] = 0x00;
        claim[17] = 0x40; // width 4,194,357: far more than the data holds
        File.WriteAllBytes(huge, claim);

        foreach (var path in new[] { truncated, huge })
        {
            var ex = Assert.Throws<MdaiClaraException>(() => ImageLoader.Load(InputSource.FromFile(path, "broken"), TorchSharp.torch.CPU, default, null));
            Assert.StartsWith(path + " is not a readable PNG", ex.Message, StringComparison.Ordinal);
        }
    }

    private static ClaraInferenceSession Session(string mmar, ModelSessionCache cache, IEngineLog? log = null, InferenceOverrides? overrides = null) =>
        ClaraInferenceSession.Create(MmarAnalyzer.Open(mmar), new InferenceSessionOptions(DeviceSpec.Cpu, null, overrides), cache, log);

    private static string CopySample(TempDirectory temp, Action<JsonNode> edit)
    {
        var root = temp.CopySample();
        var path = Path.Combine(root, "config", "config_inference.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!;
        edit(config);
        File.WriteAllText(path, config.ToJsonString());
        return root;
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; tests need the report on the worker, at once.</summary>
    private sealed class SynchronousProgress : IProgress<InferenceProgress>
    {
        private readonly Action<InferenceProgress> _report;

        public SynchronousProgress(Action<InferenceProgress> report) => _report = report;

        public void Report(InferenceProgress value) => _report(value);
    }
}
