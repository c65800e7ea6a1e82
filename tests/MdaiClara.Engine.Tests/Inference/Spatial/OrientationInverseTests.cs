using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Spatial;
using TorchSharp;
using Xunit;

namespace MdaiClara.Engine.Tests.Inference.Spatial;

/// <summary>Orientation's inverse (Invertd): Invert(Apply(x)) is x, and it equals reorienting back to the original axis codes as MONAI does.</summary>
[Collection(TorchCollection.Name)]
public class OrientationInverseTests
{
    public OrientationInverseTests() => TorchRuntime.EnsureLoaded();

    public static IEnumerable<object[]> GoldenCases => new[] { "lps_to_ras", "pli_to_ras", "oblique_to_ras", "ras_to_lps", "asl_to_ras" }.Select(name => new object[] { name });

    /// <summary>All 48 axis-code targets (every permutation of the three world axes with every direction).</summary>
    public static IEnumerable<object[]> AllAxisCodes
    {
        get
        {
            var pairs = new[] { "LR", "PA", "IS" };
            foreach (var order in new[] { new[] { 0, 1, 2 }, new[] { 0, 2, 1 }, new[] { 1, 0, 2 }, new[] { 1, 2, 0 }, new[] { 2, 0, 1 }, new[] { 2, 1, 0 } })
            {
                for (var signs = 0; signs < 8; signs++)
                {
                    yield return new object[] { string.Concat(order.Select((axis, n) => pairs[axis][(signs >> n) & 1])) };
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void InvertUndoesApplyOnTheGoldenCases(string name)
    {
        var golden = SpatialGoldenCase.Monai132("orientation", name);
        using var scope = torch.NewDisposeScope();
        var input = golden.ReadInput();
        var plan = OrientationTransform.Plan(golden.InputAffine, input.shape.Skip(1).ToArray(), golden.TransformArgs.GetProperty("axcodes").GetString(), false, MonaiSemantics.Monai1x);

        AssertRoundTrip(input, plan);
        AssertInverseIsReorientationBack(input, golden.InputAffine, plan);
    }

    [Theory]
    [MemberData(nameof(AllAxisCodes))]
    public void InvertUndoesApplyForEveryTarget(string axcodes)
    {
        using var scope = torch.NewDisposeScope();
        var input = torch.arange(2 * 4 * 5 * 6, dtype: torch.ScalarType.Float32).reshape(2, 4, 5, 6);
        var oblique = Affine.FromColumns(new[] { -0.7, 0.1, 0.05 }, new[] { 0.0, 0.2, -0.9 }, new[] { 0.3, 2.4, 0.1 }, new[] { 10.0, -5.0, 3.0 });

        var plan = OrientationTransform.Plan(oblique, new long[] { 4, 5, 6 }, axcodes, false, MonaiSemantics.Monai08);

        Assert.Equal(axcodes, AxisCodes.Of(plan.OutputAffine));
        AssertRoundTrip(input, plan);
        AssertInverseIsReorientationBack(input, oblique, plan);
    }

    [Theory]
    [InlineData("RA")]
    [InlineData("LP")]
    [InlineData("AR")]
    [InlineData("PL")]
    [InlineData("RAS")]
    public void InvertUndoesApplyOn2dImages(string axcodes)
    {
        using var scope = torch.NewDisposeScope();
        var input = torch.arange(3 * 7 * 5, dtype: torch.ScalarType.Float32).reshape(3, 7, 5);
        var affine = new Affine(new double[] { 0, -0.8, 0, 12, -1.1, 0, 0, 40, 0, 0, 1, 0, 0, 0, 0, 1 });

        var plan = OrientationTransform.Plan(affine, new long[] { 7, 5 }, axcodes, false, MonaiSemantics.Monai1x);

        Assert.Equal(1, plan.OutputAffine[2, 2]);
        Assert.Equal(0, plan.OutputAffine[2, 3]);
        AssertRoundTrip(input, plan);
    }

    private static void AssertRoundTrip(torch.Tensor input, OrientationPlan plan)
    {
        var reoriented = OrientationTransform.Apply(input, plan);
        Assert.Equal(new[] { input.shape[0] }.Concat(plan.OutputShape), reoriented.shape);

        var restored = OrientationTransform.Invert(reoriented, plan);

        Assert.Equal(input.shape, restored.shape);
        Assert.True(Same(input, restored), "Invert(Apply(x)) differs from x");
    }

    /// <summary>MONAI's Orientationd.inverse reorients to aff2axcodes(original affine); that must give the same data and the original affine.</summary>
    private static void AssertInverseIsReorientationBack(torch.Tensor input, Affine original, OrientationPlan plan)
    {
        var reoriented = OrientationTransform.Apply(input, plan);
        var back = OrientationTransform.Plan(plan.OutputAffine, plan.OutputShape, AxisCodes.Of(original), false, MonaiSemantics.Monai08);

        Assert.True(back.OutputAffine.MaxAbsDifference(original) < 1e-9, $"{back.OutputAffine} vs {original}");
        Assert.Equal(plan.InputShape, back.OutputShape);
        Assert.True(Same(OrientationTransform.Apply(reoriented, back), OrientationTransform.Invert(reoriented, plan)));
    }

    /// <summary>Same shape, dtype and values.</summary>
    private static bool Same(torch.Tensor a, torch.Tensor b) => a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
