using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Metrics;
using MdaiClara.Engine.Tests.TestSupport;

namespace MdaiClara.Engine.Tests.Metrics;

/// <summary>Reads the metric parity cases (tests/fixtures/metrics, made by make_metric_cases.py) and the golden metric pairs.</summary>
internal static class MetricCases
{
    public static string Folder => Path.Combine(TestPaths.Fixtures, "metrics", "cases");

    public static readonly SegmentationClass[] Classes = { new(1, "organ"), new(2, "lesion") };

    public static IEnumerable<object[]> Names() =>
        Directory.GetDirectories(Folder).Select(d => new object[] { Path.GetFileName(d) }).OrderBy(n => (string)n[0]);

    /// <summary>A C-order .npy label map (axis 0 = i) as a uint8 Volume in NIfTI order, with a diagonal affine.</summary>
    public static Volume LabelVolume(string path, IReadOnlyList<double> spacing)
    {
        var array = Npy.Read(path);
        var shape = array.Shape.Length == 2 ? new[] { array.Shape[0], array.Shape[1], 1L } : array.Shape;
        long nx = shape[0], ny = shape[1], nz = shape[2];
        var voxels = new byte[nx * ny * nz];
        for (long i = 0; i < nx; i++)
        {
            for (long j = 0; j < ny; j++)
            {
                for (long k = 0; k < nz; k++)
                {
                    voxels[i + (nx * (j + (ny * k)))] = (byte)array.Values[(((i * ny) + j) * nz) + k];
                }
            }
        }

        var affine = Affine.Diagonal(spacing[0], spacing[1], spacing.Count > 2 ? spacing[2] : 1.0);
        return new Volume(voxels, shape, affine, path) { SpatialRank = array.Shape.Length == 2 ? 2 : 3 };
    }

    /// <summary>A number written by the script: a JSON number, or "NaN" / "Infinity" / "-Infinity", or null (MONAI's NaN/inf in the golden set).</summary>
    public static double Number(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.String => e.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var s => throw new FormatException($"'{s}' is not a number"),
        },
        _ => double.NaN,
    };

    public static double[] Numbers(JsonElement e) => e.EnumerateArray().Select(Number).ToArray();

    public static JsonElement Json(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    /// <summary>Equal within <paramref name="tolerance"/>, or both NaN, or the same infinity.</summary>
    public static bool Close(double expected, double actual, double tolerance) =>
        double.IsNaN(expected) ? double.IsNaN(actual)
        : double.IsInfinity(expected) ? expected == actual
        : Math.Abs(expected - actual) <= tolerance;
}
