using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Transforms;
using MdaiClara.Engine.Tests.TestSupport;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace MdaiClara.Engine.Tests.Inference.Post;

[Collection(TorchCollection.Name)]
public class KeepLargestConnectedComponentTests
{
    private const string Group = "keep_largest_cc";
    private readonly ITestOutputHelper _output;

    public KeepLargestConnectedComponentTests(ITestOutputHelper output)
    {
        _output = output;
        TorchRuntime.EnsureLoaded();
    }

    public static IEnumerable<object[]> Monai132Cases => GoldenUnitCases.Names(GoldenUnitCases.Monai132Index, Group);

    public static IEnumerable<object[]> Monai081Cases => GoldenUnitCases.Names(GoldenUnitCases.Monai081Index, Group);

    [Theory]
    [MemberData(nameof(Monai132Cases))]
    public void MatchesMonai132(string name) => AssertIdentical(GoldenUnitCases.Monai132(Group, name), MonaiSemantics.Monai1x);

    [Theory]
    [MemberData(nameof(Monai081Cases))]
    public void MatchesMonai081(string name) => AssertIdentical(GoldenUnitCases.Monai081(Group, name), MonaiSemantics.Monai08);

    [Fact]
    public void TiesGoToTheLastComponentIn1x()
    {
        // The 0.8.1 case also records what MONAI 1.3.2 gave for the same input (the other of two equal components).
        var golden = GoldenUnitCases.Monai081(Group, "tie_equal_components");
        using var scope = torch.NewDisposeScope();
        var expected = Npy.ReadTensor(TestPaths.Golden("monai-0.8.1/unit/keep_largest_cc/tie_equal_components/output_monai132.npy"));

        var actual = Run(golden.Input(), golden.Args, MonaiSemantics.Monai1x);

        Assert.Equal(0, GoldenUnitCases.MaxAbsDifference(actual, expected));
        Assert.NotEqual(0, GoldenUnitCases.MaxAbsDifference(actual, golden.Output()));
    }

    [Theory]
    [InlineData(MonaiSemantics.Monai08)]
    [InlineData(MonaiSemantics.Monai1x)]
    public void MatchesTheSegmentationPipeline(MonaiSemantics semantics)
    {
        // seg_ras_noresample: KeepLargestConnectedComponentd(applied_labels=[1]) after argmax removed voxels; 0.8.1 gave the same.
        using var scope = torch.NewDisposeScope();
        var labels = Npy.ReadTensor(TestPaths.Golden("pipelines/seg_ras_noresample/post_01_AsDiscreted.npy"), torch.ScalarType.Byte);
        var expected = Npy.ReadTensor(TestPaths.Golden("pipelines/seg_ras_noresample/post_02_KeepLargestConnectedComponentd.npy"), torch.ScalarType.Byte);

        var actual = PostTransforms.KeepLargestConnectedComponent(labels, new[] { 1 }, null, true, null, null, semantics);

        Assert.Equal(torch.ScalarType.Byte, actual.dtype);
        Assert.NotEqual(0, GoldenUnitCases.MaxAbsDifference(labels, expected));
        Assert.Equal(0, GoldenUnitCases.MaxAbsDifference(actual, expected));
    }

    [Theory]
    [InlineData(false, 1, new[] { 0, 0, 1, 0, 0, 0, 2, 1, 1, 1, 1, 2, 1, 0, 0, 1, 2, 0, 0, 0, 2, 2, 0, 0, 0 })]
    [InlineData(true, 1, new[] { 0, 0, 1, 0, 0, 0, 2, 1, 1, 1, 0, 2, 1, 0, 0, 0, 2, 0, 0, 0, 2, 2, 0, 0, 0 })]
    [InlineData(false, 2, new[] { 0, 0, 1, 0, 0, 0, 2, 1, 1, 1, 1, 2, 1, 0, 0, 1, 2, 0, 1, 0, 2, 2, 0, 0, 2 })]
    public void MonaiDocstringExamples(bool independent, int connectivity, int[] expected)
    {
        // KeepLargestConnectedComponent's docstring grid, applied_labels [1, 2].
        using var scope = torch.NewDisposeScope();
        var grid = torch.tensor(new[] { 0, 0, 1, 0, 0, 0, 2, 1, 1, 1, 1, 2, 1, 0, 0, 1, 2, 0, 1, 0, 2, 2, 0, 0, 2 }).reshape(1, 5, 5);

        foreach (var semantics in new[] { MonaiSemantics.Monai08, MonaiSemantics.Monai1x })
        {
            var actual = PostTransforms.KeepLargestConnectedComponent(grid, new[] { 1, 2 }, null, independent, connectivity, null, semantics);

            Assert.Equal(expected, actual.data<int>().ToArray());
        }
    }

    [Fact]
    public void NumComponentsKeepsTheLargestFew()
    {
        using var scope = torch.NewDisposeScope();
        var line = torch.tensor(new float[] { 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1 }).reshape(1, 1, 11);

        var actual = PostTransforms.KeepLargestConnectedComponent(line, new[] { 1 }, null, true, null, 2, MonaiSemantics.Monai1x);

        // Sizes 1, 2, 3, 2: the 3 and, of the two 2s, the later one.
        Assert.Equal(new float[] { 0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 1 }, actual.data<float>().ToArray());
    }

    [Fact]
    public void Monai1xDefaultsToEveryLabel()
    {
        using var scope = torch.NewDisposeScope();
        var labels = torch.tensor(new float[] { 1, 0, 1, 1, 0, 2, 0, 2, 2, 2 }).reshape(1, 1, 10);

        var actual = PostTransforms.KeepLargestConnectedComponent(labels, null, null, true, null, null, MonaiSemantics.Monai1x);

        Assert.Equal(new float[] { 0, 0, 1, 1, 0, 0, 0, 2, 2, 2 }, actual.data<float>().ToArray());
    }

    [Fact]
    public void Monai08NeedsAppliedLabelsAndKnowsNoNumComponents()
    {
        using var scope = torch.NewDisposeScope();
        var labels = torch.zeros(1, 4, 4);

        var missing = Assert.Throws<MdaiClaraException>(() => PostTransforms.KeepLargestConnectedComponent(labels, null, null, true, null, null, MonaiSemantics.Monai08));
        var unknown = Assert.Throws<MdaiClaraException>(() => PostTransforms.KeepLargestConnectedComponent(labels, new[] { 1 }, null, true, null, 2, MonaiSemantics.Monai08));

        Assert.Contains("applied_labels", missing.Message);
        Assert.Contains("num_components", unknown.Message);
        Assert.Equal(ErrorIds.TransformArgumentInvalid, unknown.ErrorId);
    }

    [Fact]
    public void ConnectivityBeyondTheRankIsRefused()
    {
        using var scope = torch.NewDisposeScope();
        var ex = Assert.Throws<MdaiClaraException>(() => PostTransforms.KeepLargestConnectedComponent(torch.zeros(1, 4, 4), new[] { 1 }, null, true, 3, null, MonaiSemantics.Monai1x));

        Assert.Contains("connectivity", ex.Message);
    }

    [Fact]
    public void LabelsAComponentMapInSkimageOrder()
    {
        // Two diagonal-touching blobs and a later one: full connectivity joins the first two.
        var mask = new byte[]
        {
            0, 1, 1, 0, 0,
            0, 0, 0, 1, 0,
            1, 0, 0, 0, 0,
            1, 0, 0, 1, 1,
        };

        var faces = ConnectedComponentLabeling.Label(mask, new long[] { 4, 5 }, 1);
        var full = ConnectedComponentLabeling.Label(mask, new long[] { 4, 5 }, 2);

        Assert.Equal(new long[] { 0, 2, 1, 2, 2 }, faces.Sizes);
        Assert.Equal(new long[] { 0, 3, 2, 2 }, full.Sizes);
    }

    [Fact]
    public void ARandomBlobMapOf256x256x128Finishes()
    {
        // Sanity only (no timing): many components of all sizes through the whole path; timings belong in the bench.
        using var scope = torch.NewDisposeScope();
        var generator = new torch.Generator(7);
        var noise = torch.rand(new long[] { 1, 1, 64, 64, 32 }, generator: generator);
        var smooth = torch.nn.functional.interpolate(noise, new long[] { 256, 256, 128 }, mode: torch.InterpolationMode.Trilinear, align_corners: false)[0];
        var labels = (smooth > 0.6f).to_type(torch.ScalarType.Byte) + (smooth > 0.75f).to_type(torch.ScalarType.Byte);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var kept = PostTransforms.KeepLargestConnectedComponent(labels, new[] { 1, 2 }, null, true, 1, null, MonaiSemantics.Monai1x);
        _output.WriteLine($"256x256x128 blobs, two labels: {watch.ElapsedMilliseconds} ms");

        var before = labels.count_nonzero().item<long>();
        var after = kept.count_nonzero().item<long>();
        Assert.InRange(after, 1, before - 1);
        Assert.Equal(0, (kept.logical_and(kept != labels)).count_nonzero().item<long>());
    }

    [Fact]
    public void ArgsortOrderMatchesNumpy()
    {
        // NumPy is the reference peer: many equal keys on both sides of the insertion-sort threshold.
        var random = new Random(3);
        var arrays = new[] { 1, 2, 5, 16, 17, 18, 40, 100, 333 }
            .SelectMany(length => new[] { 2, 5, 1000 }.Select(range => Enumerable.Range(0, length).Select(_ => (long)random.Next(range)).ToArray()))
            .ToArray();
        const string script = "import sys, json, numpy as np\nprint(json.dumps([np.argsort(np.array(a, dtype=np.int64)).tolist() for a in json.loads(sys.argv[1])]))";

        var expected = JsonSerializer.Deserialize<int[][]>(PythonPeer.Run(script, JsonSerializer.Serialize(arrays)))!;

        Assert.Equal(arrays.Length, expected.Length);
        for (var i = 0; i < arrays.Length; i++)
        {
            Assert.Equal(expected[i], NumpyArgsort.Order(arrays[i]));
        }
    }

    private static torch.Tensor Run(torch.Tensor input, JsonElement args, MonaiSemantics semantics)
    {
        var applied = args.Numbers("applied_labels")?.Select(l => (int)l).ToArray();
        bool? onehot = args.TryGetProperty("is_onehot", out var value) && value.ValueKind != JsonValueKind.Null ? value.GetBoolean() : null;
        var independent = !args.TryGetProperty("independent", out var independentValue) || independentValue.GetBoolean();
        return PostTransforms.KeepLargestConnectedComponent(input, applied, onehot, independent, args.Integer("connectivity"), args.Integer("num_components"), semantics);
    }

    private void AssertIdentical(GoldenUnitCase golden, MonaiSemantics semantics)
    {
        using var scope = torch.NewDisposeScope();
        var input = golden.Input();

        var actual = Run(input, golden.Args, semantics);

        var difference = GoldenUnitCases.MaxAbsDifference(actual, golden.Output());
        var removed = (input != golden.Output()).count_nonzero().item<long>();
        _output.WriteLine($"{semantics} {Group}/{golden.Name} ({golden.Status}): max abs diff {difference:G3} (must be identical; MONAI removed {removed} voxels)");
        Assert.Equal(0, difference);
    }
}
