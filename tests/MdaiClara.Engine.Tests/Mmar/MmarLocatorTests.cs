using System;
using System.IO;
using System.IO.Compression;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Mmar;

public class MmarLocatorTests
{
    [Fact]
    public void OpensTheSampleFolder()
    {
        using var source = MmarLocator.Open(TestPaths.SampleMmar);

        Assert.Equal(MmarSourceKind.Folder, source.Kind);
        Assert.Equal(string.Empty, source.RootPrefix);
        Assert.Contains("config/environment.json", source.Files);
        Assert.True(source.FileExists("models/model.ts"));
    }

    [Fact]
    public void FindsTheSingleMmarInsideAFolder()
    {
        using var temp = new TempDirectory();
        temp.CopySample("downloads/clara_pt_x_1");

        using var source = MmarLocator.Open(temp.Combine("downloads"));

        Assert.Equal("clara_pt_x_1", source.RootPrefix);
        Assert.True(source.FileExists("config/config_inference.json"));
    }

    [Fact]
    public void FollowsConfigMdaiRootFolder()
    {
        using var temp = new TempDirectory();
        temp.CopySample("workspace/the_mmar");
        temp.CopySample("workspace/other_mmar");
        temp.Write("workspace/config_mdai.json", """{"type": "segmentation", "root_folder": "the_mmar", "out_classes": 3, "data_list_key": "test"}""");

        using var source = MmarLocator.Open(temp.Combine("workspace"));

        Assert.Equal("the_mmar", source.RootPrefix);
    }

    [Fact]
    public void RefusesAFolderWithTwoMmars()
    {
        using var temp = new TempDirectory();
        temp.CopySample("all/a");
        temp.CopySample("all/b");

        var ex = Assert.Throws<MdaiClaraException>(() => MmarLocator.Open(temp.Combine("all")));

        Assert.Equal(ErrorIds.MmarNotRecognized, ex.ErrorId);
        Assert.Contains("a, b", ex.Message);
    }

    [Fact]
    public void MissingPathIsObjectNotFound()
    {
        var ex = Assert.Throws<MdaiClaraException>(() => MmarLocator.Open("/nonexistent/mmar"));

        Assert.Equal(ErrorIds.MmarNotFound, ex.ErrorId);
        Assert.Equal(ErrorKind.ObjectNotFound, ex.Kind);
    }

    [Theory]
    [InlineData("bundle")]
    [InlineData("download")]
    public void AMonaiBundleIsNamedAsABundleNotAsSomethingUnknown(string open)
    {
        using var temp = new TempDirectory();
        temp.Write("download/spleen_ct_segmentation/configs/metadata.json", """{"version": "0.1.0", "monai_version": "0.9.0"}""");
        temp.Write("download/spleen_ct_segmentation/configs/inference.json", "{}");
        var path = open == "bundle" ? temp.Combine("download/spleen_ct_segmentation") : temp.Combine("download");

        var ex = Assert.Throws<MdaiClaraException>(() => MmarLocator.Open(path));

        Assert.Equal(ErrorIds.MmarIsMonaiBundle, ex.ErrorId);
        Assert.Contains("MONAI bundle", ex.Message, StringComparison.Ordinal);
        Assert.Contains("later version", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not an MMAR", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AZippedMonaiBundleIsNamedAsABundle()
    {
        using var temp = new TempDirectory();
        temp.Write("b/spleen/configs/metadata.json", "{}");
        temp.Write("b/spleen/models/model.ts", "x");
        var zip = temp.Combine("bundle.zip");
        ZipFile.CreateFromDirectory(temp.Combine("b"), zip);

        var ex = Assert.Throws<MdaiClaraException>(() => MmarLocator.Open(zip));

        Assert.Equal(ErrorIds.MmarIsMonaiBundle, ex.ErrorId);
    }

    [Fact]
    public void AFolderWithoutConfigIsNotAnMmar()
    {
        using var temp = new TempDirectory();
        temp.Write("empty/readme.txt", "hello");

        var ex = Assert.Throws<MdaiClaraException>(() => MmarLocator.Open(temp.Combine("empty")));

        Assert.Equal(ErrorIds.MmarNotRecognized, ex.ErrorId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("clara_pt_phantom_1/")]
    public void OpensZipsWithOrWithoutATopFolder(string prefix)
    {
        using var temp = new TempDirectory();
        var zip = temp.Zip(TestPaths.SampleMmar, "mmar.zip", prefix);

        using var source = MmarLocator.Open(zip);

        Assert.Equal(MmarSourceKind.Zip, source.Kind);
        Assert.Equal(prefix.TrimEnd('/'), source.RootPrefix);
        Assert.True(source.FileExists("models/model.ts"));
        Assert.Equal(new FileInfo(Path.Combine(TestPaths.SampleMmar, "models/model.ts")).Length, source.GetLength("models/model.ts"));
        Assert.EndsWith("!/" + prefix + "models/model.ts", source.DisplayPath("models/model.ts"));
    }

    [Theory]
    [InlineData("../evil.sh")]
    [InlineData("mmar/../../evil.sh")]
    [InlineData("/etc/evil")]
    [InlineData("C:/Windows/evil.dll")]
    [InlineData("..\\evil.dll")]
    public void RejectsZipsWithEntriesThatEscape(string entryName)
    {
        using var temp = new TempDirectory();
        var zipPath = temp.Zip(TestPaths.SampleMmar, "slip.zip");
        using (var zip = ZipFile.Open(zipPath, ZipArchiveMode.Update))
        {
            using var writer = new StreamWriter(zip.CreateEntry(entryName).Open());
            writer.Write("boom");
        }

        var ex = Assert.Throws<MdaiClaraException>(() => MmarLocator.Open(zipPath));

        Assert.Equal(ErrorIds.MmarZipEntryEscapesRoot, ex.ErrorId);
        Assert.Equal(ErrorKind.SecurityError, ex.Kind);
        Assert.Contains(entryName, ex.Message);
        Assert.False(File.Exists(temp.Combine("evil.sh")));
    }

    [Fact]
    public void CorruptZipIsInvalidData()
    {
        using var temp = new TempDirectory();
        var zipPath = temp.Zip(TestPaths.SampleMmar, "mmar.zip");
        var bytes = File.ReadAllBytes(zipPath);
        File.WriteAllBytes(zipPath, bytes[..(bytes.Length / 2)]);

        var ex = Assert.Throws<MdaiClaraException>(() => MmarLocator.Open(zipPath));

        Assert.Equal(ErrorIds.MmarZipCorrupt, ex.ErrorId);
        Assert.Equal(ErrorKind.InvalidData, ex.Kind);
    }

    [Fact]
    public void AFileThatIsNotAZipIsNotAnMmar()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("notes.txt", "not a zip");

        var ex = Assert.Throws<MdaiClaraException>(() => MmarLocator.Open(path));

        Assert.Equal(ErrorIds.MmarNotRecognized, ex.ErrorId);
        Assert.Equal(ErrorKind.InvalidData, ex.Kind);
        Assert.Contains("not a zip archive", ex.Message);
    }
}
