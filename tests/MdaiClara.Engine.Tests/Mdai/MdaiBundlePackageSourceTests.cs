using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Mdai.Packaging;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Mdai;

/// <summary>Bundle packages from a zip (read in place) and the refusals of what the interface code cannot rely on.</summary>
public sealed class MdaiBundlePackageSourceTests
{
    [Fact]
    public void AZippedBundleWithOneTopFolderGivesTheSamePackageAsItsFolder()
    {
        using var temp = new TempDirectory();
        var bundleZip = temp.Combine("downloaded.zip");
        ZipFile.CreateFromDirectory(MdaiBundlePackageHarness.Bundle, bundleZip, CompressionLevel.Fastest, includeBaseDirectory: true);
        var fromZip = MdaiBundlePackageBuilder.Build(bundleZip, temp.Combine("from-zip.zip"), new MdaiPackageOptions());
        var fromFolder = MdaiBundlePackageBuilder.Build(MdaiBundlePackageHarness.Bundle, temp.Combine("from-folder.zip"), new MdaiPackageOptions());
        Assert.Equal(fromFolder.Files, fromZip.Files);
        Assert.Equal(fromFolder.Sha256, fromZip.Sha256);
        Assert.Equal(fromFolder.LeftOut.Select(l => l.Path), fromZip.LeftOut.Select(l => l.Path));
        Assert.True(File.Exists(bundleZip));
    }

    [Fact]
    public void ImageDataInThePackagedFoldersIsLeftOutByNameAndByContent()
    {
        using var temp = new TempDirectory();
        var bundle = MdaiBundlePackageTests.CopyBundle(temp);
        var sample = Path.Combine(bundle, "sample_data", "ct_pls.nii.gz");
        Directory.CreateDirectory(Path.Combine(bundle, "docs"));
        Directory.CreateDirectory(Path.Combine(bundle, "scripts"));
        File.Copy(sample, Path.Combine(bundle, "docs", "example.nii.gz"));
        File.Copy(sample, Path.Combine(bundle, "scripts", "case.bin"));
        File.WriteAllText(Path.Combine(bundle, "docs", "README.md"), "# the bundle\n");
        var package = MdaiBundlePackageBuilder.Build(bundle, temp.Combine("x.zip"), new MdaiPackageOptions());
        var images = package.LeftOut.Where(l => l.Reason == PackageLeftOutReason.ImageData).Select(l => l.Path).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { "docs/example.nii.gz", "scripts/case.bin" }, images);
        Assert.Contains(package.Files, f => f.Path == "model/bundle/docs/README.md");
        Assert.DoesNotContain(package.Files, f => f.Path.EndsWith("example.nii.gz", StringComparison.Ordinal) || f.Path.EndsWith("case.bin", StringComparison.Ordinal));
        Assert.Contains(package.Files, f => f.Path == "model/bundle/models/model.ts");

        var named = MdaiBundlePackageBuilder.Build(bundle, temp.Combine("y.zip"), new MdaiPackageOptions { Include = ["docs/*.nii.gz"] });
        Assert.Contains(named.Files, f => f.Path == "model/bundle/docs/example.nii.gz");
        Assert.DoesNotContain(named.Files, f => f.Path.EndsWith("case.bin", StringComparison.Ordinal));
    }

    [Fact]
    public void AZipWithAnEntryThatEscapesTheBundleIsRefusedAndNothingIsWritten()
    {
        using var temp = new TempDirectory();
        var bundleZip = temp.Combine("crafted.zip");
        ZipFile.CreateFromDirectory(MdaiBundlePackageHarness.Bundle, bundleZip, CompressionLevel.Fastest, includeBaseDirectory: true);
        using (var zip = ZipFile.Open(bundleZip, ZipArchiveMode.Update))
        {
            using var writer = new StreamWriter(zip.CreateEntry("golden-ct-seg/../../evil.sh").Open());
            writer.Write("echo pwned\n");
        }

        var ex = Assert.Throws<MdaiClaraException>(() => MdaiBundlePackageBuilder.Build(bundleZip, temp.Combine("x.zip"), new MdaiPackageOptions()));
        Assert.Equal(ErrorIds.MdaiPackageRefused, ex.ErrorId);
        Assert.Contains("outside the bundle", ex.Message, StringComparison.Ordinal);
        Assert.Contains("evil.sh", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.Combine("x.zip")));
    }

    [Fact]
    public void AModelThatNeitherSegmentsNorClassifiesIsRefusedWithItsOutputAndWhere()
    {
        using var temp = new TempDirectory();
        var bundle = MdaiBundlePackageTests.CopyBundle(temp);
        Edit(Path.Combine(bundle, "configs", "metadata.json"), m =>
        {
            var pred = m["network_data_format"]!["outputs"]!["pred"]!;
            pred["type"] = "image";
            pred["format"] = "magnitude";
        });
        var ex = Assert.Throws<MdaiClaraException>(() => MdaiBundlePackageBuilder.Build(bundle, temp.Combine("x.zip"), new MdaiPackageOptions()));
        Assert.Equal(ErrorIds.MdaiPackageRefused, ex.ErrorId);
        Assert.Matches(@"its output \(configs/metadata\.json:\d+:\d+\) is type ""image"", format ""magnitude""", ex.Message);
        Assert.Contains("segmentation", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASaverThatDoesNotWriteUnderOutputDirIsRefusedWithWhereItIs()
    {
        using var temp = new TempDirectory();
        var bundle = MdaiBundlePackageTests.CopyBundle(temp);
        Edit(Path.Combine(bundle, "configs", "inference.json"), c =>
        {
            var saver = c["postprocessing"]!["transforms"]!.AsArray().Single(t => t!["_target_"]!.GetValue<string>() == "SaveImaged")!;
            saver["output_dir"] = "/tmp/elsewhere";
        });
        var ex = Assert.Throws<MdaiClaraException>(() => MdaiBundlePackageBuilder.Build(bundle, temp.Combine("x.zip"), new MdaiPackageOptions()));
        Assert.Matches(@"its SaveImaged at configs/inference\.json:\d+:\d+ \(@postprocessing::transforms::\d+\) writes to ""/tmp/elsewhere"", not under @output_dir", ex.Message);
        Assert.Contains("\"output_dir\": \"@output_dir\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALambdaBeforeTheSaverIsWarnedAbout()
    {
        using var temp = new TempDirectory();
        var bundle = MdaiBundlePackageTests.CopyBundle(temp);
        Edit(Path.Combine(bundle, "configs", "inference.json"), c => c["postprocessing"]!["transforms"]!.AsArray().Insert(0, JsonNode.Parse("""
            {"_target_": "Lambdad", "keys": "pred", "func": "$lambda x: x"}
            """)));
        var package = MdaiBundlePackageBuilder.Build(bundle, temp.Combine("x.zip"), new MdaiPackageOptions());
        var warning = Assert.Single(package.Warnings);
        Assert.Matches(@"runs Lambdad at configs/inference\.json:\d+:\d+, whose effect on the prediction packaging cannot know; the MD\.ai interface reads the saved output as labels", warning);
    }

    [Fact]
    public void TwoClassificationSaversAreRefusedNamingBoth()
    {
        using var temp = new TempDirectory();
        var bundle = MdaiBundlePackageTests.CopyBundle(temp, Path.Combine(TestPaths.Fixtures, "bundles", "golden-rgb-cls"));
        Edit(Path.Combine(bundle, "configs", "inference.json"), c => c["postprocessing"]!["transforms"]!.AsArray().Add(JsonNode.Parse("""
            {"_target_": "SaveClassificationd", "keys": "pred", "output_dir": "@output_dir"}
            """)));
        var ex = Assert.Throws<MdaiClaraException>(() => MdaiBundlePackageBuilder.Build(bundle, temp.Combine("x.zip"), new MdaiPackageOptions()));
        Assert.Contains("has 2 savers of classification results", ex.Message, StringComparison.Ordinal);
        Assert.Contains("SaveClassificationd at configs/inference.json:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ClassificationSaver at configs/inference.json:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnArgmaxClassifierWithoutAClassCountIsRefused()
    {
        using var temp = new TempDirectory();
        var bundle = MdaiBundlePackageTests.CopyBundle(temp, Path.Combine(TestPaths.Fixtures, "bundles", "golden-rgb-cls"));
        Edit(Path.Combine(bundle, "configs", "metadata.json"), m =>
        {
            var pred = m["network_data_format"]!["outputs"]!["pred"]!.AsObject();
            pred.Remove("num_channels");
            pred.Remove("channel_def");
        });
        var ex = Assert.Throws<MdaiClaraException>(() => MdaiBundlePackageBuilder.Build(bundle, temp.Combine("x.zip"), new MdaiPackageOptions()));
        Assert.Contains("one class index per image", ex.Message, StringComparison.Ordinal);
        Assert.Contains("num_channels", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AVersionPipCannotPinIsRefusedWithItsPosition()
    {
        using var temp = new TempDirectory();
        var bundle = MdaiBundlePackageTests.CopyBundle(temp);
        Edit(Path.Combine(bundle, "configs", "metadata.json"), m => m["monai_version"] = "latest");
        var ex = Assert.Throws<MdaiClaraException>(() => MdaiBundlePackageBuilder.Build(bundle, temp.Combine("x.zip"), new MdaiPackageOptions()));
        Assert.Matches(@"""monai_version"" \(configs/metadata\.json:\d+:\d+\) is ""latest"", not a version pip can pin", ex.Message);
    }

    [Fact]
    public void AFolderThatIsNoBundleSaysSo()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("empty"));
        var ex = Assert.Throws<MdaiClaraException>(() => MdaiBundlePackageBuilder.Build(temp.Combine("empty"), temp.Combine("x.zip"), new MdaiPackageOptions()));
        Assert.Equal(ErrorIds.BundleNotRecognized, ex.ErrorId);
        Assert.Contains("is not a MONAI bundle", ex.Message, StringComparison.Ordinal);
    }

    private static void Edit(string path, Action<JsonObject> edit)
    {
        var node = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(node);
        File.WriteAllText(path, node.ToJsonString());
    }
}
