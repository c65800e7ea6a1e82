using System.IO;
using System.IO.Compression;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Mmar;

public class ModelFileInspectorTests
{
    [Theory]
    [InlineData("conv3d_1to2.ts", ModelFileFormat.TorchScript)]
    [InlineData("cls2d_3class.ts", ModelFileFormat.TorchScript)]
    [InlineData("checkpoint_state_dict.pt", ModelFileFormat.PickleZip)]
    [InlineData("checkpoint_legacy.pt", ModelFileFormat.PickleLegacy)]
    public void TellsTorchScriptFromPickles(string fixture, ModelFileFormat expected)
    {
        using var stream = File.OpenRead(TestPaths.TorchScriptFixture(fixture));

        var result = ModelFileInspector.Inspect(stream, fixture);

        Assert.Equal(expected, result.Format);
    }

    [Fact]
    public void TheSampleModelIsTorchScriptWithAVersion()
    {
        using var stream = File.OpenRead(Path.Combine(TestPaths.SampleMmar, "models/model.ts"));

        var result = ModelFileInspector.Inspect(stream, "model.ts");

        Assert.Equal(ModelFileFormat.TorchScript, result.Format);
        Assert.False(string.IsNullOrEmpty(result.FormatVersion));
        Assert.NotNull(result.ArchiveName);
    }

    [Fact]
    public void TruncatedTorchScriptIsNotAModel()
    {
        var bytes = File.ReadAllBytes(TestPaths.TorchScriptFixture("conv3d_1to2.ts"));

        var result = ModelFileInspector.Inspect(new MemoryStream(bytes[..(bytes.Length * 2 / 3)]), "model.ts");

        Assert.Equal(ModelFileFormat.NotAModel, result.Format);
        Assert.Contains("truncated", result.Detail);
    }

    [Fact]
    public void AnArbitraryZipIsNotTorchScript()
    {
        var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var w = new StreamWriter(zip.CreateEntry("archive/readme.txt").Open());
            w.Write("hello");
        }

        buffer.Position = 0;
        var result = ModelFileInspector.Inspect(buffer, "model.ts");

        Assert.Equal(ModelFileFormat.OtherZip, result.Format);
        Assert.Contains("data.pkl", result.Detail);
    }

    [Theory]
    [InlineData(new byte[0], "empty")]
    [InlineData(new byte[] { 1, 2, 3, 4, 5 }, "not a zip")]
    public void EmptyAndGarbageAreNotModels(byte[] bytes, string detail)
    {
        var result = ModelFileInspector.Inspect(new MemoryStream(bytes), "model.ts");

        Assert.Equal(ModelFileFormat.NotAModel, result.Format);
        Assert.Contains(detail, result.Detail);
    }

    [Fact]
    public void TensorFlowFilesAreNamedAsSuch()
    {
        var result = ModelFileInspector.Inspect(new MemoryStream(new byte[] { 8, 1, 2 }), "models/model.trt.pb");

        Assert.Equal(ModelFileFormat.TensorFlow, result.Format);
    }
}
