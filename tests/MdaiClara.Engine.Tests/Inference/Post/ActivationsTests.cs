using System.Collections.Generic;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Transforms;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace MdaiClara.Engine.Tests.Inference.Post;

[Collection(TorchCollection.Name)]
public class ActivationsTests
{
    private const string Group = "activations";
    private readonly ITestOutputHelper _output;

    public ActivationsTests(ITestOutputHelper output)
    {
        _output = output;
        TorchRuntime.EnsureLoaded();
    }

    public static IEnumerable<object[]> Monai132Cases => GoldenUnitCases.Names(GoldenUnitCases.Monai132Index, Group);

    public static IEnumerable<object[]> Monai081Cases => GoldenUnitCases.Names(GoldenUnitCases.Monai081Index, Group);

    [Theory]
    [MemberData(nameof(Monai132Cases))]
    public void MatchesMonai132(string name) => AssertMatches(GoldenUnitCases.Monai132(Group, name), "1.3.2");

    [Theory]
    [MemberData(nameof(Monai081Cases))]
    public void MatchesMonai081(string name) => AssertMatches(GoldenUnitCases.Monai081(Group, name), "0.8.1");

    [Fact]
    public void SoftmaxRunsOverTheChannelAxis()
    {
        using var scope = torch.NewDisposeScope();
        var logits = torch.tensor(new float[] { 0, 1, 2, 0, 1, 2 }).reshape(2, 3);

        var probabilities = PostTransforms.Activations(logits, sigmoid: false, softmax: true);

        Assert.Equal(new float[] { 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f }, probabilities.data<float>().ToArray());
    }

    [Fact]
    public void BothActivationsAreRefused()
    {
        using var scope = torch.NewDisposeScope();
        var ex = Assert.Throws<MdaiClaraException>(() => PostTransforms.Activations(torch.zeros(2, 2), sigmoid: true, softmax: true));

        Assert.Equal(ErrorIds.TransformArgumentInvalid, ex.ErrorId);
    }

    [Fact]
    public void NeitherActivationGivesAFloat32Copy()
    {
        using var scope = torch.NewDisposeScope();
        var logits = torch.tensor(new float[] { -1, 3 });

        var copy = PostTransforms.Activations(logits, sigmoid: false, softmax: false);
        copy.fill_(0);

        Assert.Equal(new float[] { -1, 3 }, logits.data<float>().ToArray());
    }

    private void AssertMatches(GoldenUnitCase golden, string version)
    {
        using var scope = torch.NewDisposeScope();

        var actual = PostTransforms.Activations(golden.Input(), golden.Args.Flag("sigmoid"), golden.Args.Flag("softmax"));

        var expected = golden.Output();
        var difference = GoldenUnitCases.MaxAbsDifference(actual, expected);
        var tolerance = GoldenUnitCases.IntensityTolerance(expected);
        _output.WriteLine($"{version} {Group}/{golden.Name}: max abs diff {difference:G3} (tolerance {tolerance:G3})");
        Assert.Equal(torch.ScalarType.Float32, actual.dtype);
        Assert.InRange(difference, 0, tolerance);
    }
}
