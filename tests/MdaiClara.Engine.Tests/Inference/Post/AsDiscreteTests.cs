using System.Collections.Generic;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Transforms;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace MdaiClara.Engine.Tests.Inference.Post;

[Collection(TorchCollection.Name)]
public class AsDiscreteTests
{
    private const string Group = "as_discrete";
    private readonly ITestOutputHelper _output;

    public AsDiscreteTests(ITestOutputHelper output)
    {
        _output = output;
        TorchRuntime.EnsureLoaded();
    }

    public static IEnumerable<object[]> Monai132Cases => GoldenUnitCases.Names(GoldenUnitCases.Monai132Index, Group);

    public static IEnumerable<object[]> Monai081Cases => GoldenUnitCases.Names(GoldenUnitCases.Monai081Index, Group);

    [Theory]
    [MemberData(nameof(Monai132Cases))]
    public void MatchesMonai132(string name) => AssertIdentical(GoldenUnitCases.Monai132(Group, name), "1.3.2");

    [Theory]
    [MemberData(nameof(Monai081Cases))]
    public void MatchesMonai081(string name) => AssertIdentical(GoldenUnitCases.Monai081(Group, name), "0.8.1");

    [Fact]
    public void ArgmaxTiesGoToTheFirstChannel()
    {
        using var scope = torch.NewDisposeScope();
        var scores = torch.tensor(new float[] { 1, 5, 3, 1, 5, 7 }).reshape(2, 3);

        var labels = PostTransforms.AsDiscrete(scores, argmax: true, null, null, null);

        Assert.Equal(new long[] { 1, 3 }, labels.shape);
        Assert.Equal(new float[] { 0, 0, 1 }, labels.data<float>().ToArray());
    }

    [Fact]
    public void MonaiDocstringExamples()
    {
        using var scope = torch.NewDisposeScope();
        var twoChannels = torch.tensor(new float[] { 0, 1, 2, 3 }).reshape(2, 1, 2);

        Assert.Equal(new float[] { 1, 1 }, PostTransforms.AsDiscrete(twoChannels, true, null, null, null).data<float>().ToArray());
        Assert.Equal(new float[] { 0, 0, 1, 1 }, PostTransforms.AsDiscrete(torch.tensor(new float[] { 0, 0.5f, 0.8f, 3 }).reshape(1, 2, 2), false, null, 0.6, null).data<float>().ToArray());
        Assert.Equal(new float[] { 0, 0, 1, 1 }, PostTransforms.AsDiscrete(twoChannels, true, 2, 0.5, null).data<float>().ToArray());
    }

    [Fact]
    public void RoundingIsHalfToEven()
    {
        using var scope = torch.NewDisposeScope();
        var values = torch.tensor(new float[] { 0.5f, 1.5f, 2.5f, -0.5f, 2.6f });

        var rounded = PostTransforms.AsDiscrete(values, false, null, null, PostTransforms.TorchRounding);

        Assert.Equal(new float[] { 0, 2, 2, -0f, 3 }, rounded.data<float>().ToArray());
    }

    [Fact]
    public void OneHotRefusesLabelsOutsideTheClasses()
    {
        using var scope = torch.NewDisposeScope();
        var ex = Assert.Throws<MdaiClaraException>(() => PostTransforms.AsDiscrete(torch.tensor(new float[] { 0, 3 }).reshape(1, 2), false, 3, null, null));

        Assert.Equal(ErrorIds.TransformInputInvalid, ex.ErrorId);
        Assert.Contains("label 3", ex.Message);
    }

    [Fact]
    public void UnknownRoundingIsRefused()
    {
        using var scope = torch.NewDisposeScope();
        var ex = Assert.Throws<MdaiClaraException>(() => PostTransforms.AsDiscrete(torch.zeros(1, 2), false, null, null, "floor"));

        Assert.Equal(ErrorIds.TransformArgumentInvalid, ex.ErrorId);
        Assert.Contains("torchrounding", ex.Message);
    }

    private void AssertIdentical(GoldenUnitCase golden, string version)
    {
        using var scope = torch.NewDisposeScope();
        var args = golden.Args;

        var actual = PostTransforms.AsDiscrete(golden.Input(), args.Flag("argmax"), args.Integer("to_onehot"), args.Number("threshold"), args.TryGetProperty("rounding", out var rounding) ? rounding.GetString() : null);

        var difference = GoldenUnitCases.MaxAbsDifference(actual, golden.Output());
        _output.WriteLine($"{version} {Group}/{golden.Name}: max abs diff {difference:G3} (must be identical)");
        Assert.Equal(torch.ScalarType.Float32, actual.dtype);
        Assert.Equal(0, difference);
    }
}
