using System.Linq;
using MdaiClara.Engine.Mdai.Annotations;
using MdaiClara.Engine.Mdai.Annotations.Raster;
using Xunit;

namespace MdaiClara.Engine.Tests.Mdai.Annotations;

public sealed class AnnotationPainterTests
{
    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in RasterisationCases.All)
        {
            data.Add(c.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Draws_every_case_pixel_for_pixel_as_OpenCV(string name)
    {
        var c = RasterisationCases.All.Single(x => x.Name == name);
        var plane = new MaskPlane(c.Width, c.Height);

        Assert.True(AnnotationPainter.Draw(plane, c.Mode, c.Data));

        var ours = plane.Pixels.Select(p => (byte)(p != 0 ? 1 : 0)).ToArray();
        if (!ours.SequenceEqual(c.Expected))
        {
            var differing = ours.Zip(c.Expected).Count(p => p.First != p.Second);
            Assert.Fail($"{name}: {differing} pixel(s) differ from OpenCV.\nOpenCV:\n{RasterisationCases.Picture(c.Expected, c.Width)}\nours:\n{RasterisationCases.Picture(ours, c.Width)}");
        }
    }

    [Fact]
    public void The_fixture_covers_the_hard_cases()
    {
        var names = RasterisationCases.All.Select(c => c.Name).ToList();
        Assert.True(names.Count(n => n.StartsWith("random-")) >= 400);
        Assert.Contains("pentagram-even-odd", names);
        Assert.Contains("island-in-hole", names);
        Assert.Contains("off-image-all-sides", names);
        Assert.Contains("one-pixel-single-vertex", names);
        // The pentagram's centre is covered twice: even-odd leaves it empty, so the fixture really tests the fill rule.
        var star = RasterisationCases.All.Single(c => c.Name == "pentagram-even-odd");
        Assert.Equal(0, star.Expected[(16 * star.Width) + 16]);
    }
}
