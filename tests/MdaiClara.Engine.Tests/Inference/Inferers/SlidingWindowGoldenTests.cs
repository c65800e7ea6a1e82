using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Inferers;
using MdaiClara.Engine.Tests.TestSupport;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace MdaiClara.Engine.Tests.Inference.Inferers;

/// <summary>
/// The golden sliding-window cases (MONAI's sliding_window_inference with the fixed-convolution TorchScript models):
/// MONAI 1.3.2 cases under <see cref="MonaiSemantics.Monai1x"/>, MONAI 0.8.1 cases under
/// <see cref="MonaiSemantics.Monai08"/>. MANIFEST tolerance: max abs diff ≤ 1e-5 · max|ref|.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class SlidingWindowGoldenTests
{
    private const double RelativeTolerance = 1e-5;

    private readonly ITestOutputHelper _output;

    public SlidingWindowGoldenTests(ITestOutputHelper output)
    {
        _output = output;
        TorchRuntime.EnsureLoaded();
    }

    public static TheoryData<string> Monai132Cases => new()
    {
        "constant_ov0", "constant_ov025", "constant_ov05_bs3", "gaussian_ov025", "gaussian_ov05", "gaussian_ov075",
        "roi_larger_constant", "roi_larger_gaussian", "gaussian_2d_ov05",
    };

    public static TheoryData<string> Monai081Cases => new()
    {
        "constant_ov0", "constant_ov025", "constant_ov05_bs3", "gaussian_ov025", "gaussian_ov05", "gaussian_ov075",
        "roi_larger_constant", "roi_larger_gaussian", "gaussian_2d_ov05", "gaussian_odd_roi", "gaussian_mixed_roi",
        "gaussian_2d_odd_roi",
    };

    [Theory]
    [MemberData(nameof(Monai132Cases))]
    public void MatchesMonai132(string caseName)
    {
        var folder = $"unit/sliding_window/{caseName}";
        var args = ReadJson($"{folder}/args.json");

        var diff = RunAndCompare(args, $"{folder}/input.npy", $"{folder}/output.npy", MonaiSemantics.Monai1x);

        _output.WriteLine($"1.3.2 {caseName}: max abs diff {diff.MaxAbs:E3}, max|ref| {diff.MaxRef:F4}, limit {RelativeTolerance * diff.MaxRef:E3}");
        Assert.InRange(diff.MaxAbs, 0, RelativeTolerance * diff.MaxRef);
    }

    [Theory]
    [MemberData(nameof(Monai081Cases))]
    public void MatchesMonai081(string caseName)
    {
        var entry = ReadJson("monai-0.8.1/unit/index.json").EnumerateArray()
            .Single(c => c.GetProperty("group").GetString() == "sliding_window" && c.GetProperty("case").GetString() == caseName);
        var status = entry.GetProperty("status").GetString();
        var folder = entry.GetProperty("path").GetString()!;
        var args = ReadJson($"{folder}/args.json");
        var input = status switch
        {
            "identical_to_1.3.2" => $"{folder}/input.npy",
            "differs" or "new" => args.GetProperty("input_file").GetString()!,
            _ => throw new InvalidDataException($"{caseName}: unexpected status {status}"),
        };

        var diff = RunAndCompare(args, input, $"{folder}/output.npy", MonaiSemantics.Monai08);

        _output.WriteLine($"0.8.1 {caseName} ({status}): max abs diff {diff.MaxAbs:E3}, max|ref| {diff.MaxRef:F4}, limit {RelativeTolerance * diff.MaxRef:E3}");
        Assert.InRange(diff.MaxAbs, 0, RelativeTolerance * diff.MaxRef);
    }

    [Fact]
    public void TheTwoSemanticsDifferOnAGaussianCase()
    {
        // Guards the tests above against passing with one importance map for both versions.
        var args = ReadJson("unit/sliding_window/gaussian_ov05/args.json");

        var diff = RunAndCompare(args, "unit/sliding_window/gaussian_ov05/input.npy", "unit/sliding_window/gaussian_ov05/output.npy", MonaiSemantics.Monai08);

        Assert.True(diff.MaxAbs > 0.1, $"0.8.1 semantics reproduced the 1.3.2 gaussian output (max abs diff {diff.MaxAbs})");
    }

    internal static SlidingWindowOptions OptionsFrom(JsonElement args)
    {
        var given = args.GetProperty("args");
        var defaults = args.GetProperty("defaults_used");
        JsonElement Argument(string name) => given.TryGetProperty(name, out var value) ? value : defaults.GetProperty(name);
        double[] Doubles(JsonElement value) => value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(v => v.GetDouble()).ToArray()
            : new[] { value.GetDouble() };

        return new SlidingWindowOptions(
            Argument("roi_size").EnumerateArray().Select(v => v.GetInt64()).ToArray(),
            Argument("sw_batch_size").GetInt32(),
            Doubles(Argument("overlap")),
            Argument("mode").GetString() == "gaussian" ? BlendMode.Gaussian : BlendMode.Constant,
            Doubles(Argument("sigma_scale")),
            Argument("padding_mode").GetString()!,
            Argument("cval").GetDouble());
    }

    private static (double MaxAbs, double MaxRef) RunAndCompare(JsonElement args, string inputFile, string outputFile, MonaiSemantics semantics)
    {
        using var model = TorchScriptModel.Load(TestPaths.Golden(args.GetProperty("model").GetString()!), DeviceSpec.Cpu);
        using var inferer = new SlidingWindowInferer(OptionsFrom(args), semantics);
        using var scope = torch.NewDisposeScope();
        var input = Npy.ReadTensor(TestPaths.Golden(inputFile));
        var expected = Npy.ReadTensor(TestPaths.Golden(outputFile));

        var actual = inferer.Infer(input, model.Forward);

        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(torch.ScalarType.Float32, actual.dtype);
        return ((actual - expected).abs().max().item<float>(), expected.abs().max().item<float>());
    }

    private static JsonElement ReadJson(string relative) => JsonDocument.Parse(File.ReadAllText(TestPaths.Golden(relative))).RootElement;
}
