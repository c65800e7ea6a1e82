using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Threading;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Mmar.Repair;
using MdaiClara.Engine.Tests.TestSupport;
using MdaiClara.Engine.Validation;
using Xunit;

namespace MdaiClara.Engine.Tests.Mmar.Repair;

/// <summary>Repairs end to end: what is written, that the copy validates and packages, and where it may be written.</summary>
public class MmarRepairerTests
{
    private static MmarRepair Repair(string mmar, MmarRepairOptions options, CancellationToken token = default)
    {
        using var source = MmarLocator.Open(mmar);
        var analysis = MmarAnalyzer.Analyze(source);
        return MmarRepairer.Repair(analysis, MmarRepairPlanner.Plan(analysis), options, token);
    }

    private static MmarChange Change(MmarRepair repair, string file, string what) =>
        Assert.Single(repair.Changes, c => c.File == file && c.What.Contains(what, StringComparison.Ordinal));

    private static string Hash(string folder) => Convert.ToHexString(SHA256.HashData(
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .SelectMany(f => System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(folder, f)).Concat(File.ReadAllBytes(f))).ToArray()));

    private static string[] Hidden(TempDirectory temp) => Directory.GetFileSystemEntries(temp.Path, ".*").Select(Path.GetFileName).ToArray()!;

    [Fact]
    public void ARepairedClara40CopyPassesTestMmarAndPackages()
    {
        using var temp = new TempDirectory();
        var mmar = RepairFixtures.Clara40Spleen(temp);
        var before = Hash(mmar);
        var destination = temp.Combine("repaired");

        var repair = Repair(mmar, new MmarRepairOptions { Destination = destination });

        Assert.Equal(before, Hash(mmar)); // the source is untouched
        Assert.True(repair.Complete);
        Assert.False(repair.InPlace);
        Assert.Equal(Path.GetFullPath(destination), repair.Destination);
        Assert.Equal(MmarChangeKind.Added, Change(repair, "commands/infer.sh", "config/config_inference.json").Kind);
        Assert.Equal(MmarChangeKind.Added, Change(repair, "commands/set_env.sh", "set_env.sh").Kind);
        Assert.Equal(MmarChangeKind.Added, Change(repair, "config/environment.json", "\"OUTPUT_CHANNELS\": 2").Kind);
        Assert.Contains("config/config_train_Unet.json", Change(repair, "config/environment.json", "OUTPUT_CHANNELS").Why, StringComparison.Ordinal);
        Assert.Equal(MmarChangeKind.Added, Change(repair, "config/environment.json", "\"INFER_DATALIST_KEY\": \"test\"").Kind);
        var dataset = Change(repair, "config/environment.json", "\"DATASET_JSON\": \"config/dataset_0.json\"");
        Assert.Equal((MmarChangeKind.Modified, 3, 21), (dataset.Kind, dataset.Line, dataset.Column));
        Assert.Equal(MmarChangeKind.Added, Change(repair, "config/environment.json", "\"CLARA_TRAIN_VERSION\": \"4.1.0\"").Kind);
        Assert.Contains(repair.Changes, c => c.Kind == MmarChangeKind.Migrated && c.File == "config/config_inference.json");
        Assert.DoesNotContain(repair.Changes, c => c.Kind is MmarChangeKind.NotRepaired or MmarChangeKind.NotMigrated);

        var infer = File.ReadAllText(Path.Combine(destination, "commands", "infer.sh"));
        Assert.Contains("-m medl.apps.evaluate", infer, StringComparison.Ordinal);
        Assert.Contains("CONFIG_FILE=config/config_inference.json", infer, StringComparison.Ordinal);
        Assert.Contains(". $my_dir/set_env.sh", infer, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.True(File.GetUnixFileMode(Path.Combine(destination, "commands", "infer.sh")).HasFlag(UnixFileMode.UserExecute));
        }

        var environment = File.ReadAllText(Path.Combine(destination, "config", "environment.json"));
        Assert.StartsWith("{\n    \"DATA_ROOT\": \"/claraDevDay/Data/sampleData/\",\n    \"DATASET_JSON\": \"config/dataset_0.json\",\n    \"PROCESSING_TASK\"", environment, StringComparison.Ordinal);
        Assert.Equal("[]", JsonNode.Parse(File.ReadAllText(Path.Combine(destination, "config", "dataset_0.json")))!["test"]!.ToJsonString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(mmar, "models", "model.ts")), File.ReadAllBytes(Path.Combine(destination, "models", "model.ts")));

        using var source = MmarLocator.Open(destination);
        var analysis = MmarAnalyzer.Analyze(source);
        var findings = MmarValidator.Validate(analysis, new MmarValidationOptions());
        Assert.DoesNotContain(findings, f => f.Severity == FindingSeverity.Error);
        Assert.DoesNotContain(findings, f => f.RuleId == MmarRuleIds.MdaiEnvironmentKeys);
        Assert.Equal(ClaraGeneration.Clara41, analysis.Info.Generation);
        Assert.Equal("4.1.0", analysis.Info.ClaraVersion);

        var package = MdaiPackageBuilder.Build(analysis, temp.Combine("repaired.zip"), new MdaiPackageOptions());
        Assert.Contains(package.Files, f => f.Path == "model/workspace/commands/infer.sh");
        Assert.Equal("seg", package.Settings.OutputPostfix);
        Assert.Empty(Hidden(temp));
    }

    [Fact]
    public void AZippedMmarIsRepairedIntoAFolder()
    {
        using var temp = new TempDirectory();
        var zip = temp.Zip(RepairFixtures.Clara40Spleen(temp), "spleen40.zip", prefix: "clara_pt_spleen/");
        var destination = temp.Combine("from-zip");

        var repair = Repair(zip, new MmarRepairOptions { Destination = destination });

        Assert.True(repair.Complete);
        Assert.Equal(zip, repair.Source);
        Assert.True(File.Exists(Path.Combine(destination, "commands", "infer.sh")));
        Assert.True(File.Exists(Path.Combine(destination, "models", "model.ts")));
        using var source = MmarLocator.Open(destination);
        Assert.True(MmarValidator.Passes(MmarValidator.Validate(MmarAnalyzer.Analyze(source), new MmarValidationOptions())));
    }

    [Fact]
    public void AZippedMmarIsNeverRepairedInPlace()
    {
        using var temp = new TempDirectory();
        var zip = temp.Zip(RepairFixtures.Clara40Spleen(temp), "spleen40.zip");
        var bytes = File.ReadAllBytes(zip);

        var error = Assert.Throws<MdaiClaraException>(() => Repair(zip, new MmarRepairOptions { InPlace = true }));

        Assert.Equal(ErrorIds.MmarRepairRefused, error.ErrorId);
        Assert.Equal(bytes, File.ReadAllBytes(zip));
    }

    [Fact]
    public void InPlaceSwapsTheFolderForTheRepairedOne()
    {
        using var temp = new TempDirectory();
        var mmar = RepairFixtures.Clara40Spleen(temp);

        var repair = Repair(mmar, new MmarRepairOptions { InPlace = true });

        Assert.True(repair.InPlace);
        Assert.Equal(Path.GetFullPath(mmar), repair.Destination);
        Assert.True(File.Exists(Path.Combine(mmar, "commands", "infer.sh")));
        Assert.StartsWith("{\n  \"CLARA_TRAIN_VERSION\": \"4.1.0\",", File.ReadAllText(Path.Combine(mmar, "config", "config_inference.json")), StringComparison.Ordinal);
        Assert.Empty(Hidden(temp));

        // Repaired once, nothing is left to do: a second in-place repair writes nothing.
        var stamp = Directory.GetLastWriteTimeUtc(Path.Combine(mmar, "config"));
        var again = Repair(mmar, new MmarRepairOptions { InPlace = true });
        Assert.Empty(again.Changes);
        Assert.Equal(stamp, Directory.GetLastWriteTimeUtc(Path.Combine(mmar, "config")));
    }

    [Fact]
    public void TheMmarItselfIsNeverTheDestinationOfACopy()
    {
        using var temp = new TempDirectory();
        var mmar = RepairFixtures.Clara40Spleen(temp);
        var before = Hash(mmar);

        var same = Assert.Throws<MdaiClaraException>(() => Repair(mmar, new MmarRepairOptions { Destination = mmar, Force = true }));
        var inside = Assert.Throws<MdaiClaraException>(() => Repair(mmar, new MmarRepairOptions { Destination = Path.Combine(mmar, "fixed") }));
        var around = Assert.Throws<MdaiClaraException>(() => Repair(mmar, new MmarRepairOptions { Destination = temp.Path, Force = true }));

        Assert.All(new[] { same, inside, around }, e => Assert.Equal(ErrorIds.MmarRepairDestinationInvalid, e.ErrorId));
        Assert.Equal(before, Hash(mmar));
    }

    [Fact]
    public void AnExistingDestinationIsReplacedOnlyWhenAskedAndThenWhole()
    {
        using var temp = new TempDirectory();
        var mmar = RepairFixtures.Clara40Spleen(temp);
        var destination = temp.Combine("repaired");
        temp.Write("repaired/old.txt", "from before");

        var error = Assert.Throws<MdaiClaraException>(() => Repair(mmar, new MmarRepairOptions { Destination = destination }));
        Assert.Equal(ErrorIds.MmarRepairDestinationExists, error.ErrorId);
        Assert.True(File.Exists(Path.Combine(destination, "old.txt")));

        Repair(mmar, new MmarRepairOptions { Destination = destination, Force = true });

        Assert.False(File.Exists(Path.Combine(destination, "old.txt")));
        Assert.True(File.Exists(Path.Combine(destination, "commands", "infer.sh")));
        Assert.Empty(Hidden(temp));
    }

    [Fact]
    public void ACancelledRepairLeavesNothingBehind()
    {
        using var temp = new TempDirectory();
        var mmar = RepairFixtures.Clara40Spleen(temp);
        var destination = temp.Combine("repaired");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => Repair(mmar, new MmarRepairOptions { Destination = destination }, cancelled.Token));

        Assert.False(Directory.Exists(destination));
        Assert.Empty(Hidden(temp));
    }

    [Fact]
    public void UnmigratableContentLeavesTheConfigAndTheVersionAsTheyWere()
    {
        using var temp = new TempDirectory();
        var mmar = RepairFixtures.Clara40Inverter(temp, saverOutput: "lambda x: x['pred_inverted'][0][None].detach().cpu()");
        var destination = temp.Combine("repaired");

        var repair = Repair(mmar, new MmarRepairOptions { Destination = destination });

        Assert.False(repair.Complete);
        Assert.Contains(repair.Changes, c => c.Kind == MmarChangeKind.NotMigrated && c.Line == 23);
        Assert.Equal(MmarChangeKind.NotRepaired, Change(repair, "config/config_validation.json", "left as Clara 4.0").Kind);
        Assert.Equal(File.ReadAllText(Path.Combine(mmar, "config", "config_validation.json")), File.ReadAllText(Path.Combine(destination, "config", "config_validation.json")));
        Assert.DoesNotContain("CLARA_TRAIN_VERSION", File.ReadAllText(Path.Combine(destination, "config", "environment.json")), StringComparison.Ordinal);

        // The rest is still repaired: infer.sh runs the only config there is, with the datalist key it reads.
        Assert.Contains("CONFIG_FILE=config/config_validation.json", File.ReadAllText(Path.Combine(destination, "commands", "infer.sh")), StringComparison.Ordinal);
        Assert.Equal(MmarChangeKind.Added, Change(repair, "config/environment.json", "\"INFER_DATALIST_KEY\": \"testing\"").Kind);
        using var source = MmarLocator.Open(destination);
        Assert.Equal(ClaraGeneration.Clara40, MmarAnalyzer.Analyze(source).Info.Generation);
    }

    [Fact]
    public void AValueNoConfigStatesIsReportedNotInvented()
    {
        using var temp = new TempDirectory();
        var mmar = RepairFixtures.Clara41NoChannels(temp);
        var destination = temp.Combine("repaired");

        var repair = Repair(mmar, new MmarRepairOptions { Destination = destination });

        var gap = Change(repair, "config/environment.json", "OUTPUT_CHANNELS");
        Assert.Equal(MmarChangeKind.NotRepaired, gap.Kind);
        Assert.Contains("forward pass", gap.Why, StringComparison.Ordinal);
        Assert.DoesNotContain("OUTPUT_CHANNELS", File.ReadAllText(Path.Combine(destination, "config", "environment.json")), StringComparison.Ordinal);
        Assert.DoesNotContain(repair.Changes, c => c.Kind == MmarChangeKind.Migrated); // a Clara 4.1 MMAR is not migrated
        Assert.DoesNotContain(repair.Changes, c => c.What.Contains("DATASET_JSON", StringComparison.Ordinal)); // already inside, and there
        Assert.Equal(MmarChangeKind.Added, Change(repair, "config/environment.json", "\"INFER_DATALIST_KEY\": \"testing\"").Kind);
    }

    [Fact]
    public void AConfigThatSavesNoResultIsReportedNotGivenASaver()
    {
        using var temp = new TempDirectory();
        var mmar = RepairFixtures.Clara41NoChannels(temp);
        var config = Path.Combine(mmar, "config", "config_inference.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("ClassificationSaver", "ProbMapProducer", StringComparison.Ordinal));

        var repair = Repair(mmar, new MmarRepairOptions { Destination = temp.Combine("repaired") });

        var gap = Change(repair, "config/config_inference.json", "saves no classification result");
        Assert.Equal(MmarChangeKind.NotRepaired, gap.Kind);
        Assert.Contains("ClassificationSaver", gap.Why, StringComparison.Ordinal);
        Assert.DoesNotContain(repair.Changes, c => c.What.Contains("saves no", StringComparison.Ordinal) && c != gap);
        Assert.Equal(File.ReadAllText(config), File.ReadAllText(temp.Combine("repaired", "config", "config_inference.json")));
    }

    [Fact]
    public void ALinkLeavingTheMmarIsNotCopiedAndSaidSo()
    {
        using var temp = new TempDirectory();
        var mmar = RepairFixtures.Clara40Spleen(temp);
        temp.Write("secret.txt", "outside");
        File.CreateSymbolicLink(Path.Combine(mmar, "docs.txt"), temp.Combine("secret.txt"));

        var repair = Repair(mmar, new MmarRepairOptions { Destination = temp.Combine("repaired") });

        var skipped = Change(repair, "docs.txt", "not copied");
        Assert.Equal(MmarChangeKind.NotRepaired, skipped.Kind);
        Assert.Contains("outside the MMAR", skipped.Why, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.Combine("repaired", "docs.txt")));
    }

    [Fact]
    public void AClara3TensorFlowMmarIsRefused()
    {
        using var temp = new TempDirectory();
        var mmar = SyntheticMmars.WriteClara3(temp);

        var error = Assert.Throws<MdaiClaraException>(() => Repair(mmar, new MmarRepairOptions { Destination = temp.Combine("repaired") }));

        Assert.Equal(ErrorIds.MmarRepairRefused, error.ErrorId);
        Assert.False(Directory.Exists(temp.Combine("repaired")));
    }

    [Fact]
    public void ACompleteMmarGetsACopyWithNoChanges()
    {
        using var temp = new TempDirectory();
        var destination = temp.Combine("copy");

        var repair = Repair(TestPaths.SampleMmar, new MmarRepairOptions { Destination = destination });

        Assert.Empty(repair.Changes);
        Assert.Equal(Hash(TestPaths.SampleMmar), Hash(destination));
    }
}
