using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Imaging.Nifti;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Tests.TestSupport;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace MdaiClara.Engine.Tests.Inference.Pipeline;

/// <summary>
/// Every end-to-end golden case, under both MONAI versions: the case's own config_inference.json is put into a minimal
/// MMAR with the golden model, run by <see cref="ClaraInferenceSession"/>, and every reference the case has (pre-transform
/// intermediates, logits, probabilities, post-transform label maps, the final label map on the input grid) is compared
/// with the MANIFEST's tolerances.
/// </summary>
[Collection(TorchCollection.Name)]
public class GoldenPipelineTests
{
    private static readonly string[] CaseNames = { "cls_png8", "seg_cropfg", "seg_dicom_s16", "seg_lps_spacing_orient", "seg_ras_noresample" };
    private readonly ITestOutputHelper _output;

    public GoldenPipelineTests(ITestOutputHelper output)
    {
        _output = output;
        TorchRuntime.EnsureLoaded();
    }

    /// <summary>cpu, unless MDAICLARA_TEST_DEVICE says otherwise (tests/gpu/Invoke-GpuCheck.ps1 runs these on CUDA).</summary>
    private static DeviceSpec TestDevice => DeviceSpec.Parse(Environment.GetEnvironmentVariable("MDAICLARA_TEST_DEVICE") is { Length: > 0 } d ? d : "cpu");

    public static IEnumerable<object[]> Cases() =>
        new[] { "1.3.2", "0.8.1" }.SelectMany(v => CaseNames.Select(c => new object[] { v, c }));

    [Theory]
    [MemberData(nameof(Cases))]
    public void RunsLikeMonai(string monaiVersion, string caseName)
    {
        var caseRoot = monaiVersion == "1.3.2" ? $"pipelines/{caseName}" : $"monai-0.8.1/pipelines/{caseName}";
        var caseJson = JsonNode.Parse(File.ReadAllText(TestPaths.Golden(caseRoot + "/case.json")))!;
        using var temp = new TempDirectory();
        var mmar = WriteMmar(temp, caseRoot, caseJson["model"]!.GetValue<string>());
        using var cache = new ModelSessionCache();
        var analysis = MmarAnalyzer.Open(mmar);

        // 1.3.2 cases run with 1.x semantics chosen explicitly; 0.8.1 cases carry CLARA_TRAIN_VERSION 4.1.0 and must get 0.8.1 by default.
        MonaiSemantics? forced = monaiVersion == "1.3.2" ? MonaiSemantics.Monai1x : null;
        var session = ClaraInferenceSession.Create(analysis, new InferenceSessionOptions(TestDevice, forced), cache);
        Assert.Equal(monaiVersion == "1.3.2" ? MonaiSemantics.Monai1x : MonaiSemantics.Monai08, session.Semantics);

        var references = ReferenceFiles(caseRoot, caseJson);
        var checkedFiles = new List<string>();
        void Observe(string stage, PipelineItem item)
        {
            var (file, key) = stage switch
            {
                "inferer" => ("logits.npy", "pred"),
                _ when stage.StartsWith("pre_", StringComparison.Ordinal) => ($"intermediates/{stage[4..]}.npy", "image"),
                _ when stage.StartsWith("post_", StringComparison.Ordinal) => (stage.EndsWith("Activationsd", StringComparison.Ordinal) ? "prob.npy" : $"{stage}.npy", "pred"),
                _ => (string.Empty, string.Empty),
            };
            if (references.TryGetValue(file, out var reference) && item.TryGet(key, out var image))
            {
                Compare(file, reference, image.Data);
                checkedFiles.Add(file);
            }
            if (stage == "inferer" && references.TryGetValue("preprocessed.npy", out var modelInput) && item.TryGet("image", out var preprocessedImage))
            {
                Compare("preprocessed.npy", modelInput, preprocessedImage.Data);
                checkedFiles.Add("preprocessed.npy");
            }
        }

        var input = caseJson["input"]!.GetValue<string>();
        var result = session.Run(InputSource.FromFile(TestPaths.Golden(input), InferenceInputs.Stem(input)), null, false, null, default, Observe);

        if (references.TryGetValue("label.nii.gz", out var labelFile))
        {
            var reference = NiftiReader.Read(TestPaths.Golden(labelFile));
            Assert.NotNull(result.Label);
            Assert.Equal(reference.Shape.Take(3), result.Label!.Shape.Take(3));
            Assert.True(result.Label.Affine.MaxAbsDifference(reference.Affine) < 1e-3, $"label affine {result.Label.Affine} vs {reference.Affine}");
            var ours = Npy.ToDoubles(result.Label.GetVoxels());
            var theirs = Npy.ToDoubles(reference.GetVoxels());
            var same = ours.Zip(theirs).Count(p => p.First == p.Second);
            var agreement = (double)same / theirs.Length;
            _output.WriteLine($"label.nii.gz: {agreement:P3} identical ({theirs.Length - same} voxels differ)");
            Assert.True(agreement >= 0.999, $"label.nii.gz: only {agreement:P3} of voxels identical");
            foreach (var label in theirs.Where(v => v > 0).Distinct())
            {
                var dice = Dice(ours, theirs, label);
                Assert.True(dice >= 0.99, $"label.nii.gz: Dice of class {label} is {dice:0.####}");
            }

            checkedFiles.Add("label.nii.gz");
        }

        if (caseJson["kind"]!.GetValue<string>() == "cls")
        {
            Assert.Equal("classification", result.Task);
            var prob = Npy.Read(TestPaths.Golden(references["prob.npy"])).Values;
            Assert.Equal(prob.Select(p => p >= 0.5), result.Probabilities.Select(p => p.Probability >= 0.5));
        }

        _output.WriteLine($"{caseRoot}: checked {string.Join(", ", checkedFiles)}");
        var expected = references.Keys.ToList();
        Assert.All(expected, f => Assert.Contains(f, checkedFiles));
    }

    /// <summary>The reference files of a case by name: 1.3.2 cases list them in "files", 0.8.1 cases in "reference_files" (paths may point to other cases).</summary>
    private static Dictionary<string, string> ReferenceFiles(string caseRoot, JsonNode caseJson)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (caseJson["reference_files"] is JsonObject mapped)
        {
            foreach (var (name, path) in mapped)
            {
                result[name] = path!.GetValue<string>();
            }
        }
        else
        {
            var folder = TestPaths.Golden(caseRoot);
            foreach (var file in Directory.GetFiles(folder, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(folder, file).Replace('\\', '/');
                if (relative.EndsWith(".npy", StringComparison.Ordinal) || relative == "label.nii.gz")
                {
                    result[relative] = caseRoot + "/" + relative;
                }
            }
        }

        return result;
    }

    private void Compare(string name, string referencePath, torch.Tensor actual)
    {
        var reference = Npy.Read(TestPaths.Golden(referencePath));
        var values = actual.to_type(torch.ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
        var shape = actual.shape;
        if (name.StartsWith("post_", StringComparison.Ordinal) && reference.Shape.Length == shape.Length - 1)
        {
            shape = shape.Skip(1).ToArray();
        }

        Assert.True(reference.Shape.SequenceEqual(shape), $"{name}: shape [{string.Join(", ", shape)}] vs reference [{string.Join(", ", reference.Shape)}]");
        var maxRef = reference.Values.Max(Math.Abs);
        var worst = values.Zip(reference.Values).Max(p => Math.Abs(p.First - p.Second));
        var (tolerance, rule) = name switch
        {
            "logits.npy" => (2e-3 + (2e-3 * maxRef), "2e-3 + 2e-3·max"),
            "prob.npy" => (1e-4, "1e-4"),
            _ when name.StartsWith("post_", StringComparison.Ordinal) => (double.NaN, "≥ 99.9% identical"),
            _ => (1e-4 + (1e-5 * maxRef), "1e-4 + 1e-5·max"),
        };
        if (double.IsNaN(tolerance))
        {
            var same = values.Zip(reference.Values).Count(p => p.First == p.Second);
            var agreement = (double)same / values.Length;
            _output.WriteLine($"{name}: {agreement:P3} identical");
            Assert.True(agreement >= 0.999, $"{name}: only {agreement:P3} identical");
            return;
        }

        _output.WriteLine($"{name}: max abs diff {worst:G3} (tolerance {rule} = {tolerance:G3})");
        Assert.True(worst <= tolerance, $"{name}: max abs diff {worst:G3} exceeds {rule} = {tolerance:G3}");
    }

    private static double Dice(double[] a, double[] b, double label)
    {
        long both = 0, inA = 0, inB = 0;
        for (var n = 0; n < a.Length; n++)
        {
            var x = a[n] == label;
            var y = b[n] == label;
            both += x && y ? 1 : 0;
            inA += x ? 1 : 0;
            inB += y ? 1 : 0;
        }

        return 2.0 * both / (inA + inB);
    }

    /// <summary>A minimal Clara MMAR around the case's config and the golden model.</summary>
    private static string WriteMmar(TempDirectory temp, string caseRoot, string model)
    {
        var root = temp.Combine("mmar");
        Directory.CreateDirectory(Path.Combine(root, "config"));
        Directory.CreateDirectory(Path.Combine(root, "models"));
        File.Copy(TestPaths.Golden(caseRoot + "/config_inference.json"), Path.Combine(root, "config", "config_inference.json"));
        File.Copy(TestPaths.Golden(model), Path.Combine(root, "models", "model.ts"));
        var environment = new JsonObject
        {
            ["DATA_ROOT"] = ".",
            ["DATASET_JSON"] = "config/dataset.json",
            ["MMAR_EVAL_OUTPUT_PATH"] = "eval",
            ["MMAR_CKPT_DIR"] = "models",
            ["MMAR_TORCHSCRIPT"] = "models/model.ts",
        };
        File.WriteAllText(Path.Combine(root, "config", "environment.json"), environment.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return root;
    }
}
