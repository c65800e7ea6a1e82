using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using MdaiClara.Engine.Mdai.Annotations;
using MdaiClara.Engine.Mdai.Annotations.Raster;
using MdaiClara.Engine.Tests.TestSupport;

namespace MdaiClara.Engine.Tests.Mdai.Annotations;

/// <summary>
/// The committed cases of tests/fixtures/annotations/rasterisation_cases.json: MD.ai annotation data and the mask
/// Debian's OpenCV 4.6 drew of it the way mdai-client-py does (make_rasterisation_cases.py beside it).
/// </summary>
internal static class RasterisationCases
{
    public sealed record Case(string Name, int Width, int Height, MdaiAnnotationMode Mode, MdaiAnnotationData Data, byte[] Expected);

    public static string Folder => Path.Combine(TestPaths.Fixtures, "annotations");

    public static IReadOnlyList<Case> All { get; } = Load();

    private static List<Case> Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, "rasterisation_cases.json")));
        var cases = new List<Case>();
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var width = c.GetProperty("width").GetInt32();
            var height = c.GetProperty("height").GetInt32();
            var mode = c.GetProperty("mode").GetString() switch
            {
                "mask" => MdaiAnnotationMode.Mask,
                "polygon" => MdaiAnnotationMode.Polygon,
                "freeform" => MdaiAnnotationMode.Freeform,
                "bbox" => MdaiAnnotationMode.Bbox,
                "location" => MdaiAnnotationMode.Location,
                "line" => MdaiAnnotationMode.Line,
                var other => throw new InvalidDataException(other),
            };
            var data = c.GetProperty("data");
            MdaiAnnotationData parsed = mode switch
            {
                MdaiAnnotationMode.Mask => new MdaiMaskData(Polygons(data, "foreground"), Polygons(data, "background")),
                MdaiAnnotationMode.Bbox => new MdaiBoxData(data.GetProperty("x").GetDouble(), data.GetProperty("y").GetDouble(), data.GetProperty("width").GetDouble(), data.GetProperty("height").GetDouble()),
                MdaiAnnotationMode.Location => new MdaiLocationData(data.GetProperty("x").GetDouble(), data.GetProperty("y").GetDouble()),
                _ => new MdaiVerticesData(Points(data.GetProperty("vertices"))),
            };
            cases.Add(new Case(c.GetProperty("name").GetString()!, width, height, mode, parsed, Decode(c.GetProperty("mask"), width * height)));
        }

        return cases;
    }

    public static byte[] Decode(JsonElement runs, int length)
    {
        var mask = new byte[length];
        var at = 0;
        byte value = 0;
        foreach (var run in runs.EnumerateArray())
        {
            var n = run.GetInt32();
            mask.AsSpan(at, n).Fill(value);
            at += n;
            value ^= 1;
        }

        return at == length ? mask : throw new InvalidDataException($"Runs cover {at} of {length} pixels.");
    }

    public static string Picture(byte[] mask, int width) =>
        string.Join("\n", mask.Chunk(width).Select(row => new string(row.Select(v => v != 0 ? '#' : '.').ToArray())));

    private static IReadOnlyList<IReadOnlyList<MdaiPoint>> Polygons(JsonElement data, string key) =>
        data.TryGetProperty(key, out var list) ? list.EnumerateArray().Select(p => (IReadOnlyList<MdaiPoint>)Points(p)).ToList() : [];

    private static List<MdaiPoint> Points(JsonElement list) =>
        list.EnumerateArray().Select(p => new MdaiPoint(p[0].GetDouble(), p[1].GetDouble())).ToList();
}
