using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace MdaiClara.Engine.Tests.Mdai.Annotations;

/// <summary>
/// tests/fixtures/annotations/contour_cases.json (make_contour_cases.py): masks with holes, islands in holes, one-pixel
/// parts and touching diagonals, with MD.ai's convert_mask_data contours of each and what they draw back to in OpenCV.
/// </summary>
internal static class ContourCases
{
    public sealed record Case(string Name, int Width, int Height, byte[] Mask, List<(int X, int Y)[]> MdaiForeground, List<(int X, int Y)[]> MdaiBackground, byte[] MdaiRoundTrip, int MdaiLostPixels);

    public static IReadOnlyList<Case> All { get; } = Load();

    private static List<Case> Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RasterisationCases.Folder, "contour_cases.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c =>
        {
            var (w, h) = (c.GetProperty("width").GetInt32(), c.GetProperty("height").GetInt32());
            var mdai = c.GetProperty("mdai");
            return new Case(
                c.GetProperty("name").GetString()!,
                w,
                h,
                RasterisationCases.Decode(c.GetProperty("mask"), w * h),
                Polygons(mdai.GetProperty("foreground")),
                Polygons(mdai.GetProperty("background")),
                RasterisationCases.Decode(c.GetProperty("mdaiRoundTrip"), w * h),
                c.GetProperty("mdaiLostPixels").GetInt32());
        }).ToList();
    }

    private static List<(int X, int Y)[]> Polygons(JsonElement list) =>
        list.EnumerateArray().Select(p => p.EnumerateArray().Select(v => (v[0].GetInt32(), v[1].GetInt32())).ToArray()).ToList();
}
