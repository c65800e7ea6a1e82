using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Spatial;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace MdaiClara.Engine.Tests.Inference.Spatial;

/// <summary>
/// Orientation against the golden cases of MONAI 1.3.2 (unit/orientation); every 0.8.1 case is identical_to_1.3.2
/// (monai-0.8.1/unit/index.json), so the 0.8.1 run is compared with the same outputs.
/// </summary>
[Collection(TorchCollection.Name)]
public class OrientationGoldenTests
{
    private readonly ITestOutputHelper _output;

    public OrientationGoldenTests(ITestOutputHelper output)
    {
        _output = output;
        TorchRuntime.EnsureLoaded();
    }

    public static IEnumerable<object[]> Cases => new[] { "lps_to_ras", "pli_to_ras", "oblique_to_ras", "ras_to_lps", "asl_to_ras" }
        .SelectMany(name => new[] { new object[] { name, MonaiSemantics.Monai1x }, new object[] { name, MonaiSemantics.Monai08 } });

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheReference(string name, MonaiSemantics semantics)
    {
        var golden = semantics == MonaiSemantics.Monai08 ? SpatialGoldenCase.Monai081("orientation", name) : SpatialGoldenCase.Monai132("orientation", name);
        if (semantics == MonaiSemantics.Monai08)
        {
            Assert.Equal("identical_to_1.3.2", SpatialGoldenCase.Monai081Status("orientation", name));
        }

        using var scope = torch.NewDisposeScope();
        var input = golden.ReadInput();
        var axcodes = golden.TransformArgs.GetProperty("axcodes").GetString();

        var plan = OrientationTransform.Plan(golden.InputAffine, input.shape.Skip(1).ToArray(), axcodes, false, semantics);
        var output = OrientationTransform.Apply(input, plan);

        Assert.Equal(golden.OutputSpatialShape, plan.OutputShape);
        var affineDiff = plan.OutputAffine.MaxAbsDifference(golden.OutputAffine);
        Assert.True(affineDiff <= 1e-3, $"output affine differs by {affineDiff} mm: {plan.OutputAffine} vs {golden.OutputAffine}");
        var reference = golden.ReadOutput();

        // A pure flip/permute: the values must be the very same.
        var diff = SpatialGoldenCase.AssertClose(reference, output, 0, golden.Folder);
        _output.WriteLine($"{semantics} {name}: max abs diff {diff:G3}, affine diff {affineDiff:G3}");
    }
}
