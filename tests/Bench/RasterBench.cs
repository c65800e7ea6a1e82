// The MdaiClara side of the rasterising benchmark (Invoke-Bench.ps1, section 7), compiled by Add-Type against the staged
// engine: the polygons rasterise_peer.py made, drawn as MD.ai freeform annotations into one 512x512 plane (annotation i
// with value i % 250 + 1, later over earlier), best of several runs, and the same with the int32 vertices made beforehand
// (the fill alone). Returns "seconds;fill seconds;sha256 of the final plane".
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using MdaiClara.Engine.Mdai.Annotations;
using MdaiClara.Engine.Mdai.Annotations.Raster;

public static class RasterBench
{
    public static string Run(string path, int repeat)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var (w, h) = (doc.RootElement.GetProperty("width").GetInt32(), doc.RootElement.GetProperty("height").GetInt32());
        var data = doc.RootElement.GetProperty("polygons").EnumerateArray()
            .Select(p => new MdaiVerticesData(p.EnumerateArray().Select(v => new MdaiPoint(v[0].GetDouble(), v[1].GetDouble())).ToList())).ToList();
        double best = double.MaxValue, fillBest = double.MaxValue;
        string hash = "";
        for (var r = 0; r < repeat; r++)
        {
            var plane = new MaskPlane(w, h);
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < data.Count; i++)
            {
                AnnotationPainter.Draw(plane, MdaiAnnotationMode.Freeform, data[i], (byte)(i % 250 + 1));
            }
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
            hash = Convert.ToHexString(SHA256.HashData(plane.Pixels)).ToLowerInvariant();
        }
        var arrays = data.Select(d => AnnotationPainter.ToInt32(d.Vertices)).ToList();
        for (var r = 0; r < repeat; r++)
        {
            var plane = new MaskPlane(w, h);
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < arrays.Count; i++)
            {
                PolygonFill.Fill(plane, arrays[i], (byte)(i % 250 + 1));
            }
            fillBest = Math.Min(fillBest, sw.Elapsed.TotalSeconds);
            if (Convert.ToHexString(SHA256.HashData(plane.Pixels)).ToLowerInvariant() != hash) { throw new InvalidOperationException("fill-only plane differs"); }
        }
        return FormattableString.Invariant($"{best};{fillBest};{hash}");
    }
}
