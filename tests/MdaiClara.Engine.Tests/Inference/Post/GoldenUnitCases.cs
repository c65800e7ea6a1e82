using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using MdaiClara.Engine.Tests.TestSupport;
using TorchSharp;
using Xunit;

namespace MdaiClara.Engine.Tests.Inference.Post;

/// <summary>One single-transform golden case: the MONAI arguments, the input and the reference output (or why there is none).</summary>
internal sealed record GoldenUnitCase(string Group, string Name, string Status, JsonElement Args, string? InputPath, string? OutputPath, string? Reason)
{
    public bool NotExpressible => Status == "not_expressible_in_0.8.1";

    public torch.Tensor Input() => Npy.ReadTensor(InputPath ?? throw new InvalidOperationException($"{Group}/{Name} has no input"));

    public torch.Tensor Output() => Npy.ReadTensor(OutputPath ?? throw new InvalidOperationException($"{Group}/{Name} has no output"));
}

/// <summary>
/// The unit cases of the golden set (tests/fixtures/golden): MONAI 1.3.2's <c>unit/index.json</c> and MONAI 0.8.1's
/// <c>monai-0.8.1/unit/index.json</c>, whose entries are identical to 1.3.2 (files under <c>unit/</c>), differ or are
/// new (files under <c>monai-0.8.1/unit/</c>, input named by <c>input_file</c>), or cannot be expressed in 0.8.1.
/// </summary>
internal static class GoldenUnitCases
{
    public const string Monai132Index = "unit/index.json";
    public const string Monai081Index = "monai-0.8.1/unit/index.json";

    /// <summary>The case names of a group in an index, as xunit theory rows.</summary>
    public static IEnumerable<object[]> Names(string index, string group) =>
        Entries(index).Where(e => e.GetProperty("group").GetString() == group).Select(e => new object[] { e.GetProperty("case").GetString()! });

    public static GoldenUnitCase Monai132(string group, string name)
    {
        var folder = $"unit/{group}/{name}";
        var args = ReadJson(folder + "/args.json");
        return new GoldenUnitCase(group, name, "monai_1_3_2", args.GetProperty("args").Clone(), TestPaths.Golden(folder + "/input.npy"), TestPaths.Golden(folder + "/output.npy"), null);
    }

    public static GoldenUnitCase Monai081(string group, string name)
    {
        var entry = Entries(Monai081Index).Single(e => e.GetProperty("group").GetString() == group && e.GetProperty("case").GetString() == name);
        var status = entry.GetProperty("status").GetString()!;
        switch (status)
        {
            case "identical_to_1.3.2":
                return Monai132(group, name) with { Status = status };
            case "not_expressible_in_0.8.1":
                return new GoldenUnitCase(group, name, status, default, null, null, entry.GetProperty("reason").GetString());
            default:
                var folder = entry.GetProperty("path").GetString()!;
                var args = ReadJson(folder + "/args.json");
                var input = args.TryGetProperty("input_file", out var inputFile) ? TestPaths.Golden(inputFile.GetString()!) : null;
                return new GoldenUnitCase(group, name, status, args.GetProperty("args").Clone(), input, TestPaths.Golden(folder + "/output.npy"), null);
        }
    }

    public static JsonElement ReadJson(string relative) =>
        JsonDocument.Parse(File.ReadAllText(TestPaths.Golden(relative))).RootElement.Clone();

    /// <summary>Max |a − b| over all elements (shapes must agree).</summary>
    public static double MaxAbsDifference(torch.Tensor actual, torch.Tensor expected)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var scope = torch.NewDisposeScope();
        var difference = (actual.cpu().to_type(torch.ScalarType.Float64) - expected.cpu().to_type(torch.ScalarType.Float64)).abs();
        return difference.numel() == 0 ? 0 : difference.max().item<double>();
    }

    /// <summary>The MANIFEST tolerance for intensity outputs: 1e-4 + 1e-5 × max|ref|.</summary>
    public static double IntensityTolerance(torch.Tensor expected)
    {
        using var scope = torch.NewDisposeScope();
        return 1e-4 + 1e-5 * expected.abs().max().item<float>();
    }

    public static bool Flag(this JsonElement args, string name) =>
        args.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    public static double? Number(this JsonElement args, string name) =>
        args.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    public static int? Integer(this JsonElement args, string name) =>
        args.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;

    public static double[]? Numbers(this JsonElement args, string name) =>
        !args.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(v => v.GetDouble()).ToArray()
        : new[] { value.GetDouble() };

    private static IEnumerable<JsonElement> Entries(string index) => ReadJson(index).EnumerateArray();
}
