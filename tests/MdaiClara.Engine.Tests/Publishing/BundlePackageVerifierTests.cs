using System;
using System.IO;
using System.IO.Compression;
using System.Text;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Publishing;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Publishing;

/// <summary>
/// Publish-MdaiModel -Bundle's "Verify package": the golden CT bundle's package read back passes; a zip changed after
/// writing, one that lost its model file, and one carrying image data no include pattern names fail, saying what.
/// </summary>
public sealed class BundlePackageVerifierTests
{
    private static readonly string Bundle = Path.Combine(TestPaths.Fixtures, "bundles", "golden-ct-seg");

    private static (string Zip, MdaiBundlePackage Package) Build(TempDirectory temp, string? bundle = null, MdaiPackageOptions? options = null)
    {
        var zip = temp.Combine("golden-ct-seg.zip");
        return (zip, MdaiBundlePackageBuilder.Build(bundle ?? Bundle, zip, options ?? new MdaiPackageOptions { DeviceType = "cpu" }));
    }

    [Fact]
    public void TheGoldenBundlesPackagePassesWithWhatWasRead()
    {
        using var temp = new TempDirectory();
        var (zip, package) = Build(temp);

        var check = BundlePackageVerifier.Verify(zip, package, new MdaiPackageOptions { DeviceType = "cpu" });

        Assert.Equal(PublishCheckStatus.Passed, check.Status);
        Assert.Contains("config.yaml (base_image py310, device_type cpu)", check.Detail, StringComparison.Ordinal);
        Assert.Contains("requirements.txt (monai==1.3.2, torch==1.13.0)", check.Detail, StringComparison.Ordinal);
        Assert.Contains("saved_output a label map", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void AGpuPackageIsReadWithItsCudaVersion()
    {
        using var temp = new TempDirectory();
        var (zip, package) = Build(temp, options: new MdaiPackageOptions());

        Assert.Equal(PublishCheckStatus.Passed, BundlePackageVerifier.Verify(zip, package, new MdaiPackageOptions()).Status);
        // Judged against the device it was asked for: a GPU package is not a CPU one.
        var asCpu = BundlePackageVerifier.Verify(zip, package, new MdaiPackageOptions { DeviceType = "cpu" });
        Assert.Equal(PublishCheckStatus.Failed, asCpu.Status);
        Assert.Contains("config.yaml's device_type is 'gpu', not 'cpu'", asCpu.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void AZipChangedAfterWritingFails()
    {
        using var temp = new TempDirectory();
        var (zip, package) = Build(temp);
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Update))
        {
            var entry = archive.GetEntry("model/.mdai/mdai_clara.json")!;
            entry.Delete();
            using var writer = new StreamWriter(archive.CreateEntry("model/.mdai/mdai_clara.json").Open(), new UTF8Encoding(false));
            writer.Write(package.Settings.Replace("\"monai_version\": \"1.3.2\"", "\"monai_version\": \"0.8.1\"", StringComparison.Ordinal));
        }

        var check = BundlePackageVerifier.Verify(zip, package, new MdaiPackageOptions { DeviceType = "cpu" });

        Assert.Equal(PublishCheckStatus.Failed, check.Status);
        Assert.Contains("its SHA-256 changed after writing", check.Detail, StringComparison.Ordinal);
        Assert.Contains("mdai_clara.json's monai_version is '0.8.1', but the packaged metadata.json names 1.3.2", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void AZipThatLostItsModelFileFails()
    {
        using var temp = new TempDirectory();
        var (zip, package) = Build(temp);
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Update))
        {
            archive.GetEntry("model/bundle/models/model.ts")!.Delete();
        }

        var check = BundlePackageVerifier.Verify(zip, package, new MdaiPackageOptions { DeviceType = "cpu" });

        Assert.Equal(PublishCheckStatus.Failed, check.Status);
        Assert.Contains("model/bundle/models/model.ts is missing", check.Detail, StringComparison.Ordinal);
        Assert.Contains("the package holds no model file", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ImageDataFailsUnlessAnIncludePatternNamesIt()
    {
        using var temp = new TempDirectory();
        var bundle = temp.Combine("bundle");
        CopyFolder(Bundle, bundle);
        Directory.CreateDirectory(Path.Combine(bundle, "docs"));
        File.Copy(Path.Combine(Bundle, "sample_data", "ct_pls.nii.gz"), Path.Combine(bundle, "docs", "example.nii.gz"));
        // Packaging leaves image data out unless an include pattern names it; the verifier checks the zip as it is.
        var (zip, package) = Build(temp, bundle, new MdaiPackageOptions { DeviceType = "cpu", Include = ["docs/example.nii.gz"] });
        Assert.Contains(package.Files, f => f.Path == "model/bundle/docs/example.nii.gz");

        var unnamed = BundlePackageVerifier.Verify(zip, package, new MdaiPackageOptions { DeviceType = "cpu" });
        var named = BundlePackageVerifier.Verify(zip, package, new MdaiPackageOptions { DeviceType = "cpu", Include = ["docs/example.nii.gz"] });

        Assert.Equal(PublishCheckStatus.Failed, unnamed.Status);
        Assert.Contains("model/bundle/docs/example.nii.gz is a Nifti image", unnamed.Detail, StringComparison.Ordinal);
        Assert.Equal(PublishCheckStatus.Passed, named.Status);
    }

    internal static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
