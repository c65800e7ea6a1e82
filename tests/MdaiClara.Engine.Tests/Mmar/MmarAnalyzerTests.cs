using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Mmar;

public class MmarAnalyzerTests
{
    [Fact]
    public void DescribesTheSampleMmar()
    {
        using var analysis = Analyze(TestPaths.SampleMmar);
        var info = analysis.Info;

        Assert.Equal("clara_pt_phantom_ct_segmentation", info.Name);
        Assert.Equal("4.1.0", info.ClaraVersion);
        Assert.Equal(ClaraGeneration.Clara41, info.Generation);
        Assert.Equal("CLARA_TRAIN_VERSION in config/environment.json", info.ClaraVersionSource);
        Assert.Equal("PyTorch", info.Framework);
        Assert.Equal("segmentation", info.Task);
        Assert.Equal(1, info.InputChannels);
        Assert.Equal(3, info.OutputChannels);
        Assert.Equal("OUTPUT_CHANNELS in config/environment.json", info.OutputChannelsSource);
        Assert.Equal("test", info.DataListKey);
        Assert.Equal(MmarPathKind.InsideMmar, info.DatasetJson!.Kind);
        Assert.Equal("config/dataset_0.json", info.DatasetJson.RelativePath);
        Assert.Equal(MmarPathKind.External, info.DataRoot!.Kind);
        Assert.Equal(new[] { "background", "organ", "lesion" }, info.Labels);
        Assert.Null(info.Checkpoint);
        Assert.Empty(info.Notes);
        Assert.Contains("config/config_inference.json", info.ConfigFiles);
    }

    [Fact]
    public void HashesAndClassifiesTheTorchScript()
    {
        using var analysis = Analyze(TestPaths.SampleMmar);
        var ts = analysis.Info.TorchScript!;
        var file = Path.Combine(TestPaths.SampleMmar, "models", "model.ts");

        Assert.True(ts.Exists);
        Assert.Equal("models/model.ts", ts.RelativePath);
        Assert.Equal(new FileInfo(file).Length, ts.Bytes);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))).ToLowerInvariant(), ts.Sha256);
        Assert.Equal(ModelFileFormat.TorchScript, ts.Format);
        Assert.Equal("ts_path in config/config_inference.json", ts.Source);
    }

    [Fact]
    public void ReadsTheInferencePipelineWithVariablesResolved()
    {
        using var analysis = Analyze(TestPaths.SampleMmar);
        var config = analysis.Info.InferenceConfig!;

        Assert.Equal("config/config_inference.json", config.File);
        Assert.StartsWith("named by commands/infer.sh", config.SelectedBecause);
        Assert.Equal(
            new[] { "LoadImaged", "EnsureChannelFirstd", "Orientationd", "Spacingd", "ScaleIntensityRanged", "CropForegroundd", "ToTensord" },
            config.PreTransforms.Select(t => t.Name));
        Assert.Equal("SlidingWindowInferer", config.Inferer!.Name);
        Assert.Equal(new[] { "Activationsd", "Invertd", "AsDiscreted", "SaveImaged" }, config.PostTransforms.Select(t => t.Name));
        var spacing = config.PreTransforms.Single(t => t.Name == "Spacingd");
        Assert.Equal(new object?[] { 1.5, 1.5, 2.0 }, (object?[])spacing.Args["pixdim"]!);
        Assert.Equal("test", config.Dataset!.DataListKey);
        Assert.Equal("config/dataset_0.json", config.Dataset.DataListFilePath);
        Assert.Equal("eval", config.PostTransforms.Single(t => t.Name == "SaveImaged").Args["output_dir"]);
        Assert.Equal(ModelReferenceKind.TorchScript, config.ActiveModel!.Kind);
        Assert.Equal("models/model.ts", config.ActiveModel.ResolvedPath);
        // Each component knows where it is written: the line of its opening brace, just above its "name".
        var lines = File.ReadAllLines(Path.Combine(TestPaths.SampleMmar, "config/config_inference.json"));
        var nameLine = Array.FindIndex(lines, l => l.Contains("\"Spacingd\"", StringComparison.Ordinal)) + 1;
        Assert.Equal(nameLine - 1, spacing.Location!.Line);
    }

    [Fact]
    public void ZippedMmarGivesTheSameAnswers()
    {
        using var temp = new TempDirectory();
        var zip = temp.Zip(TestPaths.SampleMmar, "sample.zip", "clara_pt_phantom_ct_segmentation/");
        using var folder = Analyze(TestPaths.SampleMmar);
        using var zipped = Analyze(zip);

        Assert.Equal(MmarSourceKind.Zip, zipped.Info.SourceKind);
        Assert.Equal("clara_pt_phantom_ct_segmentation", zipped.Info.Name);
        Assert.Equal(folder.Info.TorchScript!.Sha256, zipped.Info.TorchScript!.Sha256);
        Assert.Equal(folder.Info.OutputChannels, zipped.Info.OutputChannels);
        Assert.Equal(ModelFileFormat.TorchScript, zipped.Info.TorchScript.Format);
    }

    [Fact]
    public void RecognisesAClara3TensorFlowMmar()
    {
        using var temp = new TempDirectory();
        using var analysis = Analyze(SyntheticMmars.WriteClara3(temp));
        var info = analysis.Info;

        Assert.Equal(ClaraGeneration.Clara3TensorFlow, info.Generation);
        Assert.Equal("3.x", info.ClaraVersion);
        Assert.Equal("TensorFlow", info.Framework);
        Assert.StartsWith("inferred", info.ClaraVersionSource);
        Assert.Equal(2, info.OutputChannels);
        Assert.Equal("config/config_validation.json", info.InferenceConfig!.File);
        Assert.Equal(ModelReferenceKind.TensorFlow, info.InferenceConfig.Models.Single().Kind);
        Assert.Equal("models/model.trt.pb", info.InferenceConfig.Models.Single().ResolvedPath);
    }

    [Fact]
    public void RecognisesAClara40MmarAndItsPlaceholders()
    {
        using var temp = new TempDirectory();
        using var analysis = Analyze(SyntheticMmars.WriteClara40(temp));
        var info = analysis.Info;

        Assert.Equal(ClaraGeneration.Clara40, info.Generation);
        Assert.Equal("4.0", info.ClaraVersion);
        Assert.Contains("SegmentationSaver", info.ClaraVersionSource);
        // OUTPUT_CHANNELS is absent: the train config's network says "{out_classes}", a train-config global.
        Assert.Equal(2, info.OutputChannels);
        Assert.Contains("config/config_train.json", info.OutputChannelsSource);
        Assert.Equal("test", info.DataListKey);
        Assert.Equal(MmarPathKind.External, info.DatasetJson!.Kind);
        Assert.False(info.TorchScript!.Exists);
    }

    [Fact]
    public void InfersClara41WithoutAVersionKey()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        JsonEdit.Remove(Path.Combine(mmar, "config/environment.json"), "CLARA_TRAIN_VERSION");
        foreach (var config in Directory.GetFiles(Path.Combine(mmar, "config"), "config_*.json"))
        {
            JsonEdit.Remove(config, "CLARA_TRAIN_VERSION");
        }

        using var analysis = Analyze(mmar);

        Assert.Equal(ClaraGeneration.Clara41, analysis.Info.Generation);
        Assert.Equal("4.1", analysis.Info.ClaraVersion);
        Assert.Contains("Invertd", analysis.Info.ClaraVersionSource);
    }

    [Fact]
    public void FallsBackToConfigValidationAndPicksUpNotes()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        File.Delete(Path.Combine(mmar, "config/config_inference.json"));
        File.WriteAllText(Path.Combine(mmar, "commands/infer.sh"), "python3 -m medl.apps.evaluate -m $MMAR_ROOT -e config/environment.json\n");
        File.WriteAllText(Path.Combine(mmar, "config/broken.json"), "{\"a\": 1,}");

        using var analysis = Analyze(mmar);

        Assert.Equal("config/config_validation.json", analysis.Info.InferenceConfig!.File);
        Assert.Contains(analysis.Info.Notes, n => n.StartsWith("config/broken.json:1:", StringComparison.Ordinal));
    }

    [Fact]
    public void ClassifiesPathsAgainstTheRoot()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        JsonEdit.Set(Path.Combine(mmar, "config/environment.json"), "MMAR_CKPT", "../outside/model.pt");
        JsonEdit.Set(Path.Combine(mmar, "config/environment.json"), "MMAR_CKPT_DIR", "$MMAR_ROOT/models");

        using var analysis = Analyze(mmar);
        var byKey = analysis.PathReferences.ToDictionary(p => p.Key);

        Assert.Equal(MmarPathKind.EscapesMmar, byKey["MMAR_CKPT"].Kind);
        Assert.Equal(MmarPathKind.InsideMmar, byKey["MMAR_CKPT_DIR"].Kind);
        Assert.Equal("models", byKey["MMAR_CKPT_DIR"].RelativePath);
        Assert.Equal(MmarPathKind.External, byKey["DATA_ROOT"].Kind);
        Assert.NotNull(byKey["MMAR_CKPT"].Location);
    }

    private static MmarAnalysisScope Analyze(string path) => new(MmarAnalyzer.Open(path));

    private sealed class MmarAnalysisScope : IDisposable
    {
        private readonly MmarAnalysis _analysis;

        public MmarAnalysisScope(MmarAnalysis analysis) => _analysis = analysis;

        public MmarInfo Info => _analysis.Info;

        public System.Collections.Generic.IReadOnlyList<MmarPathReference> PathReferences => _analysis.PathReferences;

        public void Dispose() => _analysis.Source.Dispose();
    }
}
