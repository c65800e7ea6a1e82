using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Bundles;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Models;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Inference.Pipeline;

/// <summary>
/// A classifier whose postprocessing ends in AsDiscrete reports what MONAI outputs: the class it decided (Decided),
/// and as Probabilities only real probabilities (the activation's output before AsDiscrete), never the argmax index or
/// the one-hot vector. MMARs and bundles alike, through the one session.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ClassifierDecisionTests
{
    public ClassifierDecisionTests() => TorchRuntime.EnsureLoaded();

    private static string Mmar(TempDirectory temp, JsonObject? discrete)
    {
        var root = temp.Combine("cls");
        Directory.CreateDirectory(Path.Combine(root, "config"));
        Directory.CreateDirectory(Path.Combine(root, "models"));
        var config = JsonNode.Parse(File.ReadAllText(TestPaths.Golden("pipelines/cls_png8/config_inference.json")))!;
        if (discrete is not null)
        {
            config["post_transforms"]!.AsArray().Add(new JsonObject { ["name"] = "AsDiscreted", ["args"] = discrete });
        }

        File.WriteAllText(Path.Combine(root, "config", "config_inference.json"), config.ToJsonString());
        File.Copy(TestPaths.Golden("models/cls2d/model.ts"), Path.Combine(root, "models", "model.ts"));
        File.WriteAllText(Path.Combine(root, "config", "environment.json"), "{\"MMAR_TORCHSCRIPT\": \"models/model.ts\", \"DATASET_JSON\": \"config/dataset.json\", \"DATA_ROOT\": \".\"}");
        return root;
    }

    private static InferenceResult RunMmar(string root, ModelSessionCache cache)
    {
        using var session = ClaraInferenceSession.Create(MmarAnalyzer.Open(root), new InferenceSessionOptions(DeviceSpec.Cpu), cache);
        return session.Run(InputSource.FromFile(TestPaths.Golden("inputs/png/cxr_png8.png"), "cxr"), null, false, null, default);
    }

    [Fact]
    public void AnMmarThatEndsInProbabilitiesDecidesNothing()
    {
        using var cache = new ModelSessionCache();
        using var temp = new TempDirectory();
        var result = RunMmar(Mmar(temp, null), cache);
        Assert.Equal(15, result.Probabilities.Count);
        Assert.Empty(result.Decided);
        var golden = Npy.Read(TestPaths.Golden("pipelines/cls_png8/prob.npy")).Values;
        Assert.True(result.Probabilities.Select(p => p.Probability).Zip(golden).All(p => System.Math.Abs(p.First - p.Second) <= 1e-4));
    }

    [Theory]
    [InlineData("threshold")]
    [InlineData("argmax")]
    [InlineData("argmax+onehot")]
    public void AnMmarThatEndsInAsDiscreteKeepsItsProbabilitiesAndReportsTheDecision(string how)
    {
        using var cache = new ModelSessionCache();
        using var temp = new TempDirectory();
        var args = how switch
        {
            "threshold" => new JsonObject { ["keys"] = "pred", ["threshold"] = 0.5 },
            "argmax" => new JsonObject { ["keys"] = "pred", ["argmax"] = true },
            _ => new JsonObject { ["keys"] = "pred", ["argmax"] = true, ["to_onehot"] = 15 },
        };
        var result = RunMmar(Mmar(temp, args), cache);
        var golden = Npy.Read(TestPaths.Golden("pipelines/cls_png8/prob.npy")).Values;
        Assert.Equal(15, result.Probabilities.Count);
        Assert.True(result.Probabilities.Select(p => p.Probability).Zip(golden).All(p => System.Math.Abs(p.First - p.Second) <= 1e-4), "the probabilities are the sigmoid's, before AsDiscreted");
        var expected = how == "threshold"
            ? golden.Select((p, i) => (p, i)).Where(x => x.p >= 0.5).Select(x => x.i).ToArray()
            : new[] { golden.Select((p, i) => (p, i)).MaxBy(x => x.p).i };
        Assert.Equal(expected, result.Decided.Select(d => d.Index));
        Assert.Equal(result.Decided.Select(d => result.Probabilities[d.Index].Name), result.Decided.Select(d => d.Name));
    }

    [Fact]
    public void ABundleThatDecidesFromRawScoresHasNoProbabilitiesAndSaysSo()
    {
        // endoscopic_inbody_classification's postprocessing: AsDiscreted(argmax, to_onehot=2) on the logits, no activation.
        using var cache = new ModelSessionCache();
        using var temp = new TempDirectory();
        var golden = Path.Combine(TestPaths.Fixtures, "bundles", "golden-rgb-cls");
        var root = temp.Combine("rgb");
        foreach (var file in Directory.EnumerateFiles(golden, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(root, Path.GetRelativePath(golden, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var classes = Npy.Read(Path.Combine(golden, "expected", "red_disc_logits.npy")).Values.Length;
        JsonEdit.Edit(Path.Combine(root, "configs", "inference.json"), doc => doc["postprocessing"]!["transforms"] = new JsonArray(
            new JsonObject { ["_target_"] = "AsDiscreted", ["keys"] = new JsonArray("pred"), ["argmax"] = true, ["to_onehot"] = classes }));
        using var analysis = BundleAnalyzer.Analyze(root);
        var session = ClaraInferenceSession.Create(RunnableModels.FromBundle(analysis), new InferenceSessionOptions(DeviceSpec.Cpu), cache);
        foreach (var stem in new[] { "red_disc", "blue_disc" })
        {
            var result = session.Run(InputSource.FromFile(Path.Combine(root, "sample_data", stem + ".png"), stem), null, false, null, default);
            var logits = Npy.Read(Path.Combine(golden, "expected", stem + "_logits.npy")).Values;
            Assert.Empty(result.Probabilities);
            Assert.Equal(new[] { logits.Select((v, i) => (v, i)).MaxBy(x => x.v).i }, result.Decided.Select(d => d.Index));
            Assert.Contains(result.Warnings, w => w.Contains("no probabilities", System.StringComparison.Ordinal));
        }
    }
}
