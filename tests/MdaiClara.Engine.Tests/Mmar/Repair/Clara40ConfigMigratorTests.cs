using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Mmar.Repair;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Mmar.Repair;

/// <summary>
/// Clara 4.0 inference configs in their Clara 4.1 form. The expected shapes are those of NVIDIA's own 4.1
/// GettingStarted config_inference.json (post-transforms Activationsd → Invertd → AsDiscreted → SaveImaged, Invertd
/// on "@pre_transforms" from "image" into pred_meta_dict with nearest_interp false, SaveImaged from pred_meta_dict into
/// {MMAR_EVAL_OUTPUT_PATH} with resample false and squeeze_end_dims true, CLARA_TRAIN_VERSION first).
/// </summary>
public class Clara40ConfigMigratorTests
{
    private static ConfigMigration Migrate(string text, string file = "config/config_inference.json") =>
        Clara40ConfigMigrator.Migrate(JsonConfigParser.Parse(file, Encoding.UTF8.GetBytes(text)), text);

    private static string[] Names(JsonNode? list) => list!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToArray();

    [Fact]
    public void TheSpleenConfigTakesTheShapeOfNvidiasClara41Config()
    {
        var migration = Migrate(RepairFixtures.Clara40SpleenInference);

        Assert.True(migration.Complete);
        var config = JsonNode.Parse(migration.Text!)!.AsObject();
        Assert.Equal("CLARA_TRAIN_VERSION", config.First().Key);
        Assert.Equal("4.1.0", config["CLARA_TRAIN_VERSION"]!.GetValue<string>());
        Assert.Equal(new[] { "StatsHandler" }, Names(config["handlers"]));
        Assert.Equal(new[] { "Activationsd", "Invertd", "AsDiscreted", "SaveImaged" }, Names(config["post_transforms"]));

        var invertd = config["post_transforms"]![1]!["args"]!;
        Assert.Equal("pred", invertd["keys"]!.GetValue<string>());
        Assert.Equal("@pre_transforms", invertd["transform"]!.GetValue<string>());
        Assert.Equal("image", invertd["orig_keys"]!.GetValue<string>());
        Assert.Equal("pred_meta_dict", invertd["meta_keys"]!.GetValue<string>());
        Assert.False(invertd["nearest_interp"]!.GetValue<bool>());

        var save = config["post_transforms"]![3]!["args"]!;
        Assert.Equal("pred", save["keys"]!.GetValue<string>());
        Assert.Equal("pred_meta_dict", save["meta_keys"]!.GetValue<string>());
        Assert.Equal("{MMAR_EVAL_OUTPUT_PATH}", save["output_dir"]!.GetValue<string>());
        Assert.False(save["resample"]!.GetValue<bool>());
        Assert.True(save["squeeze_end_dims"]!.GetValue<bool>());
        Assert.Equal("seg", save["output_postfix"]!.GetValue<string>()); // the file names Clara 4.0 wrote

        // The rest is as it was, in Clara's layout.
        Assert.Equal(JsonNode.Parse(RepairFixtures.Clara40SpleenInference)!["pre_transforms"]!.ToJsonString(), config["pre_transforms"]!.ToJsonString());
        Assert.Contains("\n  \"pre_transforms\": [\n", migration.Text);
        Assert.Contains("\"keys\": [\"image\"]", migration.Text);
        Assert.Contains(migration.Changes, c => c.Kind == MmarChangeKind.Migrated && c.What.Contains("SegmentationSaver", System.StringComparison.Ordinal) && c.Line == 68 && c.Column == 5);
    }

    [Fact]
    public void TheMigratedConfigIsReadAsClara41WithTheSaverPackagingNeeds()
    {
        using var temp = new TempDirectory();
        var mmar = RepairFixtures.Clara40Spleen(temp);
        temp.Write("spleen40/config/config_inference.json", Migrate(RepairFixtures.Clara40SpleenInference).Text!);

        using var analysis = new DisposableAnalysis(MmarAnalyzer.Open(mmar));

        var info = analysis.Value.Info;
        Assert.Equal(ClaraGeneration.Clara41, info.Generation);
        Assert.Equal(new[] { "Activationsd", "Invertd", "AsDiscreted", "SaveImaged" }, info.InferenceConfig!.PostTransforms.Select(t => t.CanonicalName));
        Assert.DoesNotContain(info.InferenceConfig.Handlers, h => h.CanonicalName is "SegmentationSaver" or "TransformInverter");
    }

    [Fact]
    public void TransformInverterBecomesInvertdAndWhatReadItsOutputReadsTheInvertedKey()
    {
        using var temp = new TempDirectory();
        RepairFixtures.Clara40Inverter(temp);
        var text = System.IO.File.ReadAllText(temp.Combine("inverter40", "config", "config_validation.json"));

        var migration = Migrate(text, "config/config_validation.json");

        Assert.True(migration.Complete, string.Join("; ", migration.Changes));
        var config = JsonNode.Parse(migration.Text!)!;
        Assert.Equal(new[] { "CheckpointLoader", "StatsHandler", "MetricsSaver" }, Names(config["handlers"]));
        Assert.Equal(new[] { "Activationsd", "Invertd", "SaveImaged" }, Names(config["post_transforms"]));
        var invertd = config["post_transforms"]![1]!["args"]!;
        Assert.Equal("pred", invertd["keys"]!.GetValue<string>());
        Assert.Equal("image", invertd["orig_keys"]!.GetValue<string>());
        Assert.False(invertd["nearest_interp"]!.GetValue<bool>());
        var save = config["post_transforms"]![2]!["args"]!;
        Assert.Equal("pred", save["keys"]!.GetValue<string>());
        Assert.False(save["resample"]!.GetValue<bool>());

        Assert.Equal("#monai.handlers.from_engine(['image_meta_dict'])", config["handlers"]![2]!["args"]!["batch_transform"]!.GetValue<string>());
        Assert.Null(config["metrics"]);
        Assert.Equal("MeanDice", config["key_metric"]!["name"]!.GetValue<string>());
        Assert.Null(config["key_metric"]!["is_key_metric"]);
        Assert.Equal("#monai.handlers.from_engine(['pred', 'label'])", config["key_metric"]!["args"]!["output_transform"]!.GetValue<string>());
        Assert.Equal(new[] { "Accuracy" }, Names(config["additional_metrics"]));
    }

    [Fact]
    public void ALambdaWithNoKnownFormLeavesTheConfigAsItWasAndSaysWhere()
    {
        using var temp = new TempDirectory();
        RepairFixtures.Clara40Inverter(temp, saverOutput: "lambda x: __import__('monai').transforms.AsDiscrete(threshold_values=True)(x['pred_inverted'][0][None].detach().cpu())");
        var text = System.IO.File.ReadAllText(temp.Combine("inverter40", "config", "config_validation.json"));

        var migration = Migrate(text, "config/config_validation.json");

        Assert.False(migration.Complete);
        Assert.Null(migration.Text);
        var gap = Assert.Single(migration.Changes);
        Assert.Equal(MmarChangeKind.NotMigrated, gap.Kind);
        Assert.Equal("config/config_validation.json", gap.File);
        Assert.Equal(23, gap.Line); // the saver's output_transform
        Assert.True(gap.Column > 1);
        Assert.Contains("output_transform", gap.What, System.StringComparison.Ordinal);
    }

    [Fact]
    public void AValueOnlyPythonsJsonTakesStopsTheMigrationNotTheCommand()
    {
        var text = RepairFixtures.Clara40SpleenInference.Replace("\"b_max\": 1.0", "\"b_max\": NaN", System.StringComparison.Ordinal);

        var migration = Migrate(text);

        Assert.False(migration.Complete);
        Assert.Equal(MmarChangeKind.NotMigrated, Assert.Single(migration.Changes).Kind);
    }

    [Fact]
    public void AnUnknownHandlerIsNotMigrated()
    {
        var text = RepairFixtures.Clara40SpleenInference.Replace("\"name\": \"StatsHandler\"", "\"name\": \"ProbMapProducer\"", System.StringComparison.Ordinal);

        var migration = Migrate(text);

        Assert.False(migration.Complete);
        Assert.Contains(migration.Changes, c => c.Kind == MmarChangeKind.NotMigrated && c.What.Contains("ProbMapProducer", System.StringComparison.Ordinal) && c.Line == 61);
    }

    [Fact]
    public void WithoutAGridChangeTheSaverResamplesToTheOriginalAffineAsSegmentationSaverDid()
    {
        var text = RepairFixtures.Clara40SpleenInference.Replace("\"name\": \"CropForegroundd\"", "\"name\": \"CastToTyped\"", System.StringComparison.Ordinal);

        var config = JsonNode.Parse(Migrate(text).Text!)!;

        Assert.Equal(new[] { "Activationsd", "AsDiscreted", "SaveImaged" }, Names(config["post_transforms"]));
        var save = config["post_transforms"]![2]!["args"]!;
        Assert.Equal("image_meta_dict", save["meta_keys"]!.GetValue<string>());
        Assert.True(save["resample"]!.GetValue<bool>());
    }

    /// <summary>Disposes the analysis's file source.</summary>
    private sealed class DisposableAnalysis(MmarAnalysis value) : System.IDisposable
    {
        public MmarAnalysis Value { get; } = value;

        public void Dispose() => Value.Source.Dispose();
    }
}
