using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Spatial;
using MdaiClara.Engine.Tests.TestSupport;
using TorchSharp;
using Xunit;

namespace MdaiClara.Engine.Tests.Inference.Spatial;

/// <summary>
/// One golden Spacing/Orientation case (args.json of unit/&lt;group&gt;/&lt;case&gt;/ or monai-0.8.1/unit/…) with its input,
/// reference output and recorded geometry, and the MANIFEST's comparison rules.
/// </summary>
internal sealed class SpatialGoldenCase
{
    private SpatialGoldenCase(string folder, JsonElement args)
    {
        Folder = folder;
        Args = args;
    }

    /// <summary>The case folder, relative to the golden root (e.g. "unit/spacing/bilinear_down").</summary>
    public string Folder { get; }

    /// <summary>The whole args.json.</summary>
    public JsonElement Args { get; }

    public JsonElement TransformArgs => Args.GetProperty("args");

    /// <summary>The input .npy, relative to the golden root: next to the 1.3.2 case, or args.json input_file for 0.8.1.</summary>
    public string InputFile => Args.TryGetProperty("input_file", out var file) ? file.GetString()! : Folder + "/input.npy";

    public string OutputFile => Folder + "/output.npy";

    public Affine InputAffine => ReadAffine(Args.GetProperty("input_affine"));

    public Affine OutputAffine => ReadAffine(Args.GetProperty("output_affine"));

    /// <summary>The recorded output shape without the channel axis.</summary>
    public long[] OutputSpatialShape => Args.GetProperty("output_shape").EnumerateArray().Skip(1).Select(e => e.GetInt64()).ToArray();

    /// <summary>A 1.3.2 case: unit/&lt;group&gt;/&lt;case&gt;.</summary>
    public static SpatialGoldenCase Monai132(string group, string name) => Load($"unit/{group}/{name}");

    /// <summary>
    /// A case as MONAI 0.8.1 ran it, from monai-0.8.1/unit/index.json: its own folder when the output differs from
    /// 1.3.2 or the case is new, else the 1.3.2 folder.
    /// </summary>
    public static SpatialGoldenCase Monai081(string group, string name)
    {
        var entry = Monai081Entry(group, name);
        return Load(entry.GetProperty("path").GetString()!);
    }

    /// <summary>The index.json status of a 0.8.1 case ("identical_to_1.3.2", "differs", "new", …).</summary>
    public static string Monai081Status(string group, string name) => Monai081Entry(group, name).GetProperty("status").GetString()!;

    public torch.Tensor ReadInput() => Npy.ReadTensor(TestPaths.Golden(InputFile));

    public Npy.NpyArray ReadOutput() => Npy.Read(TestPaths.Golden(OutputFile));

    /// <summary>Spacing mode from args (MONAI's default bilinear).</summary>
    public Interpolation Mode => TransformArgs.TryGetProperty("mode", out var mode) ? ParseMode(mode.GetString()!) : Interpolation.Bilinear;

    public bool AlignCorners => TransformArgs.TryGetProperty("align_corners", out var value) && value.GetBoolean();

    public GridPaddingMode Padding => TransformArgs.TryGetProperty("padding_mode", out var value)
        ? Enum.Parse<GridPaddingMode>(value.GetString()!, ignoreCase: true)
        : GridPaddingMode.Border;

    /// <summary>pixdim as MONAI's ensure_tuple sees it: a scalar is a one-element pixdim.</summary>
    public double[] Pixdim
    {
        get
        {
            var pixdim = TransformArgs.GetProperty("pixdim");
            return pixdim.ValueKind == JsonValueKind.Array ? pixdim.EnumerateArray().Select(e => e.GetDouble()).ToArray() : new[] { pixdim.GetDouble() };
        }
    }

    /// <summary>The MANIFEST tolerance for Spacing/Orientation outputs: 0 for nearest, else 1e-4 + 1e-5·max|ref|.</summary>
    public static double Tolerance(Npy.NpyArray reference, bool exact) => exact ? 0 : 1e-4 + (1e-5 * reference.Values.Max(Math.Abs));

    /// <summary>Asserts shape equality and returns the max abs difference (after asserting it is within <paramref name="tolerance"/>).</summary>
    public static double AssertClose(Npy.NpyArray reference, torch.Tensor actual, double tolerance, string what)
    {
        Assert.Equal(reference.Shape, actual.shape);
        Assert.Equal(torch.ScalarType.Float32, actual.dtype);
        var values = actual.cpu().contiguous().data<float>().ToArray();
        var max = 0.0;
        for (var n = 0; n < values.Length; n++)
        {
            max = Math.Max(max, Math.Abs(values[n] - reference.Values[n]));
        }

        Assert.True(max <= tolerance, $"{what}: max abs diff {max:G4} exceeds the tolerance {tolerance:G4}");
        return max;
    }

    public static Affine ReadAffine(JsonElement rows) =>
        new(rows.EnumerateArray().SelectMany(r => r.EnumerateArray().Select(e => e.GetDouble())).ToArray());

    private static Interpolation ParseMode(string mode) => mode switch
    {
        "bilinear" => Interpolation.Bilinear,
        "nearest" => Interpolation.Nearest,
        _ => throw new InvalidDataException($"unexpected mode {mode}"),
    };

    private static SpatialGoldenCase Load(string folder)
    {
        var args = JsonDocument.Parse(File.ReadAllText(TestPaths.Golden(folder + "/args.json"))).RootElement.Clone();
        return new SpatialGoldenCase(folder, args);
    }

    private static JsonElement Monai081Entry(string group, string name)
    {
        var index = JsonDocument.Parse(File.ReadAllText(TestPaths.Golden("monai-0.8.1/unit/index.json"))).RootElement;
        return index.EnumerateArray().Single(e => e.GetProperty("group").GetString() == group && e.GetProperty("case").GetString() == name).Clone();
    }
}
