using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Nifti;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Inference.Pipeline;

/// <summary>
/// Issue 8: a 2-D NIfTI stays 2-D (nibabel and MONAI give (x, y)) when read and when written; a 2-D picture given to a
/// 3-D model is named and refused when loaded; a missing input says it does not exist.
/// </summary>
[Collection(TorchCollection.Name)]
public class InputShapeTests
{
    private static readonly string TwoD = Path.Combine(TestPaths.Fixtures, "nifti", "cases", "two_d.nii");

    public InputShapeTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void A2DNiftiIsReadAsXYAndWrittenWithDim0Of2()
    {
        using var temp = new TempDirectory();
        var volume = NiftiReader.Read(TwoD);

        Assert.Equal(2, volume.SpatialRank);
        Assert.Equal(new long[] { 6, 5, 1 }, volume.Shape);
        using (var item = ImageLoader.FromVolume(volume, "two_d", TorchSharp.torch.CPU))
        {
            Assert.Equal(new long[] { 6, 5 }, item.Data.shape);
            Assert.Equal(2, item.SpatialRank);
        }

        var written = temp.Combine("two_d_copy.nii");
        NiftiWriter.Write(volume, written);
        var header = File.ReadAllBytes(written);
        Assert.Equal(2, BinaryPrimitives.ReadInt16LittleEndian(header.AsSpan(40)));
        var again = NiftiReader.Read(written);
        Assert.Equal(2, again.SpatialRank);
        Assert.Equal(volume.GetVoxels<float>(), again.GetVoxels<float>());
    }

    [Fact]
    public void A3DNiftiStillWritesDim0Of3()
    {
        using var temp = new TempDirectory();
        var volume = NiftiReader.Read(Path.Combine(TestPaths.Fixtures, "nifti", "cases", "dtype_int16.nii"));
        var written = temp.Combine("copy.nii");

        NiftiWriter.Write(volume, written);

        Assert.Equal(3, volume.SpatialRank);
        Assert.Equal(3, BinaryPrimitives.ReadInt16LittleEndian(File.ReadAllBytes(written).AsSpan(40)));
    }

    [Fact]
    public void A2DNiftiRunsThroughA2DModelWithResized()
    {
        // The golden chest X-ray classifier (LoadImaged, EnsureChannelFirstd, ScaleIntensityd, Resized 256×256): a 2-D
        // NIfTI read as (x, y, 1) failed in Resized.
        using var cache = new ModelSessionCache();
        using var temp = new TempDirectory();
        var root = temp.Combine("cls");
        Directory.CreateDirectory(Path.Combine(root, "config"));
        Directory.CreateDirectory(Path.Combine(root, "models"));
        File.Copy(TestPaths.Golden("pipelines/cls_png8/config_inference.json"), Path.Combine(root, "config", "config_inference.json"));
        File.Copy(TestPaths.Golden("models/cls2d/model.ts"), Path.Combine(root, "models", "model.ts"));
        File.WriteAllText(Path.Combine(root, "config", "environment.json"), "{\"MMAR_TORCHSCRIPT\": \"models/model.ts\", \"DATASET_JSON\": \"config/dataset.json\", \"DATA_ROOT\": \".\"}");
        using var session = ClaraInferenceSession.Create(MmarAnalyzer.Open(root), new InferenceSessionOptions(DeviceSpec.Cpu), cache);

        var result = session.Run(InputSource.FromFile(TwoD, "two_d"), null, false, null, default);

        Assert.Equal("classification", result.Task);
        Assert.Equal(new long[] { 6, 5 }, result.Shape);
        Assert.Equal(new long[] { 1, 256, 256 }, result.ModelInputShape);
    }

    [Fact]
    public void APictureGivenToA3DModelIsNamedAndRefusedWhenLoaded()
    {
        using var cache = new ModelSessionCache();
        using var temp = new TempDirectory();
        var png = temp.Combine("chest.png");
        File.WriteAllBytes(png, PngBuilder.Grey8(40, 30).ToBytes());
        using var session = ClaraInferenceSession.Create(MmarAnalyzer.Open(TestPaths.SampleMmar), new InferenceSessionOptions(DeviceSpec.Cpu), cache);

        var ex = Assert.Throws<MdaiClaraException>(() => session.Run(InputSource.FromFile(png, "chest"), null, false, null, default));

        Assert.Equal(ErrorIds.InputRankMismatch, ex.ErrorId);
        Assert.StartsWith($"{png} is a 2-D image (40×30), but this model needs a 3-D volume", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gone.png", ErrorIds.InputNotFound)]
    [InlineData("gone.dcm", ErrorIds.InputNotFound)]
    [InlineData("gone.nii.gz", ErrorIds.NiftiNotFound)]
    public void AMissingInputSaysItDoesNotExist(string name, string errorId)
    {
        using var temp = new TempDirectory();
        var path = temp.Combine(name);

        var ex = Assert.Throws<MdaiClaraException>(() => ImageLoader.Load(InputSource.FromFile(path, "gone"), TorchSharp.torch.CPU, default, null));

        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(ErrorKind.ObjectNotFound, ex.Kind);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.NotEqual(ErrorIds.DicomNoImages, ex.ErrorId);
    }
}
