using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Spatial;
using TorchSharp;
using Xunit;

namespace MdaiClara.Engine.Tests.Inference.Spatial;

/// <summary>How Orientation reads axis codes and affines (nibabel semantics as MONAI uses them).</summary>
[Collection(TorchCollection.Name)]
public class OrientationPlanTests
{
    private static readonly Affine Lps = new(new double[] { -0.8, 0, 0, 30, 0, -0.9, 0, 20, 0, 0, 2.5, -10, 0, 0, 0, 1 });

    public OrientationPlanTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void LpsToRasFlipsTheFirstTwoAxesAndMovesTheOrigin()
    {
        var plan = OrientationTransform.Plan(Lps, new long[] { 10, 13, 8 }, "RAS", false, MonaiSemantics.Monai08);

        Assert.Equal(new[] { 0, 1, 2 }, plan.Permutation);
        Assert.Equal(new[] { true, true, false }, plan.Flip);
        Assert.Equal(new long[] { 10, 13, 8 }, plan.OutputShape);

        // The flipped axis of n voxels starts at the world position of its last voxel: 30 − 0.8·9, 20 − 0.9·12.
        Assert.Equal(22.8, plan.OutputAffine[0, 3], 12);
        Assert.Equal(9.2, plan.OutputAffine[1, 3], 12);
        Assert.Equal(0.8, plan.OutputAffine[0, 0], 12);
    }

    [Fact]
    public void ClosestCanonicalIsRasForAxisAlignedData()
    {
        var plan = OrientationTransform.Plan(Lps, new long[] { 10, 13, 8 }, null, true, MonaiSemantics.Monai1x);

        Assert.Equal("RAS", AxisCodes.Of(plan.OutputAffine));
    }

    [Fact]
    public void ClosestCanonicalPermutesAxesToRas()
    {
        // i runs along S, j along R, k along P: the canonical output takes j, then k (flipped), then i.
        var psl = Affine.FromColumns(new[] { 0.0, 0, 2 }, new[] { 1.0, 0, 0 }, new[] { 0.0, -1.5, 0 }, new[] { 0.0, 0, 0 });

        var plan = OrientationTransform.Plan(psl, new long[] { 4, 5, 6 }, null, true, MonaiSemantics.Monai08);

        Assert.Equal(new[] { 1, 2, 0 }, plan.Permutation);
        Assert.Equal(new[] { false, true, false }, plan.Flip);
        Assert.Equal(new long[] { 5, 6, 4 }, plan.OutputShape);
        Assert.Equal("RAS", AxisCodes.Of(plan.OutputAffine));
    }

    [Fact]
    public void ApplyMovesTheValuesAsTheAffineSays()
    {
        using var scope = torch.NewDisposeScope();
        var psl = Affine.FromColumns(new[] { 0.0, 0, 2 }, new[] { 1.0, 0, 0 }, new[] { 0.0, -1.5, 0 }, new[] { 3.0, 4, 5 });
        var input = torch.arange(4 * 5 * 6, dtype: torch.ScalarType.Float32).reshape(1, 4, 5, 6);
        var plan = OrientationTransform.Plan(psl, new long[] { 4, 5, 6 }, "RAS", false, MonaiSemantics.Monai1x);

        var output = OrientationTransform.Apply(input, plan);

        // Every output voxel holds the input voxel at the same world position.
        var inverse = psl.Inverse();
        for (var n = 0; n < 20; n++)
        {
            long a = n % 5, b = (n * 7) % 6, c = (n * 3) % 4;
            var world = plan.OutputAffine.Transform(a, b, c);
            var source = inverse.Transform(world[0], world[1], world[2]).Select(v => (long)System.Math.Round(v)).ToArray();
            Assert.Equal(input[0, source[0], source[1], source[2]].item<float>(), output[0, a, b, c].item<float>());
        }
    }

    [Fact]
    public void KeepsTheDtype()
    {
        using var scope = torch.NewDisposeScope();
        var labels = torch.ones(new long[] { 1, 3, 4, 5 }, torch.ScalarType.Byte);
        var plan = OrientationTransform.Plan(Lps, new long[] { 3, 4, 5 }, "RAS", false, MonaiSemantics.Monai08);

        Assert.Equal(torch.ScalarType.Byte, OrientationTransform.Apply(labels, plan).dtype);
    }

    [Fact]
    public void ANoOpReorientationStillReturnsItsOwnTensor()
    {
        using var scope = torch.NewDisposeScope();
        var input = torch.zeros(1, 2, 3, 4);
        var plan = OrientationTransform.Plan(Affine.Identity, new long[] { 2, 3, 4 }, "RAS", false, MonaiSemantics.Monai1x);

        var output = OrientationTransform.Apply(input, plan);
        output.add_(1);

        Assert.Equal(0, input.sum().item<float>());
    }

    [Fact]
    public void CodesLongerThanTheRankAreCut()
    {
        var affine2d = new Affine(new double[] { -0.5, 0, 0, 10, 0, 0.7, 0, 3, 0, 0, 1, 0, 0, 0, 0, 1 });

        var plan = OrientationTransform.Plan(affine2d, new long[] { 6, 7 }, "RAS", false, MonaiSemantics.Monai08);

        Assert.Equal(new[] { true, false }, plan.Flip);
        Assert.Equal(0.5, plan.OutputAffine[0, 0], 12);
        Assert.Equal(10 - (0.5 * 5), plan.OutputAffine[0, 3], 12);
        Assert.Equal(1, plan.OutputAffine[2, 2]);
    }

    [Theory]
    [InlineData("RA", "fewer codes")]
    [InlineData("RAX", "'X'")]
    [InlineData("ras", "'r'")]
    [InlineData("RRS", "more than once")]
    [InlineData("", "missing")]
    public void RefusesBadAxisCodes(string axcodes, string expected)
    {
        var ex = Assert.Throws<MdaiClaraException>(() => OrientationTransform.Plan(Lps, new long[] { 2, 3, 4 }, axcodes, false, MonaiSemantics.Monai08));

        Assert.Equal(ErrorIds.TransformArgumentInvalid, ex.ErrorId);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Refuses2dCodesNamingAnAxisTheImageDoesNotHave()
    {
        var affine2d = new Affine(new double[] { 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1 });

        var ex = Assert.Throws<MdaiClaraException>(() => OrientationTransform.Plan(affine2d, new long[] { 2, 3 }, "RS", false, MonaiSemantics.Monai1x));

        Assert.Contains("cannot be reoriented", ex.Message);
    }

    [Fact]
    public void RefusesASingularAffine()
    {
        var flat = Affine.FromColumns(new[] { 1.0, 0, 0 }, new[] { 1.0, 0, 0 }, new[] { 0.0, 0, 1 }, new[] { 0.0, 0, 0 });

        var ex = Assert.Throws<MdaiClaraException>(() => OrientationTransform.Plan(flat, new long[] { 2, 3, 4 }, "RAS", false, MonaiSemantics.Monai1x));

        Assert.Equal(ErrorIds.TransformInputInvalid, ex.ErrorId);
    }

    [Fact]
    public void RefusesAnImageOfAnotherShape()
    {
        using var scope = torch.NewDisposeScope();
        var plan = OrientationTransform.Plan(Lps, new long[] { 2, 3, 4 }, "RAS", false, MonaiSemantics.Monai08);

        var ex = Assert.Throws<MdaiClaraException>(() => OrientationTransform.Apply(torch.zeros(1, 2, 3, 5), plan));

        Assert.Equal(ErrorIds.TransformInputInvalid, ex.ErrorId);
    }
}
