using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using MdaiClara.Engine.Bundles;
using MdaiClara.Engine.Imaging.Nifti;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Models;
using MdaiClara.Engine.Tests.Inference;
using MdaiClara.Engine.Tests.TestSupport;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace MdaiClara.Engine.Tests.Bundles;

/// <summary>
/// Each golden bundle (tests/fixtures/bundles, MONAI 1.3.2's own outputs from its bundle workflow) read by
/// <see cref="BundleAnalyzer"/>, described by <see cref="RunnableModels.FromBundle"/> and run by
/// <see cref="ClaraInferenceSession"/> with the semantics of the bundle's monai_version, on each of its inputs: the
/// preprocessed model input and the logits within 1e-4 (+1e-5·max), the probabilities within 1e-4, the final label map
/// (on the input grid, after Invertd) 100% identical, and a classifier's final pred (its argmax, after AsDiscreted) as
/// MONAI's predictions.csv has it.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class GoldenBundleParityTests
{
    private readonly ITestOutputHelper _output;

    public GoldenBundleParityTests(ITestOutputHelper output)
    {
        _output = output;
        TorchRuntime.EnsureLoaded();
    }

    public static TheoryData<string> Cases => new() { "golden-ct-seg", "golden-rgb-cls", "golden-mri-multichannel" };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RunsLikeMonai132sBundleWorkflow(string name)
    {
        var root = Path.Combine(TestPaths.Fixtures, "bundles", name);
        using var info = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "case.json")));
        using var analysis = BundleAnalyzer.Analyze(root);
        var model = RunnableModels.FromBundle(analysis);
        Assert.True(model.NotRunnable is null, model.NotRunnable);
        using var cache = new ModelSessionCache();
        var session = ClaraInferenceSession.Create(model, new InferenceSessionOptions(DeviceSpec.Parse("cpu")), cache);
        Assert.Equal(MonaiSemantics.Monai1x, session.Semantics);
        var predictions = Predictions(Path.Combine(root, "expected", "predictions.csv"));

        foreach (var item in info.RootElement.GetProperty("items").EnumerateArray())
        {
            var stem = item.GetProperty("stem").GetString()!;
            var expected = Path.Combine(root, "expected", stem);
            var compared = new List<string>();
            void Observe(string stage, PipelineItem pipelineItem)
            {
                if (stage == "inferer" && pipelineItem.TryGet("image", out var image) && pipelineItem.TryGet("pred", out var logits))
                {
                    Compare($"{stem}_preprocessed", expected + "_preprocessed.npy", image.Data, relative: true);
                    Compare($"{stem}_logits", expected + "_logits.npy", logits.Data, relative: true);
                    compared.Add("preprocessed+logits");
                }
                else if (stage.StartsWith("post_", StringComparison.Ordinal) && stage.EndsWith("Activationsd", StringComparison.Ordinal) && pipelineItem.TryGet("pred", out var prob))
                {
                    Compare($"{stem}_prob", expected + "_prob.npy", prob.Data, relative: false);
                    compared.Add("prob");
                }
            }

            var input = Path.Combine(root, item.GetProperty("input").GetString()!);
            var result = session.Run(InputSource.FromFile(input, InferenceInputs.Stem(input)), null, false, null, default, Observe);
            Assert.Equal(new[] { "preprocessed+logits", "prob" }, compared);

            if (item.TryGetProperty("label", out var labelPath))
            {
                var reference = NiftiReader.Read(Path.Combine(root, labelPath.GetString()!));
                Assert.NotNull(result.Label);
                Assert.Equal(reference.Shape.Take(3), result.Label!.Shape.Take(3));
                Assert.True(result.Label.Affine.MaxAbsDifference(reference.Affine) < 1e-4, $"{stem}: label affine {result.Label.Affine} vs {reference.Affine}");
                var ours = Npy.ToDoubles(result.Label.GetVoxels());
                var theirs = Npy.ToDoubles(reference.GetVoxels());
                var differ = ours.Zip(theirs).Count(p => p.First != p.Second);
                _output.WriteLine($"{name}/{stem} label: {differ} of {theirs.Length} voxels differ");
                Assert.True(differ == 0, $"{name}/{stem}: {differ} of {theirs.Length} label voxels differ from MONAI's");
            }
            else
            {
                // The class probabilities were compared at Activationsd above. The bundle's postprocessing ends with
                // AsDiscreted(argmax), so MONAI's final pred (what its ClassificationSaver wrote) is the class index: the
                // engine reports it as the decided class, and keeps the softmax (before AsDiscreted) as the probabilities.
                _output.WriteLine($"{name}/{stem} decided: [{string.Join(", ", result.Decided)}], MONAI's predictions.csv: {predictions[stem]}");
                Assert.Equal(new[] { predictions[stem] }, result.Decided.Select(d => d.Index));
                var prob = Npy.Read(expected + "_prob.npy").Values;
                Assert.Equal(prob.Length, result.Probabilities.Count);
                Assert.True(result.Probabilities.Select(p => p.Probability).Zip(prob).All(p => Math.Abs(p.First - p.Second) <= 1e-4), $"{stem}: the probabilities are not the softmax before AsDiscreted");
                Assert.Equal(Npy.Read(expected + "_prob.npy").Values.Select((v, i) => (v, i)).Max().i, predictions[stem]);
            }
        }
    }

    private void Compare(string what, string referencePath, torch.Tensor actual, bool relative)
    {
        var reference = Npy.Read(referencePath);
        var values = actual.to_type(torch.ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
        var shape = actual.shape.Length == reference.Shape.Length + 1 && actual.shape[0] == 1 ? actual.shape.Skip(1).ToArray() : actual.shape;
        Assert.True(reference.Shape.SequenceEqual(shape), $"{what}: shape [{string.Join(", ", shape)}] vs MONAI's [{string.Join(", ", reference.Shape)}]");
        var max = reference.Values.Max(Math.Abs);
        var tolerance = relative ? 1e-4 + (1e-5 * max) : 1e-4;
        var worst = values.Zip(reference.Values).Max(p => Math.Abs(p.First - p.Second));
        _output.WriteLine($"{what}: max abs diff {worst:G3} (tolerance {tolerance:G3})");
        Assert.True(worst <= tolerance, $"{what}: max abs diff {worst:G3} exceeds {tolerance:G3}");
    }

    private static Dictionary<string, int> Predictions(string csv) => !File.Exists(csv)
        ? new Dictionary<string, int>()
        : File.ReadAllLines(csv).Where(l => l.Length > 0).Select(l => l.Split(','))
            .ToDictionary(p => Path.GetFileName(p[0]).Split('.')[0], p => (int)double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
}
