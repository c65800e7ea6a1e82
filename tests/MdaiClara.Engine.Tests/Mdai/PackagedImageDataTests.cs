using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Mdai.Packaging;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Mdai;

/// <summary>Publishing's check of the written zip: image data passes only where an include pattern names it.</summary>
public class PackagedImageDataTests
{
    private static string WriteZip(TempDirectory temp, params (string Name, byte[] Bytes)[] entries)
    {
        var path = temp.Combine("package.zip");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, bytes) in entries)
        {
            using var stream = zip.CreateEntry(name).Open();
            stream.Write(bytes);
        }

        return path;
    }

    [Fact]
    public void ImageDataNoIncludePatternNamesIsFoundByNameOrByContent()
    {
        using var temp = new TempDirectory();
        var zip = WriteZip(
            temp,
            ("model/.mdai/config.yaml", Encoding.UTF8.GetBytes("base_image: nvidia\n")),
            ("model/workspace/config/environment.json", "{}"u8.ToArray()),
            ("model/workspace/resources/atlas.nii.gz", ClutteredMmar.Gzip(ClutteredMmar.NiftiBytes())),
            ("model/workspace/resources/lut.bin", ClutteredMmar.DicomBytes()),
            ("model/workspace/docs/sample.dcm", "not really DICOM"u8.ToArray()),
            ("model/workspace/models/model.ts", "PK\u0003\u0004"u8.ToArray()));

        using var archive = ZipFile.OpenRead(zip);
        var found = PackagedImageData.Unnamed(archive, "model/workspace/", []);

        Assert.Equal(
            new[] { "model/workspace/docs/sample.dcm", "model/workspace/resources/atlas.nii.gz", "model/workspace/resources/lut.bin" },
            found.Select(f => f.Entry));
        Assert.Equal("model/workspace/resources/lut.bin is a Dicom image (the DICM marker at byte 128)", found[2].ToString());

        var named = PackagedImageData.Unnamed(archive, "model/workspace/", ["resources/*", "docs/SAMPLE.dcm"]);
        Assert.Empty(named);

        // Patterns are relative to the MMAR root, wherever the layout puts it.
        Assert.Equal(3, PackagedImageData.Unnamed(archive, "model/workspace/mmar/", ["resources/*", "docs/sample.dcm"]).Count);
    }

    [Fact]
    public void APackageOfTheClutteredMmarCarriesNoImageData()
    {
        using var temp = new TempDirectory();
        var package = MdaiPackageBuilder.Build(MmarAnalyzer.Open(ClutteredMmar.Write(temp)), temp.Combine("p.zip"), new MdaiPackageOptions());

        using var archive = ZipFile.OpenRead(package.Path);
        Assert.Empty(PackagedImageData.Unnamed(archive, "model/workspace/", []));
    }
}
