using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Mmar.Detectors;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Mmar.Detectors;

/// <summary>Each MMAR detector on a small fixture: the value it finds and the evidence it names.</summary>
public sealed class MmarDetectorTests
{
    private const string Pipeline = """
        {
          "pre_transforms": [{"name": "LoadImaged", "args": {"keys": "image"}}],
          "inferer": {"name": "SimpleInferer"},
          "post_transforms": [{"name": "AsDiscreted", "args": {"keys": "pred", "argmax": true, "to_onehot": 4}}],
          "model": {"ts_path": "{MMAR_TORCHSCRIPT}"}
        }
        """;

    private static ParsedJsonFile Json(string file, string text) => JsonConfigParser.Parse(file, Encoding.UTF8.GetBytes(text));

    /// <summary>Opens <paramref name="temp"/> as an MMAR, giving it the config/environment.json every MMAR has.</summary>
    private static MmarFileSource Open(TempDirectory temp)
    {
        if (!System.IO.File.Exists(temp.Combine("config", "environment.json")))
        {
            temp.Write("config/environment.json", "{}");
        }

        return MmarLocator.Open(temp.Path);
    }

    private static ConfigObject Root(string text) => Json("x.json", text).RootObject!;

    private static InferenceConfig ReadPipeline(string text, ConfigObject environment)
    {
        var file = Json("config/config_inference.json", text);
        var variables = MmarVariables.Build(file.RootObject, file.RelativePath, environment, null);
        return InferenceConfigReader.Read(file, file.RootObject!, "the standard inference config", variables, new List<UnresolvedReference>());
    }

    [Fact]
    public void ConfigSelectionTakesWhatInferShNamesAndSaysSo()
    {
        using var temp = new TempDirectory();
        temp.Write("config/config_inference.json", "{}");
        temp.Write("config/my_infer.json", "{}");
        var script = InferScript.Parse("commands/infer.sh", "python3 -u -m medl.apps.evaluate -m $MMAR_ROOT -c config/my_infer.json -e config/missing_env.json\n");
        using var source = Open(temp);
        var missing = new List<(string, string)>();

        var environment = ConfigSelectionDetector.EnvironmentFile(source, script, missing);
        var inference = ConfigSelectionDetector.InferenceConfig(source, script, missing);

        Assert.Equal(new Detection<string>("config/environment.json", "the standard environment file"), environment);
        Assert.Equal("config/my_infer.json", inference.Value);
        Assert.Equal("named by commands/infer.sh (-c config/my_infer.json)", inference.Source);
        Assert.Equal(new[] { ("config/missing_env.json", "commands/infer.sh (-e)") }, missing);
    }

    [Fact]
    public void ConfigSelectionFallsBackToTheValidationConfigWithTheReason()
    {
        using var temp = new TempDirectory();
        temp.Write("config/config_validation.json", "{}");
        temp.Write("config/config_train.json", "{}");
        using var source = Open(temp);

        var inference = ConfigSelectionDetector.InferenceConfig(source, null, new List<(string, string)>());

        Assert.Equal("config/config_validation.json", inference.Value);
        Assert.StartsWith("no config/config_inference.json", inference.Source);
        Assert.Equal("config/config_train.json", ConfigSelectionDetector.TrainConfig(source));
    }

    [Fact]
    public void GenerationPrefersTheStatedVersion()
    {
        using var temp = new TempDirectory();
        using var source = Open(temp);
        var environment = Root("""{"CLARA_TRAIN_VERSION": "4.0.0"}""");

        var found = GenerationDetector.Detect(source, new Dictionary<string, ParsedJsonFile>(), environment, null, null, null, null, null);

        Assert.Equal("4.0.0", found.Version);
        Assert.Equal(ClaraGeneration.Clara40, found.Generation);
        Assert.Equal("CLARA_TRAIN_VERSION in config/environment.json", found.VersionSource);
    }

    [Fact]
    public void GenerationInfersTensorFlowFromItsKeysAndNamesThem()
    {
        using var temp = new TempDirectory();
        using var source = Open(temp);
        var inferenceRoot = Root("""{"model_loader": {"name": "FrozenGraphModelLoader", "args": {}}, "pre_transforms": []}""");

        var found = GenerationDetector.Detect(source, new Dictionary<string, ParsedJsonFile>(), ConfigObject.Empty, inferenceRoot, null, null, null, null);

        Assert.Equal(ClaraGeneration.Clara3TensorFlow, found.Generation);
        Assert.StartsWith("inferred (Clara 3.x TensorFlow)", found.VersionSource);
        Assert.Contains("'model_loader' key", found.Evidence);
    }

    [Fact]
    public void TaskComesFromProcessingTaskElseFromTheComponents()
    {
        var environment = Root("""{"PROCESSING_TASK": "Segmentation"}""");
        var stated = TaskDetector.Detect(MmarVariables.Build(null, null, environment, null), environment, null, new Dictionary<string, ParsedJsonFile>(), null);
        Assert.Equal(new Detection<string>("segmentation", "PROCESSING_TASK in config/environment.json"), stated);

        var inference = ReadPipeline("""{"pre_transforms": [], "post_transforms": [{"name": "SaveImaged", "args": {"keys": "pred"}}]}""", ConfigObject.Empty);
        var inferred = TaskDetector.Detect(MmarVariables.Build(null, null, ConfigObject.Empty, null), ConfigObject.Empty, null, new Dictionary<string, ParsedJsonFile>(), inference);
        Assert.Equal(new Detection<string>("segmentation", "inferred from the components of config/config_inference.json"), inferred);

        var unknown = TaskDetector.Detect(MmarVariables.Build(null, null, ConfigObject.Empty, null), ConfigObject.Empty, null, new Dictionary<string, ParsedJsonFile>(), null);
        Assert.Equal(new Detection<string>("unknown", null), unknown);
    }

    [Fact]
    public void ChannelsComeFromTheFirstSourceThatStatesThem()
    {
        var environment = Root("""{"INPUT_CHANNELS": 2}""");
        var variables = MmarVariables.Build(null, null, environment, null);
        var inference = ReadPipeline(Pipeline, environment);
        var network = ChannelsDetector.NetworkArgs(Root("""{"train": {"model": {"name": "UNet", "args": {"in_channels": 5, "out_channels": 7}}}}"""), variables, "config/config_train.json");

        Assert.Equal(new Detection<int?>(2, "INPUT_CHANNELS in config/environment.json"), ChannelsDetector.Input(variables, network, inference));
        Assert.Equal(new Detection<int?>(7, "out_channels of the network in config/config_train.json"), ChannelsDetector.Output(variables, null, network, inference, "config/config_inference.json"));
        Assert.Equal(
            new Detection<int?>(4, "the one-hot class count of AsDiscreted in config/config_inference.json"),
            ChannelsDetector.Output(variables, null, (null, null), inference, "config/config_inference.json"));
        Assert.Equal(new Detection<int?>(null, null), ChannelsDetector.Output(variables, null, (null, null), null, null));
    }

    [Fact]
    public void DataListKeyNamesWhereItWasRead()
    {
        var environment = Root("""{"INFER_DATALIST_KEY": "test"}""");
        var fromEnvironment = DataListKeyDetector.Detect(MmarVariables.Build(null, null, environment, null), null, null, null, null);
        Assert.Equal(new Detection<string?>("test", "INFER_DATALIST_KEY in config/environment.json"), fromEnvironment);

        var fromMdai = DataListKeyDetector.Detect(MmarVariables.Build(null, null, ConfigObject.Empty, null), Root("""{"data_list_key": "validation"}"""), null, null, null);
        Assert.Equal(new Detection<string?>("validation", "data_list_key in config_mdai.json"), fromMdai);
    }

    [Fact]
    public void LabelsComeFromTheDatasetElseFromAiaaWithTheBackgroundAdded()
    {
        var dataset = Json("config/dataset_0.json", """{"labels": {"0": "background", "2": "tumour"}}""");
        var json = new Dictionary<string, ParsedJsonFile> { ["config/config_aiaa.json"] = Json("config/config_aiaa.json", """{"labels": ["liver"]}""") };

        var fromDataset = LabelsDetector.Detect(dataset, json, "segmentation");
        Assert.Equal(new[] { "background", "class 1", "tumour" }, fromDataset.Value);
        Assert.Equal("labels in config/dataset_0.json", fromDataset.Source);

        var fromAiaa = LabelsDetector.Detect(null, json, "segmentation");
        Assert.Equal(new[] { "background", "liver" }, fromAiaa.Value);
        Assert.Equal("labels in config/config_aiaa.json", fromAiaa.Source);

        Assert.Equal(new Detection<IReadOnlyList<string>?>(null, null), LabelsDetector.Detect(null, new Dictionary<string, ParsedJsonFile>(), "segmentation"));
    }

    [Theory]
    [InlineData("models/model.ts", MmarPathKind.InsideMmar, true)]
    [InlineData("$MMAR_ROOT/models/missing.ts", MmarPathKind.InsideMmar, false)]
    [InlineData("/workspace/data", MmarPathKind.External, false)]
    [InlineData("../elsewhere/model.ts", MmarPathKind.EscapesMmar, false)]
    [InlineData("{MMAR_CKPT_DIR}/model.pt", MmarPathKind.Invalid, false)]
    public void PathsAreClassifiedAgainstTheRoot(string value, MmarPathKind kind, bool exists)
    {
        using var temp = new TempDirectory();
        temp.Write("models/model.ts", "not a model");
        using var source = Open(temp);

        var reference = PathClassifier.Classify(source, "MMAR_TORCHSCRIPT", value, "config/environment.json", new SourceLocation(3, 5), data: false);

        Assert.Equal(kind, reference.Kind);
        Assert.Equal(exists, reference.Exists);
        Assert.Equal("config/environment.json", reference.DefinedIn);
        Assert.Equal(new SourceLocation(3, 5), reference.Location);
    }

    [Fact]
    public void ModelFileFollowsTheConfigsModelEntryAndHashesIt()
    {
        using var temp = new TempDirectory();
        System.IO.File.Copy(TestPaths.TorchScriptFixture("conv3d_1to2.ts"), temp.Write("models/other.ts", string.Empty), overwrite: true);
        using var source = Open(temp);
        var environment = Root("""{"MMAR_TORCHSCRIPT": "models/other.ts"}""");
        var inference = ReadPipeline(Pipeline, environment);

        var model = ModelFileDetector.Locate(source, inference, null, ModelReferenceKind.TorchScript, "models/model.ts", CancellationToken.None);

        Assert.NotNull(model);
        Assert.Equal("models/other.ts", model.RelativePath);
        Assert.True(model.Exists);
        Assert.Equal(new System.IO.FileInfo(TestPaths.TorchScriptFixture("conv3d_1to2.ts")).Length, model.Bytes);
        Assert.Equal(64, model.Sha256!.Length);
        Assert.Equal(ModelFileFormat.TorchScript, model.Format);
        Assert.Contains("config/config_inference.json", model.Source);
    }

    [Fact]
    public void PathsNameWhereEachIsDefined()
    {
        using var temp = new TempDirectory();
        temp.Write("models/model.ts", "not a model");
        using var source = Open(temp);
        var envFile = Json("config/environment.json", "{\n  \"MMAR_TORCHSCRIPT\": \"models/model.ts\",\n  \"DATASET_JSON\": \"/data/dataset.json\"\n}");
        var inferenceJson = Json("config/config_inference.json", """{"dataset": {"data_file_base_dir": "../outside"}, "pre_transforms": []}""");
        var variables = MmarVariables.Build(inferenceJson.RootObject, inferenceJson.RelativePath, envFile.RootObject, null);

        var paths = PathsDetector.Detect(source, variables, "config/environment.json", envFile, "config/config_inference.json", inferenceJson, null);

        Assert.Equal((MmarPathKind.InsideMmar, true, "config/environment.json", 2), (paths.TorchScript!.Kind, paths.TorchScript.Exists, paths.TorchScript.DefinedIn, paths.TorchScript.Location!.Line));
        Assert.Equal((MmarPathKind.External, "config/environment.json", 3), (paths.DatasetJson!.Kind, paths.DatasetJson.DefinedIn, paths.DatasetJson.Location!.Line));
        Assert.Equal((MmarPathKind.EscapesMmar, "dataset.data_file_base_dir", "config/config_inference.json"), (paths.DataRoot!.Kind, paths.DataRoot.Key, paths.DataRoot.DefinedIn));
        Assert.Null(paths.Checkpoint);
        Assert.Equal(new[] { "MMAR_TORCHSCRIPT", "DATASET_JSON", "dataset.data_file_base_dir" }, paths.All.Select(p => p.Key));
    }
}
