using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using MdaiClara.Engine.Mdai.Annotations.Raster;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Mdai.Annotations;

public sealed class ExactMaskContoursTests
{
    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in ContourCases.All)
        {
            data.Add(c.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Our_contours_draw_back_to_the_mask_where_MDai_s_convert_mask_data_loses_pixels(string name)
    {
        var c = ContourCases.All.Single(x => x.Name == name);

        var (foreground, background) = ExactMaskContours.FromMask(new MaskPlane(c.Width, c.Height, (byte[])c.Mask.Clone()));

        Assert.Equal(c.Mask, Draw(c.Width, c.Height, foreground, background));
        // Background polygons are traced on pixels to clear, never on mask pixels.
        Assert.DoesNotContain(background.SelectMany(p => p), v => c.Mask[(v.Y * c.Width) + v.X] != 0);
        // MD.ai's own contours, drawn by our rasteriser, give what OpenCV gave them: the loss is theirs, not ours.
        var theirs = Draw(c.Width, c.Height, c.MdaiForeground, c.MdaiBackground);
        Assert.Equal(c.MdaiRoundTrip, theirs);
        Assert.Equal(c.MdaiLostPixels, theirs.Zip(c.Mask).Count(p => p.First != p.Second));
    }

    [Fact]
    public void MDai_s_convert_mask_data_loses_pixels_on_holes_and_islands_in_holes()
    {
        foreach (var name in new[] { "square-ring", "island-in-hole", "nested-rings-with-centre", "one-pixel-hole", "one-pixel-island-in-hole", "two-holes-touching-at-a-corner" })
        {
            Assert.True(ContourCases.All.Single(c => c.Name == name).MdaiLostPixels > 0, name);
        }

        Assert.True(ContourCases.All.Count(c => c.MdaiLostPixels > 0) > 100);
    }

    [Fact]
    public void An_island_in_a_hole_stays_one_foreground_polygon_and_a_simple_hole_one_background_polygon()
    {
        var island = ContourCases.All.Single(c => c.Name == "island-in-hole");
        var (foreground, background) = ExactMaskContours.FromMask(new MaskPlane(island.Width, island.Height, (byte[])island.Mask.Clone()));
        Assert.Equal(2, foreground.Count);
        Assert.True(background.Count >= 2, "the hole around the island is split so no background polygon covers the island");

        var ring = ContourCases.All.Single(c => c.Name == "square-ring");
        var ringContours = ExactMaskContours.FromMask(new MaskPlane(ring.Width, ring.Height, (byte[])ring.Mask.Clone()));
        Assert.Single(ringContours.Foreground);
        Assert.Single(ringContours.Background);
        Assert.Equal(4, ringContours.Background[0].Length);
    }

    [Fact]
    public void Random_masks_round_trip_exactly()
    {
        var rng = new Random(7);
        for (var n = 0; n < 300; n++)
        {
            var (w, h) = (rng.Next(1, 40), rng.Next(1, 40));
            var density = rng.NextDouble();
            var mask = Enumerable.Range(0, w * h).Select(_ => (byte)(rng.NextDouble() < density ? 1 : 0)).ToArray();
            var (foreground, background) = ExactMaskContours.FromMask(new MaskPlane(w, h, (byte[])mask.Clone()));
            Assert.Equal(mask, Draw(w, h, foreground, background));
        }
    }

    [Fact]
    public void OpenCV_draws_our_contours_back_to_every_mask()
    {
        using var temp = new TempDirectory();
        var cases = ContourCases.All.Select(c =>
        {
            var (fg, bg) = ExactMaskContours.FromMask(new MaskPlane(c.Width, c.Height, (byte[])c.Mask.Clone()));
            return new { c.Name, c.Width, c.Height, Foreground = fg.Select(p => p.Select(v => new[] { v.X, v.Y })), Background = bg.Select(p => p.Select(v => new[] { v.X, v.Y })), Mask = c.Mask };
        }).ToList();
        var input = temp.Combine("ours.json");
        File.WriteAllText(input, JsonSerializer.Serialize(cases));

        var output = PythonPeer.Run(
            """
            import json, sys
            import cv2, numpy as np
            bad = []
            for c in json.load(open(sys.argv[1])):
                m = np.zeros((c["Height"], c["Width"]), dtype=np.uint8)
                for p in c["Foreground"]:
                    m = cv2.fillPoly(m, [np.array(p, dtype=np.int32)], 1)
                for p in c["Background"]:
                    m = cv2.fillPoly(m, [np.array(p, dtype=np.int32)], 0)
                import base64
                want = np.frombuffer(base64.b64decode(c["Mask"]), dtype=np.uint8).reshape(m.shape)
                if not np.array_equal(m, want):
                    bad.append(c["Name"])
            print(json.dumps({"checked": len(json.load(open(sys.argv[1]))), "bad": bad}))
            """,
            input);

        using var result = JsonDocument.Parse(output);
        Assert.Equal(ContourCases.All.Count, result.RootElement.GetProperty("checked").GetInt32());
        Assert.Empty(result.RootElement.GetProperty("bad").EnumerateArray());
    }

    private static byte[] Draw(int w, int h, System.Collections.Generic.IEnumerable<(int X, int Y)[]> foreground, System.Collections.Generic.IEnumerable<(int X, int Y)[]> background)
    {
        var plane = new MaskPlane(w, h);
        foreach (var p in foreground)
        {
            PolygonFill.Fill(plane, p, 1);
        }

        foreach (var p in background)
        {
            PolygonFill.Fill(plane, p, 0);
        }

        return plane.Pixels;
    }
}
