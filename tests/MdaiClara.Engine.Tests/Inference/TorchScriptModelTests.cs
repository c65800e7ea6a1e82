using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Tests.TestSupport;
using TorchSharp;
using Xunit;

namespace MdaiClara.Engine.Tests.Inference;

[Collection(TorchCollection.Name)]
public class TorchScriptModelTests
{
    [Theory]
    [InlineData("ones")]
    [InlineData("ramp")]
    public void RunsTheConv3dFixtureOnTheCpuAsPyTorchDid(string caseName)
    {
        var expected = JsonDocument.Parse(File.ReadAllText(TestPaths.TorchScriptFixture("conv3d_1to2.expected.json"))).RootElement.GetProperty("cases").GetProperty(caseName);
        using var model = TorchScriptModel.Load(TestPaths.TorchScriptFixture("conv3d_1to2.ts"), DeviceSpec.Cpu);
        using var scope = torch.NewDisposeScope();
        using var mode = torch.inference_mode();
        var input = caseName == "ones"
            ? torch.ones(new long[] { 1, 1, 4, 4, 4 })
            : torch.arange(64, dtype: torch.ScalarType.Float32).reshape(1, 1, 4, 4, 4) / 64;

        var output = model.Forward(input);

        Assert.Equal(expected.GetProperty("output_shape").EnumerateArray().Select(e => e.GetInt64()), output.shape);
        var actual = output.data<float>().ToArray();
        var reference = expected.GetProperty("output_c_order").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.Equal(reference.Length, actual.Length);
        Assert.All(Enumerable.Range(0, actual.Length), i => Assert.InRange(Math.Abs(actual[i] - reference[i]), 0, 1e-5));
        Assert.Equal("cpu", model.Device.ToString());
    }

    [Fact]
    public void RunsTheClassifierFixtureFromBytes()
    {
        var expected = JsonDocument.Parse(File.ReadAllText(TestPaths.TorchScriptFixture("cls2d_3class.expected.json"))).RootElement.GetProperty("cases").GetProperty("ones");
        var bytes = File.ReadAllBytes(TestPaths.TorchScriptFixture("cls2d_3class.ts"));
        using var model = TorchScriptModel.Load(bytes, "cls2d_3class.ts", DeviceSpec.Auto);
        using var scope = torch.NewDisposeScope();

        var logits = model.Forward(torch.ones(new long[] { 1, 1, 32, 32 })).data<float>().ToArray();

        var reference = expected.GetProperty("logits").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.Equal(3, logits.Length);
        Assert.All(Enumerable.Range(0, 3), i => Assert.InRange(Math.Abs(logits[i] - reference[i]), 0, 1e-5));
    }

    [Fact]
    public void APickleIsRefusedWithAClearError()
    {
        var ex = Assert.Throws<MdaiClaraException>(() => TorchScriptModel.Load(TestPaths.TorchScriptFixture("checkpoint_state_dict.pt"), DeviceSpec.Cpu));

        Assert.Equal(ErrorIds.TorchScriptLoadFailed, ex.ErrorId);
        Assert.Contains("checkpoint_state_dict.pt", ex.Message);
    }

    [Fact]
    public void AWrongInputShapeIsAForwardError()
    {
        using var model = TorchScriptModel.Load(TestPaths.TorchScriptFixture("conv3d_1to2.ts"), DeviceSpec.Cpu);
        using var scope = torch.NewDisposeScope();

        var ex = Assert.Throws<MdaiClaraException>(() => model.Forward(torch.ones(new long[] { 1, 3, 4, 4, 4 })));

        Assert.Equal(ErrorIds.TorchScriptForwardFailed, ex.ErrorId);
        Assert.Contains("[1, 3, 4, 4, 4]", ex.Message);
    }

    [Fact]
    public void CudaOnACpuOnlyBuildSaysWhy()
    {
        // The test project builds with the CPU libtorch, which never has CUDA.
        Assert.Equal("cpu", BuildInfo.TorchBackend);

        var ex = Assert.Throws<MdaiClaraException>(() => TorchRuntime.ResolveDevice(DeviceSpec.Parse("Cuda")));

        Assert.Equal(ErrorIds.CudaUnavailable, ex.ErrorId);
        Assert.Equal(ErrorKind.ResourceUnavailable, ex.Kind);
        Assert.Contains("CPU-only libtorch", ex.Message);
        Assert.Contains("Run on the CPU", ex.Message);
        Assert.DoesNotContain("-Device", ex.Message); // the cmdlet adds the remedy naming its parameter
    }

    [Fact]
    public void AutoFallsBackToTheCpuWithoutCuda()
    {
        var device = TorchRuntime.ResolveDevice(DeviceSpec.Auto);

        Assert.Equal(torch.cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU, device.type);
        Assert.True(TorchRuntime.IsLoaded);
        Assert.Contains("libtorch", TorchRuntime.LoadReport);
    }
}
