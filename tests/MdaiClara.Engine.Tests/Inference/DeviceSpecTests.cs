using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference;
using Xunit;

namespace MdaiClara.Engine.Tests.Inference;

public class DeviceSpecTests
{
    [Theory]
    [InlineData("Auto", DeviceKind.Auto, null)]
    [InlineData("cpu", DeviceKind.Cpu, null)]
    [InlineData("CUDA", DeviceKind.Cuda, null)]
    [InlineData("cuda:1", DeviceKind.Cuda, 1)]
    [InlineData("Cuda:0", DeviceKind.Cuda, 0)]
    [InlineData(null, DeviceKind.Auto, null)]
    public void ParsesTheDeviceForms(string? text, DeviceKind kind, int? index)
    {
        var spec = DeviceSpec.Parse(text);

        Assert.Equal(kind, spec.Kind);
        Assert.Equal(index, spec.Index);
    }

    [Theory]
    [InlineData("tpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:x")]
    public void RejectsOtherTextWithAClearError(string text)
    {
        var ex = Assert.Throws<MdaiClaraException>(() => DeviceSpec.Parse(text));

        Assert.Equal(ErrorIds.DeviceInvalid, ex.ErrorId);
        Assert.Contains("Auto, Cpu, Cuda or Cuda:N", ex.Message);
    }
}
