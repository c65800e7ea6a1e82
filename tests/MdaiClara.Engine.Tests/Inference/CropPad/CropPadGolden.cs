using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using MdaiClara.Engine.Inference.Spatial;
using MdaiClara.Engine.Tests.TestSupport;
using TorchSharp;
using Xunit;

namespace MdaiClara.Engine.Tests.Inference;

/// <summary>Reading the crop_foreground / resize goldens and comparing with them under the MANIFEST's tolerances.</summary>
internal static class CropPadGolden
{
    /// <summary>One golden case: where its arguments, input and expected output are (paths relative to the golden root).</summary>
    public sealed record Case(string Name, JsonElement Args, string InputPath, string OutputPath, long[]? BoxStart, long[]? BoxEnd);

    /// <summary>A MONAI 1.3.2 case of unit/&lt;group&gt;/.</summary>
    public static Case Unit132(string group, string name)
    {
        var folder = $"unit/{group}/{name}";
        var json = ReadJson($"{folder}/args.json");
        return new Case(name, json.GetProperty("args"), $"{folder}/input.npy", $"{folder}/output.npy",
            OptionalLongs(json, "box_start"), OptionalLongs(json, "box_end"));
    }

    /// <summary>The MONAI 0.8.1 entry of monai-0.8.1/unit/index.json for a case.</summary>
    public static JsonElement Index081(string group, string name) =>
        ReadJson("monai-0.8.1/unit/index.json").EnumerateArray()
            .Single(e => e.GetProperty("group").GetString() == group && e.GetProperty("case").GetString() == name);

    /// <summary>The case names monai-0.8.1/unit/index.json lists for a group, with their status.</summary>
    public static IReadOnlyDictionary<string, string> Statuses081(string group) =>
        ReadJson("monai-0.8.1/unit/index.json").EnumerateArray()
            .Where(e => e.GetProperty("group").GetString() == group)
            .ToDictionary(e => e.GetProperty("case").GetString()!, e => e.GetProperty("status").GetString()!);

    /// <summary>
    /// A 0.8.1 case: "identical_to_1.3.2" compares with the 1.3.2 output (box from the index), "differs"/"new" with
    /// the 0.8.1 output, its input from args.json input_file.
    /// </summary>
    public static Case Monai081(string group, string name)
    {
        var entry = Index081(group, name);
        var status = entry.GetProperty("status").GetString();
        if (status == "identical_to_1.3.2")
        {
            var unit = Unit132(group, name);
            var diff = entry.GetProperty("diff_vs_1_3_2");
            if (diff.TryGetProperty("box_0_8_1", out var box))
            {
                return unit with { BoxStart = Longs(box[0]), BoxEnd = Longs(box[1]) };
            }

            return unit;
        }

        var folder = $"monai-0.8.1/unit/{group}/{name}";
        var json = ReadJson($"{folder}/args.json");
        return new Case(name, json.GetProperty("args"), json.GetProperty("input_file").GetString()!, $"{folder}/output.npy",
            OptionalLongs(json, "box_start"), OptionalLongs(json, "box_end"));
    }

    /// <summary>What MONAI 1.3.2 gives for a case that is new in the 0.8.1 set (recorded there as information).</summary>
    public static Case Monai132OfNew081(string group, string name)
    {
        var folder = $"monai-0.8.1/unit/{group}/{name}";
        var json = ReadJson($"{folder}/args.json");
        var recorded = json.GetProperty("monai_1_3_2");
        var output = recorded.GetProperty("file").ValueKind == JsonValueKind.String ? $"{folder}/{recorded.GetProperty("file").GetString()}" : $"{folder}/output.npy";
        return new Case(name, json.GetProperty("args"), json.GetProperty("input_file").GetString()!, output,
            Longs(recorded.GetProperty("box_start_1_3_2")), Longs(recorded.GetProperty("box_end_1_3_2")));
    }

    public static torch.Tensor Read(string relative) => Npy.ReadTensor(TestPaths.Golden(relative));

    /// <summary>An int or a list of ints as an array (a scalar gives one value).</summary>
    public static long[] IntOrList(JsonElement args, string key, long fallback) =>
        !args.TryGetProperty(key, out var value) ? new[] { fallback }
        : value.ValueKind == JsonValueKind.Array ? Longs(value)
        : new[] { value.GetInt64() };

    public static string String(JsonElement args, string key, string fallback) =>
        args.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : fallback;

    public static bool? OptionalBool(JsonElement args, string key) =>
        args.TryGetProperty(key, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    /// <summary>MONAI's mode names as the engine's <see cref="Interpolation"/>.</summary>
    public static Interpolation Mode(string name) => name switch
    {
        "nearest" => Interpolation.Nearest,
        "nearest-exact" => Interpolation.NearestExact,
        "linear" => Interpolation.Linear,
        "bilinear" => Interpolation.Bilinear,
        "bicubic" => Interpolation.Bicubic,
        "trilinear" => Interpolation.Trilinear,
        "area" => Interpolation.Area,
        _ => throw new ArgumentException($"unknown mode {name}"),
    };

    /// <summary>
    /// Asserts same shape and max |actual − expected| ≤ 1e-4 + 1e-5·max|expected| (exact when <paramref name="exact"/>);
    /// returns the max abs diff measured.
    /// </summary>
    public static double AssertClose(torch.Tensor expected, torch.Tensor actual, bool exact, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        var reference = expected.to_type(torch.ScalarType.Float64).data<double>().ToArray();
        var values = actual.cpu().to_type(torch.ScalarType.Float64).data<double>().ToArray();
        var maxRef = reference.Length == 0 ? 0 : reference.Max(Math.Abs);
        var maxDiff = 0.0;
        for (var i = 0; i < values.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(values[i] - reference[i]));
        }

        var tolerance = exact ? 0 : 1e-4 + 1e-5 * maxRef;
        Assert.True(maxDiff <= tolerance, $"{what}: max abs diff {maxDiff:G6} exceeds {tolerance:G6} (max |ref| {maxRef:G6})");
        return maxDiff;
    }

    private static JsonElement ReadJson(string relative) =>
        JsonDocument.Parse(File.ReadAllText(TestPaths.Golden(relative))).RootElement.Clone();

    private static long[] Longs(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt64()).ToArray();

    private static long[]? OptionalLongs(JsonElement json, string key) =>
        json.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Array ? Longs(value) : null;
}
