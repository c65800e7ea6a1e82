using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Mdai.Packaging;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Mdai;

/// <summary>
/// Packages the golden CT bundle (tests/fixtures/bundles/golden-ct-seg) with <see cref="MdaiBundlePackageBuilder"/>
/// and lets tests/mdai/run_mdai_deploy.py --package unpack the zip as MD.ai would and run its mdai_deploy.py for real,
/// with MONAI's bundle runner replaced by the stand-in (tests/mdai/standin/bundle_monai) that writes labels defined in
/// world coordinates, on DICOM series in several orientations and output grids: the same checks as MMAR packages.
/// </summary>
public sealed class MdaiBundlePackageHarness : IDisposable
{
    private readonly TempDirectory temp = new();

    public MdaiBundlePackageHarness()
    {
        Zip = temp.Combine("golden-ct-seg.zip");
        Package = MdaiBundlePackageBuilder.Build(Bundle, Zip, new MdaiPackageOptions());
        var harness = Path.Combine(TestPaths.RepoRoot, "tests", "mdai", "run_mdai_deploy.py");
        Report = JsonDocument.Parse(PythonPeer.Run(MdaiDeployHarness.RunHarness, TimeSpan.FromMinutes(4), harness, "--package", Zip)).RootElement;
    }

    public static string Bundle => Path.Combine(TestPaths.Fixtures, "bundles", "golden-ct-seg");

    public string Zip { get; }

    public MdaiBundlePackage Package { get; }

    public JsonElement Report { get; }

    public void Dispose() => temp.Dispose();
}

public sealed class MdaiBundlePackageTests(MdaiBundlePackageHarness harness) : IClassFixture<MdaiBundlePackageHarness>
{
    public static TheoryData<string> HarnessCases => new()
    {
        "bundle_phantom_input_grid", "bundle_phantom_rotated_grid", "bundle_axial_ffs_ras_grid", "bundle_oblique_input_grid",
        "bundle_coronal_rotated_grid", "bundle_fail_runner_exit_code", "bundle_fail_no_output",
    };

    [Theory]
    [MemberData(nameof(HarnessCases))]
    public void ThePackagedInterfaceCodePassesTheHarnessCase(string name)
    {
        var found = harness.Report.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        Assert.True(found.GetProperty("ok").GetBoolean(), found.ToString());
        if (!name.Contains("_fail_", StringComparison.Ordinal))
        {
            Assert.Equal(0, found.GetProperty("mismatching_pixels").GetInt32());
            Assert.True(found.GetProperty("annotations").GetInt32() > 0, found.ToString());
        }
    }

    [Fact]
    public void TheTemplatesPassTheStaticChecksAndImportNothingBlockedInTheServerProcess()
    {
        var environment = harness.Report.GetProperty("environment");
        Assert.True(environment.GetProperty("ok").GetBoolean(), environment.ToString());
        Assert.Equal(7, harness.Report.GetProperty("passed").GetInt32());
    }

    [Fact]
    public void RequirementsPinTheBundlesMonaiPytorchAndOptionalPackages()
    {
        Assert.Equal(
            new[] { "monai==1.3.2", "torch==1.13.0", "nibabel==5.0.0", "pytorch-ignite==0.4.12" },
            harness.Package.Requirements.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')));
        Assert.Equal("base_image: py310\ndevice_type: gpu\ncuda_version: \"11.8\"\n", harness.Package.Config);
    }

    [Fact]
    public void ThePackageHoldsTheBundleTheInterfaceCodeAndNothingElseOfTheFixture()
    {
        using var zip = ZipFile.OpenRead(harness.Zip);
        var names = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Equal(
            new[]
            {
                "model/.mdai/config.yaml", "model/.mdai/mdai_bundle_run.py", "model/.mdai/mdai_bundle_workspace.py", "model/.mdai/mdai_clara.json",
                "model/.mdai/mdai_clara_dicom.py", "model/.mdai/mdai_clara_eval.py", "model/.mdai/mdai_clara_instances.py", "model/.mdai/mdai_clara_output.py", "model/.mdai/mdai_clara_settings.py",
                "model/.mdai/mdai_deploy.py", "model/.mdai/requirements.txt",
                "model/bundle/configs/inference.json", "model/bundle/configs/metadata.json", "model/bundle/models/model.ts",
            },
            names);
        var sample = Assert.Single(harness.Package.LeftOut, l => l.Path == "sample_data/ct_pls.nii.gz");
        Assert.Equal(PackageLeftOutReason.NotNeeded, sample.Reason);
        Assert.Equal("segmentation", harness.Package.Task);
        var settings = JsonNode.Parse(harness.Package.Settings)!;
        Assert.Equal("labels", settings["saved_output"]!["content"]!.GetValue<string>());
        Assert.Equal(new[] { "organ", "lesion" }, settings["class_names"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(File.ReadAllBytes(Path.Combine(MdaiBundlePackageHarness.Bundle, "models", "model.ts")), Read(zip, "model/bundle/models/model.ts"));
    }

    [Fact]
    public void TheSameBundleGivesTheSameBytes()
    {
        using var temp = new TempDirectory();
        var again = MdaiBundlePackageBuilder.Build(MdaiBundlePackageHarness.Bundle, temp.Combine("again.zip"), new MdaiPackageOptions());
        Assert.Equal(harness.Package.Sha256, again.Sha256);
    }

    [Theory]
    [InlineData("monai_version", "no \"monai_version\" string")]
    [InlineData("pytorch_version", "no \"pytorch_version\" string")]
    public void MetadataWithoutAVersionToPinIsRefused(string key, string expected)
    {
        using var temp = new TempDirectory();
        var bundle = CopyBundle(temp);
        var path = Path.Combine(bundle, "configs", "metadata.json");
        var metadata = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        metadata.Remove(key);
        File.WriteAllText(path, metadata.ToJsonString());
        var ex = Assert.Throws<MdaiClaraException>(() => MdaiBundlePackageBuilder.Build(bundle, temp.Combine("x.zip"), new MdaiPackageOptions()));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AConfigWithoutADatalistGetsItsDatasetsDataReplacedWithAWarningAndOneWithoutEitherIsRefused()
    {
        using var temp = new TempDirectory();
        var bundle = CopyBundle(temp);
        var path = Path.Combine(bundle, "configs", "inference.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        config.Remove("datalist");
        File.WriteAllText(path, config.ToJsonString());
        var package = MdaiBundlePackageBuilder.Build(bundle, temp.Combine("x.zip"), new MdaiPackageOptions());
        var settings = JsonNode.Parse(package.Settings)!;
        Assert.Equal("dataset::data", settings["datalist_id"]!.GetValue<string>());
        Assert.Equal("image", settings["datalist_key"]!.GetValue<string>());
        Assert.Contains(package.Warnings, w => w.Contains("replaces @dataset::data (configs/inference.json:", StringComparison.Ordinal));

        config.Remove("dataset");
        File.WriteAllText(path, config.ToJsonString());
        var ex = Assert.Throws<MdaiClaraException>(() => MdaiBundlePackageBuilder.Build(bundle, temp.Combine("y.zip"), new MdaiPackageOptions()));
        Assert.Contains("has neither a top-level \"datalist\" nor a \"dataset\"", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.Combine("y.zip")));
    }

    [Fact]
    public void TheGoldenBundleGetsItsTopLevelDatalistReplacedWithPaths()
    {
        var settings = JsonNode.Parse(harness.Package.Settings)!;
        Assert.Equal("datalist", settings["datalist_id"]!.GetValue<string>());
        Assert.Null(settings["datalist_key"]);
        Assert.Empty(harness.Package.Warnings);
    }

    [Fact]
    public void BrokenJsonIsRefusedWithItsLine()
    {
        using var temp = new TempDirectory();
        var bundle = CopyBundle(temp);
        File.WriteAllText(Path.Combine(bundle, "configs", "inference.json"), "{\n  \"a\": 1,\n  \"b\": \n}");
        var ex = Assert.Throws<MdaiClaraException>(() => MdaiBundlePackageBuilder.Build(bundle, temp.Combine("x.zip"), new MdaiPackageOptions()));
        Assert.Contains("configs/inference.json is not valid JSON (line 4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CpuPackagesNameNoCudaVersionAndOldPytorchGetsPython38()
    {
        Assert.Equal("base_image: py310\ndevice_type: cpu\n", MdaiConfigYaml.BuildPython("py310", "cpu", "11.8"));
        Assert.Equal("py38", MdaiBundlePackageBuilder.PythonImage("1.10.2"));
        Assert.Equal("py310", MdaiBundlePackageBuilder.PythonImage("2.2.0"));
        Assert.Equal("12.1", MdaiBundlePackageBuilder.CudaVersion("2.1.0"));
        Assert.Equal("11.8", MdaiBundlePackageBuilder.CudaVersion("1.13.1"));
    }

    internal static string CopyBundle(TempDirectory temp, string? from = null, string name = "bundle")
    {
        from ??= MdaiBundlePackageHarness.Bundle;
        var target = temp.Combine(name);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        return target;
    }

    internal static byte[] Read(ZipArchive zip, string name)
    {
        using var stream = zip.GetEntry(name)!.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
