using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Mdai.Annotations;
using Xunit;

namespace MdaiClara.Engine.Tests.Mdai.Annotations;

public sealed class MdaiAnnotationRobustnessTests
{
    [Fact]
    public void Mutated_exports_are_read_and_drawn_or_refused_with_an_MdaiClara_error_never_another_exception()
    {
        var original = File.ReadAllBytes(MdaiAnnotationExportTests.SmallExport);
        var series = AnnotationTestSeries.Create();
        var rng = new Random(11);
        var tokens = new[] { "[", "]", "{", "}", ",", ":", "\"", "null", "-1e308", "2147483647", "1e9", "NaN", "-0", "\\u0000", "true", "[[", "]]" };
        var refused = 0;
        for (var n = 0; n < 1500; n++)
        {
            var text = Encoding.UTF8.GetString(original);
            for (var m = rng.Next(1, 4); m > 0; m--)
            {
                var at = rng.Next(text.Length);
                text = rng.Next(3) switch
                {
                    0 => text.Remove(at, Math.Min(rng.Next(1, 6), text.Length - at)),
                    1 => text.Insert(at, tokens[rng.Next(tokens.Length)]),
                    _ => text.Remove(at, 1).Insert(at, tokens[rng.Next(tokens.Length)]),
                };
            }

            try
            {
                var export = MdaiAnnotationExport.Parse(Encoding.UTF8.GetBytes(text), "mutated.json", CancellationToken.None);
                AnnotationRasterizer.ToLabelVolume(export, series, new Dictionary<string, int>(), CancellationToken.None);
            }
            catch (MdaiClaraException ex)
            {
                Assert.Contains("mutated.json", ex.Message + ex.Target);
                refused++;
            }
        }

        Assert.InRange(refused, 100, 1499);
    }

    [Fact]
    public void A_coordinate_far_off_the_image_is_a_named_warning_not_a_hang()
    {
        var json = """
            {"labelGroups": [{"labels": [{"id": "L_b", "name": "Box", "annotationMode": "bbox"}]}],
             "datasets": [{"annotations": [{"id": "A_far", "labelId": "L_b", "SeriesInstanceUID": "1.2.826.0.1.3680043.8.498.1.1", "SOPInstanceUID": "1.2.826.0.1.3680043.8.498.1.1.1",
                                            "data": {"x": 1, "y": -2000000000, "width": 4, "height": 2000000004}}]}]}
            """;
        var export = MdaiAnnotationExport.Parse(Encoding.UTF8.GetBytes(json), "far.json", CancellationToken.None);

        var result = AnnotationRasterizer.ToLabelVolume(export, AnnotationTestSeries.Create(), new Dictionary<string, int>(), CancellationToken.None);

        Assert.Contains(result.Warnings, w => w.Contains("A_far") && w.Contains("off the image"));
        Assert.Equal(0, result.DrawnCount);
    }
}
